package dev.lambdagate.harness.host;

import io.roastedroot.proxywasm.LogLevel;
import io.roastedroot.proxywasm.SharedDataHandler;
import io.roastedroot.proxywasm.SimpleSharedDataHandler;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * How a {@link FilterVm} is set up: the plugin configuration, the clock, where log lines go, shared
 * data (pass one handler to several VMs to model Envoy's worker threads), and the transport for
 * call-outs. Immutable; use the {@code with*} methods.
 */
public record FilterVmOptions(
    byte[] pluginConfiguration,
    HostClock clock,
    BiConsumer<LogLevel, String> logSink,
    LogLevel logLevel,
    SharedDataHandler sharedData,
    HttpCallTransport transport) {

  public FilterVmOptions {
    Objects.requireNonNull(pluginConfiguration, "pluginConfiguration");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(logSink, "logSink");
    Objects.requireNonNull(logLevel, "logLevel");
    Objects.requireNonNull(sharedData, "sharedData");
    Objects.requireNonNull(transport, "transport");
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
        HttpCallTransport.NONE);
  }

  public FilterVmOptions withClock(HostClock newClock) {
    return new FilterVmOptions(
        pluginConfiguration, newClock, logSink, logLevel, sharedData, transport);
  }

  public FilterVmOptions withLog(BiConsumer<LogLevel, String> sink, LogLevel level) {
    return new FilterVmOptions(pluginConfiguration, clock, sink, level, sharedData, transport);
  }

  public FilterVmOptions withSharedData(SharedDataHandler handler) {
    return new FilterVmOptions(pluginConfiguration, clock, logSink, logLevel, handler, transport);
  }

  public FilterVmOptions withTransport(HttpCallTransport newTransport) {
    return new FilterVmOptions(
        pluginConfiguration, clock, logSink, logLevel, sharedData, newTransport);
  }
}
