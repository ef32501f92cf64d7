package dev.lambdagate.controlplane.translate;

import com.google.protobuf.BoolValue;
import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import dev.lambdagate.controlplane.model.EdgeLimits;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;

/**
 * What a lambdagate listener sets of Envoy's "Configuring Envoy as an edge proxy" guidance
 * (docs/control-plane.md, "Edge hardening", has the table of values and reasons). Stateless.
 *
 * <p>Two deliberate departures from the guide, both because the Wasm filter buffers whole request
 * and response bodies (it signs the payload and rewrites the Lambda result): the buffer limit is
 * {@link EdgeLimits#bufferLimitBytes} (8 MiB), not 32 KiB, and the HTTP/2 stream window equals it,
 * because Envoy uses an HTTP/2 stream's window as that stream's buffer limit (a 64 KiB window would
 * answer 413 to any larger body).
 */
public final class EdgeHardening {
  private EdgeHardening() {}

  /** Adds the edge settings to a connection manager. */
  public static HttpConnectionManager.Builder apply(
      HttpConnectionManager.Builder hcm, EdgeLimits limits) {
    int window = (int) Math.min(limits.bufferLimitBytes(), Integer.MAX_VALUE);
    return hcm.setUseRemoteAddress(BoolValue.of(true))
        .setNormalizePath(BoolValue.of(true))
        .setMergeSlashes(true)
        .setPathWithEscapedSlashesAction(
            HttpConnectionManager.PathWithEscapedSlashesAction.UNESCAPE_AND_REDIRECT)
        .setRequestHeadersTimeout(duration(limits.requestHeadersTimeoutMillis()))
        .setStreamIdleTimeout(duration(limits.streamIdleTimeoutMillis()))
        .setRequestTimeout(duration(limits.requestTimeoutMillis()))
        .setMaxRequestHeadersKb(UInt32Value.of(limits.maxRequestHeadersKb()))
        .setCommonHttpProtocolOptions(
            HttpProtocolOptions.newBuilder()
                .setIdleTimeout(duration(limits.idleTimeoutMillis()))
                .setMaxHeadersCount(UInt32Value.of(limits.maxHeadersCount()))
                .setHeadersWithUnderscoresAction(
                    HttpProtocolOptions.HeadersWithUnderscoresAction.REJECT_REQUEST))
        .setHttp2ProtocolOptions(
            Http2ProtocolOptions.newBuilder()
                .setMaxConcurrentStreams(UInt32Value.of(limits.maxConcurrentStreams()))
                .setInitialStreamWindowSize(UInt32Value.of(window))
                .setInitialConnectionWindowSize(UInt32Value.of(window)));
  }

  /** The listener's (and a Lambda cluster's) {@code per_connection_buffer_limit_bytes}. */
  public static UInt32Value bufferLimit(EdgeLimits limits) {
    return UInt32Value.of((int) Math.min(limits.bufferLimitBytes(), Integer.MAX_VALUE));
  }

  static Duration duration(long millis) {
    return Duration.newBuilder()
        .setSeconds(millis / 1000)
        .setNanos((int) (millis % 1000) * 1_000_000)
        .build();
  }
}
