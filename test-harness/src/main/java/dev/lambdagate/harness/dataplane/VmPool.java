package dev.lambdagate.harness.dataplane;

import dev.lambdagate.harness.host.FilterStartException;
import dev.lambdagate.harness.host.FilterVm;
import dev.lambdagate.harness.host.FilterVmOptions;
import dev.lambdagate.harness.host.HttpCallTransport;
import dev.lambdagate.harness.host.WasmFilter;
import io.roastedroot.proxywasm.LogLevel;
import io.roastedroot.proxywasm.SimpleSharedDataHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The Wasm VMs of one (listener, plugin configuration): as many as Envoy would have worker
 * threads, sharing proxy-wasm shared data. A stream is bound to one VM for its whole life.
 * When a new configuration replaces this one, {@link #retire} closes the VMs once the last
 * in-flight stream has released them, so a config change never fails a request.
 */
final class VmPool {
  private final WasmPluginConfig config;
  private final List<FilterVm> vms;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean retired;
  private boolean closed;

  private VmPool(WasmPluginConfig config, List<FilterVm> vms) {
    this.config = config;
    this.vms = vms;
  }

  /** Starts the VMs; a configuration the filter rejects throws with the filter's log lines. */
  static VmPool start(WasmFilter filter, WasmPluginConfig config, int count,
      HttpCallTransport transport, Consumer<String> log) throws XdsRejectedException {
    List<FilterVm> vms = new ArrayList<>();
    List<String> startLog = new ArrayList<>();
    SimpleSharedDataHandler shared = new SimpleSharedDataHandler();
    FilterVmOptions options = FilterVmOptions.of(config.configuration())
        .withSharedData(shared)
        .withTransport(transport)
        .withLog((level, line) -> {
          synchronized (startLog) {
            startLog.add(line);
          }
          log.accept("wasm " + level.name().toLowerCase() + ": " + line);
        }, LogLevel.INFO);
    try {
      for (int i = 0; i < count; i++) {
        vms.add(FilterVm.start(filter, options));
      }
    } catch (FilterStartException | RuntimeException e) {
      vms.forEach(FilterVm::close);
      String why;
      synchronized (startLog) {
        why = startLog.isEmpty() ? String.valueOf(e.getMessage()) : String.join("; ", startLog);
      }
      throw new XdsRejectedException("envoy.filters.http.wasm: the filter rejected its "
          + "configuration: " + why, e);
    }
    return new VmPool(config, vms);
  }

  WasmPluginConfig config() {
    return config;
  }

  /** A VM for a new stream (pair with {@link #release}), or null once this pool is closed. */
  synchronized FilterVm acquire() {
    if (closed) {
      return null;
    }
    inFlight.incrementAndGet();
    return vms.get(Math.floorMod(next.getAndIncrement(), vms.size()));
  }

  synchronized void release() {
    if (inFlight.decrementAndGet() == 0 && retired) {
      closeNow();
    }
  }

  /** No new streams will come; close when the in-flight ones are done. */
  synchronized void retire() {
    retired = true;
    if (inFlight.get() == 0) {
      closeNow();
    }
  }

  private synchronized void closeNow() {
    if (!closed && inFlight.get() == 0) {
      closed = true;
      vms.forEach(FilterVm::close);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
