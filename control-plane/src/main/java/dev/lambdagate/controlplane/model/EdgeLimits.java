package dev.lambdagate.controlplane.model;

import dev.lambdagate.controlplane.crd.GatewayParametersSpec;

/**
 * The edge-proxy limits of a Gateway's listeners (Envoy's "Configuring Envoy as an edge proxy"
 * guidance, adapted to a filter that buffers whole Lambda payloads); docs/control-plane.md has the
 * table of values and reasons. Immutable; the defaults are {@link #DEFAULTS}, a Gateway's {@code
 * GatewayParameters.spec.edgeLimits} overrides them field by field.
 *
 * @param bufferLimitBytes listener and Lambda-cluster {@code per_connection_buffer_limit_bytes},
 *     and the HTTP/2 stream and connection windows: the largest body the filter can buffer
 * @param requestHeadersTimeoutMillis HCM {@code request_headers_timeout} (0: none)
 * @param streamIdleTimeoutMillis HCM {@code stream_idle_timeout} (0: none)
 * @param requestTimeoutMillis HCM {@code request_timeout} (0: none)
 * @param idleTimeoutMillis {@code common_http_protocol_options.idle_timeout} (0: none)
 * @param maxRequestHeadersKb HCM {@code max_request_headers_kb}
 * @param maxHeadersCount {@code common_http_protocol_options.max_headers_count}
 * @param maxConcurrentStreams {@code http2_protocol_options.max_concurrent_streams}
 */
public record EdgeLimits(
    long bufferLimitBytes,
    long requestHeadersTimeoutMillis,
    long streamIdleTimeoutMillis,
    long requestTimeoutMillis,
    long idleTimeoutMillis,
    int maxRequestHeadersKb,
    int maxHeadersCount,
    int maxConcurrentStreams) {

  /** 8 MiB: Lambda's 6 MB synchronous payload plus the event's JSON overhead around it. */
  public static final long DEFAULT_BUFFER_LIMIT = 8L * 1024 * 1024;

  public static final EdgeLimits DEFAULTS =
      new EdgeLimits(DEFAULT_BUFFER_LIMIT, 10_000, 300_000, 960_000, 3_600_000, 60, 100, 100);

  /** Envoy's own bounds on these fields (PGV rules), checked so a bad override is one error. */
  public EdgeLimits {
    if (bufferLimitBytes < 65_535 || bufferLimitBytes > 2_147_483_647L) {
      throw new IllegalArgumentException("bufferLimitBytes must be 65535 to 2147483647");
    }
    if (maxRequestHeadersKb < 1 || maxRequestHeadersKb > 8192) {
      throw new IllegalArgumentException("maxRequestHeadersKb must be 1 to 8192");
    }
    if (maxHeadersCount < 1) {
      throw new IllegalArgumentException("maxHeadersCount must be at least 1");
    }
    if (maxConcurrentStreams < 1) {
      throw new IllegalArgumentException("maxConcurrentStreams must be at least 1");
    }
    if (requestHeadersTimeoutMillis < 0
        || streamIdleTimeoutMillis < 0
        || requestTimeoutMillis < 0
        || idleTimeoutMillis < 0) {
      throw new IllegalArgumentException("timeouts must not be negative");
    }
  }

  /**
   * These limits with a GatewayParameters' overrides applied.
   *
   * @throws IllegalArgumentException naming the field when an override is not valid
   */
  public EdgeLimits with(GatewayParametersSpec.EdgeLimits o) {
    if (o == null) {
      return this;
    }
    return new EdgeLimits(
        o.bufferLimitBytes() != null ? o.bufferLimitBytes() : bufferLimitBytes,
        millis("requestHeadersTimeout", o.requestHeadersTimeout(), requestHeadersTimeoutMillis),
        millis("streamIdleTimeout", o.streamIdleTimeout(), streamIdleTimeoutMillis),
        millis("requestTimeout", o.requestTimeout(), requestTimeoutMillis),
        millis("idleTimeout", o.idleTimeout(), idleTimeoutMillis),
        o.maxRequestHeadersKb() != null ? o.maxRequestHeadersKb() : maxRequestHeadersKb,
        o.maxHeadersCount() != null ? o.maxHeadersCount() : maxHeadersCount,
        o.maxConcurrentStreams() != null ? o.maxConcurrentStreams() : maxConcurrentStreams);
  }

  private static long millis(String field, String value, long otherwise) {
    if (value == null) {
      return otherwise;
    }
    Long ms = GatewayDuration.millis(value);
    if (ms == null) {
      throw new IllegalArgumentException(
          field + " '" + value + "' is not a duration (e.g. 10s, " + "5m, 1h)");
    }
    return ms;
  }
}
