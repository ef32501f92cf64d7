package dev.lambdagate.harness.host;

import java.util.List;

/**
 * Carries the filter's HTTP call-outs ({@code proxy_http_call}) to real upstreams. In Envoy the
 * upstream is a cluster name; a transport maps it to an address.
 */
@FunctionalInterface
public interface HttpCallTransport {
  /** A transport for filters that make no call-outs: every call fails as an unknown cluster. */
  HttpCallTransport NONE =
      (cluster, headers, body, timeoutMillis) -> {
        throw new IllegalArgumentException("no upstream cluster '" + cluster + "' in this harness");
      };

  /**
   * Performs one call. {@code headers} include {@code :method}, {@code :path}, {@code :authority}.
   * The result's headers carry {@code :status}. A failure (connection refused, timeout) is thrown;
   * the VM then reports it to the filter as Envoy does: a response with no headers and no body.
   */
  HttpMessage call(String cluster, List<String[]> headers, byte[] body, int timeoutMillis)
      throws Exception;
}
