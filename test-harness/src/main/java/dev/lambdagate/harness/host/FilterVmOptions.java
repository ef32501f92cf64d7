package dev.lambdagate.harness.host;

import io.roastedroot.proxywasm.LogLevel;
import io.roastedroot.proxywasm.SharedDataHandler;
import io.roastedroot.proxywasm.SimpleSharedDataHandler;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * How a {@link FilterVm} is set up: the plugin configuration, the clock, where log lines go, shared
 * data (pass one handler to several VMs to model Envoy's worker threads), the transport for
 * call-outs, and the metrics store (one per VM by default; pass one to several VMs and their stats
 * add up, as Envoy's do across workers). Immutable apart from the stores; use the {@code with*}
 * methods.
 */
public record FilterVmOptions(
    byte[] pluginConfiguration,
    HostClock clock,
    BiConsumer<LogLevel, String> logSink,
    LogLevel logLevel,
    SharedDataHandler sharedData,
    HttpCallTransport transport,
    HostMetrics metrics) {

  public FilterVmOptions {
    Objects.requireNonNull(pluginConfiguration, "pluginConfiguration");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(logSink, "logSink");
    Objects.requireNonNull(logLevel, "logLevel");
    Objects.requireNonNull(sharedData, "sharedData");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(metrics, "metrics");
  }

  /** Options with a metrics store of their own. */
  public FilterVmOptions(
      byte[] pluginConfiguration,
      HostClock clock,
      BiConsumer<LogLevel, String> logSink,
      LogLevel logLevel,
      SharedDataHandler sharedData,
      HttpCallTransport transport) {
    this(pluginConfiguration, clock, logSink, logLevel, sharedData, transport, new HostMetrics());
  }

  /**
   * Defaults: system clock, logs at INFO and above to stderr, private shared data, no call-outs.
   */
  public static FilterVmOptions of(String pluginConfiguration) {
    return new FilterVmOptions(
        pluginConfiguration.getBytes(StandardCharsets.UTF_8),
        HostClock.SYSTEM,
        (level, line) -> System.err.println("[" + level + "] " + line),
        LogLevel.INFO,
        new SimpleSharedDataHandler(),
        HttpCallTransport.NONE,
        new HostMetrics());
  }

  public FilterVmOptions withClock(HostClock newClock) {
    return new FilterVmOptions(
        pluginConfiguration, newClock, logSink, logLevel, sharedData, transport, metrics);
  }

  public FilterVmOptions withLog(BiConsumer<LogLevel, String> sink, LogLevel level) {
    return new FilterVmOptions(
        pluginConfiguration, clock, sink, level, sharedData, transport, metrics);
  }

  public FilterVmOptions withSharedData(SharedDataHandler handler) {
    return new FilterVmOptions(
        pluginConfiguration, clock, logSink, logLevel, handler, transport, metrics);
  }

  public FilterVmOptions withTransport(HttpCallTransport newTransport) {
    return new FilterVmOptions(
        pluginConfiguration, clock, logSink, logLevel, sharedData, newTransport, metrics);
  }

  /** Where the VM's metrics go (share one store between VMs to sum their stats). */
  public FilterVmOptions withMetrics(HostMetrics store) {
    return new FilterVmOptions(
        pluginConfiguration, clock, logSink, logLevel, sharedData, transport, store);
  }
}
