package dev.lambdagate.harness.dataplane;

import java.time.Duration;

/**
 * What an HTTP connection manager checks of a request before routing it, with Envoy's defaults
 * where the configuration is silent: header size and count, header names with underscores, path
 * normalisation, merged slashes, escaped slashes, and how long the request headers may take.
 *
 * @param maxRequestHeadersBytes {@code max_request_headers_kb} x 1024 (default 60 KiB): over it
 *     Envoy answers 431
 * @param maxHeadersCount {@code common_http_protocol_options.max_headers_count} (default 100): over
 *     it Envoy answers 431
 * @param rejectUnderscores {@code headers_with_underscores_action: REJECT_REQUEST} (400); {@code
 *     DROP_HEADER} drops them ({@link #dropUnderscores}); default ALLOW
 * @param normalizePath {@code normalize_path} (RFC 3986: dot segments removed, unreserved escapes
 *     decoded); a path it cannot normalise is 400
 * @param mergeSlashes {@code merge_slashes}
 * @param escapedSlashes {@code path_with_escaped_slashes_action}
 * @param requestHeadersTimeout {@code request_headers_timeout} (null: none): enforced by {@link
 *     Http1Server} while it reads the head (408, connection closed)
 */
public record RequestLimits(
    int maxRequestHeadersBytes,
    int maxHeadersCount,
    boolean rejectUnderscores,
    boolean dropUnderscores,
    boolean normalizePath,
    boolean mergeSlashes,
    EscapedSlashes escapedSlashes,
    Duration requestHeadersTimeout) {

  /** {@code path_with_escaped_slashes_action}: what to do with {@code %2F} and {@code %5C}. */
  public enum EscapedSlashes {
    KEEP_UNCHANGED,
    REJECT_REQUEST,
    UNESCAPE_AND_REDIRECT,
    UNESCAPE_AND_FORWARD
  }

  /** Envoy's defaults: nothing normalised, 60 KiB and 100 headers, underscores allowed. */
  public static final RequestLimits ENVOY_DEFAULTS =
      new RequestLimits(
          60 * 1024, 100, false, false, false, false, EscapedSlashes.KEEP_UNCHANGED, null);
}
