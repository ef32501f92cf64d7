package dev.lambdagate.harness.dataplane;

/**
 * An LDS listener as the embedded data plane serves it: one address, one HTTP connection manager
 * whose routes come from RDS ({@code rdsName}) or inline ({@code inlineRoutes}), an optional Wasm
 * filter before the router, the stream buffer limit and the HCM's request limits, and the
 * downstream TLS of its filter chains, if any.
 *
 * @param bufferLimitBytes {@code per_connection_buffer_limit_bytes} (Envoy's default 1 MiB): an
 *     HTTP/1.1 stream's buffer limit, which bounds what a buffering filter may hold
 * @param tls null: plaintext
 */
public record ListenerConfig(
    String name,
    String bindAddress,
    int port,
    String rdsName,
    RouteTable inlineRoutes,
    WasmPluginConfig wasm,
    boolean stripAnyHostPort,
    long bufferLimitBytes,
    RequestLimits limits,
    ServerTls tls) {

  /** Envoy's default {@code per_connection_buffer_limit_bytes}. */
  public static final long DEFAULT_BUFFER_LIMIT = 1024 * 1024;

  /** Whether connections are TLS ({@code https}). */
  public boolean secure() {
    return tls != null;
  }

  public boolean usesRds() {
    return rdsName != null;
  }
}
