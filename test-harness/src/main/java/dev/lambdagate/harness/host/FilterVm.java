package dev.lambdagate.harness.host;

import com.dylibso.chicory.runtime.ImportFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import io.roastedroot.proxywasm.LogLevel;
import io.roastedroot.proxywasm.MetricType;
import io.roastedroot.proxywasm.SharedData;
import io.roastedroot.proxywasm.StartException;
import io.roastedroot.proxywasm.WasmException;
import io.roastedroot.proxywasm.internal.ArrayProxyMap;
import io.roastedroot.proxywasm.internal.Handler;
import io.roastedroot.proxywasm.internal.ProxyMap;
import io.roastedroot.proxywasm.internal.ProxyWasm;
import io.roastedroot.proxywasm.internal.WasmResult;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Wasm VM running the filter, as one Envoy worker thread holds one: the module instantiated in
 * proxy-wasm-java-host (Chicory compiled mode), started with {@code _initialize}, {@code
 * proxy_on_vm_start} and {@code proxy_on_configure}.
 *
 * <p>Thread-safety: a Wasm instance is single-threaded, so every method that enters the VM is
 * {@code synchronized} on this object; streams of one VM interleave, never overlap.
 */
public final class FilterVm implements AutoCloseable {
  private final FilterWasmStart start;
  private final ProxyWasm proxyWasm;
  private final Instance instance;
  private final FilterVmOptions options;
  private final ArrayDeque<PendingCall> pendingCalls = new ArrayDeque<>();
  private int nextCallId = 1;

  private record PendingCall(
      int id, String cluster, List<String[]> headers, byte[] body, int timeoutMillis) {}

  private FilterVm(FilterWasmStart start, FilterVmOptions options) {
    this.start = start;
    this.proxyWasm = start.proxyWasm;
    this.instance = start.instance;
    this.options = options;
  }

  /** Instantiates and configures the filter; a rejected configuration throws. */
  public static FilterVm start(WasmFilter filter, FilterVmOptions options)
      throws FilterStartException {
    FilterWasmStart start = new FilterWasmStart();
    VmHandler handler = new VmHandler(options, start);
    try {
      start.proxyWasm =
          ProxyWasm.builder()
              .withPluginHandler(handler)
              .withMachineFactory(
                  instance -> {
                    start.instance = instance;
                    installClock(instance, options.clock());
                    installCloseStream(instance, start);
                    return filter.machineFactory().apply(instance);
                  })
              .build(filter.module());
    } catch (StartException e) {
      throw new FilterStartException(e.getMessage(), e);
    }
    FilterVm vm = new FilterVm(start, options);
    handler.vm = vm;
    return vm;
  }

  /** Opens a stream; {@code properties} answer {@code proxy_get_property} for it. */
  public synchronized FilterStream openStream(Map<List<String>, byte[]> properties) {
    return new FilterStream(this, properties);
  }

  /** The VM's metrics (shared with other VMs when the options gave them one store). */
  public HostMetrics metrics() {
    return options.metrics();
  }

  /** Pages of linear memory (64 KiB each): flat under steady traffic, or the filter leaks. */
  public synchronized int memoryPages() {
    return instance.memory().pages();
  }

  /** Runs the filter's timer callback once (Envoy calls it every tick period). */
  public synchronized void tick() {
    proxyWasm.tick();
  }

  @Override
  public synchronized void close() {
    proxyWasm.close();
  }

  ProxyWasm proxyWasm() {
    return proxyWasm;
  }

  /**
   * {@code proxy_on_request_trailers} for a stream (proxy-wasm-java-host has no call for it): the
   * filter's return, 0 to continue, 1 to stop.
   */
  synchronized int onRequestTrailers(int contextId, int trailerCount) {
    return (int) instance.export("proxy_on_request_trailers").apply(contextId, trailerCount)[0];
  }

  /**
   * Performs the call-outs the filter has started, delivering each response back into the VM, until
   * none are left (a response may start another call). Streams do this while they are paused; call
   * it to complete call-outs made in the background (e.g. a refresh ahead).
   */
  public synchronized void drainCallouts() {
    while (!pendingCalls.isEmpty()) {
      PendingCall call = pendingCalls.poll();
      ArrayProxyMap headers = new ArrayProxyMap();
      byte[] body = new byte[0];
      try {
        HttpMessage response =
            options
                .transport()
                .call(call.cluster(), call.headers(), call.body(), call.timeoutMillis());
        for (String[] h : response.headers()) {
          headers.add(h[0], h[1]);
        }
        body = response.body();
      } catch (Exception e) {
        // Envoy reports a failed call-out as a response with no headers and no body.
        options
            .logSink()
            .accept(
                LogLevel.WARN,
                "harness: call-out to '" + call.cluster() + "' failed: " + e.getMessage());
      }
      proxyWasm.sendHttpCallResponse(call.id(), headers, new ArrayProxyMap(), body);
    }
  }

  synchronized boolean hasPendingCallouts() {
    return !pendingCalls.isEmpty();
  }

  /** The clusters of the call-outs started and not yet performed, oldest first. */
  public synchronized List<String> pendingCallouts() {
    List<String> clusters = new ArrayList<>();
    for (PendingCall call : pendingCalls) {
      clusters.add(call.cluster());
    }
    return clusters;
  }

  /**
   * proxy-wasm-java-host 0.0.5 writes only the low 32 bits of {@code
   * proxy_get_current_time_nanoseconds} (a u64 in the ABI). The harness replaces that one import
   * with a correct implementation reading its own clock, so time is both right and fixable, as it
   * is in Envoy.
   */
  private static void installClock(Instance instance, HostClock clock) {
    try {
      ImportValues imports = instance.imports();
      Field field = ImportValues.class.getDeclaredField("functions");
      field.setAccessible(true);
      ImportFunction[] functions = (ImportFunction[]) field.get(imports);
      for (int i = 0; i < functions.length; i++) {
        ImportFunction f = functions[i];
        if ("env".equals(f.module()) && "proxy_get_current_time_nanoseconds".equals(f.name())) {
          functions[i] =
              new ImportFunction(
                  f.module(),
                  f.name(),
                  f.functionType(),
                  (inst, args) -> {
                    inst.memory().writeLong((int) args[0], clock.epochNanos());
                    return new long[] {WasmResult.OK.getValue()};
                  });
        }
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot install the harness clock", e);
    }
  }

  /**
   * proxy-wasm-java-host 0.0.5 answers {@code proxy_close_stream} with Unimplemented. Envoy resets
   * the stream ({@code resetStream()} on the filter's callbacks, in either direction); the harness
   * replaces the import with one that records the request, which the running stream's callback then
   * turns into a reset ({@link #takeCloseStream}).
   */
  private static void installCloseStream(Instance instance, FilterWasmStart start) {
    try {
      ImportValues imports = instance.imports();
      Field field = ImportValues.class.getDeclaredField("functions");
      field.setAccessible(true);
      ImportFunction[] functions = (ImportFunction[]) field.get(imports);
      for (int i = 0; i < functions.length; i++) {
        ImportFunction f = functions[i];
        if ("env".equals(f.module()) && "proxy_close_stream".equals(f.name())) {
          functions[i] =
              new ImportFunction(
                  f.module(),
                  f.name(),
                  f.functionType(),
                  (inst, args) -> {
                    int type = (int) args[0];
                    if (type != 0 && type != 1) {
                      return new long[] {WasmResult.BAD_ARGUMENT.getValue()};
                    }
                    start.closeStreamRequested = true;
                    return new long[] {WasmResult.OK.getValue()};
                  });
        }
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot install the harness proxy_close_stream", e);
    }
  }

  /**
   * Whether a callback since the last call asked to close (reset) its stream; clears the request.
   * Called under the VM's lock by the stream whose callback just ran.
   */
  synchronized boolean takeCloseStream() {
    boolean requested = start.closeStreamRequested;
    start.closeStreamRequested = false;
    return requested;
  }

  /** Holds what the builder's callbacks learn before the VM object exists. */
  private static final class FilterWasmStart {
    ProxyWasm proxyWasm;
    Instance instance;
    boolean closeStreamRequested;
  }

  /** The root handler: what every context falls back to. */
  private static final class VmHandler implements Handler {
    private final FilterVmOptions options;
    private final FilterWasmStart start;
    FilterVm vm;

    VmHandler(FilterVmOptions options, FilterWasmStart start) {
      this.options = options;
      this.start = start;
    }

    @Override
    public byte[] getPluginConfig() {
      return options.pluginConfiguration();
    }

    @Override
    public byte[] getVmConfig() {
      return new byte[0];
    }

    @Override
    public void log(LogLevel level, String message) {
      if (level.value() >= options.logLevel().value()) {
        options.logSink().accept(level, message);
      }
    }

    @Override
    public LogLevel getLogLevel() {
      return options.logLevel();
    }

    @Override
    public int getCurrentTimeNanoseconds() {
      return (int) options.clock().epochNanos(); // unused: the import is replaced, see installClock
    }

    @Override
    public WasmResult setTickPeriodMilliseconds(int tickPeriodMilliseconds) {
      return WasmResult.OK;
    }

    @Override
    public SharedData getSharedData(String key) throws WasmException {
      return options.sharedData().getSharedData(key);
    }

    @Override
    public WasmResult setSharedData(String key, byte[] value, int cas) {
      return options.sharedData().setSharedData(key, value, cas);
    }

    @Override
    public byte[] getProperty(List<String> path) {
      if (path.size() == 1
          && (path.get(0).equals("plugin_name") || path.get(0).equals("plugin_root_id"))) {
        return "lambdagate".getBytes(StandardCharsets.UTF_8);
      }
      return null;
    }

    @Override
    public int defineMetric(MetricType type, String name) throws WasmException {
      return options.metrics().defineMetric(type, name);
    }

    @Override
    public WasmResult incrementMetric(int metricId, long offset) {
      return options.metrics().incrementMetric(metricId, offset);
    }

    @Override
    public WasmResult recordMetric(int metricId, long value) {
      return options.metrics().recordMetric(metricId, value);
    }

    @Override
    public long getMetric(int metricId) throws WasmException {
      return options.metrics().getMetric(metricId);
    }

    @Override
    public int httpCall(
        String upstream, ProxyMap headers, byte[] body, ProxyMap trailers, int timeoutMillis) {
      List<String[]> pairs = new ArrayList<>();
      for (Map.Entry<String, String> e : headers.entries()) {
        pairs.add(new String[] {e.getKey(), e.getValue()});
      }
      FilterVm owner = vm;
      int id = owner.nextCallId++;
      owner.pendingCalls.add(
          new PendingCall(id, upstream, pairs, body == null ? new byte[0] : body, timeoutMillis));
      return id;
    }

    @Override
    public int dispatchHttpCall(
        String upstream, ProxyMap headers, byte[] body, ProxyMap trailers, int timeoutMillis) {
      return httpCall(upstream, headers, body, trailers, timeoutMillis);
    }
  }
}
