package dev.lambdagate.filter;

import dev.lambdagate.sdk.Metric;

/**
 * One backend's metrics, named {@code lambdagate.backend.<label>.<stat>} (in Envoy's stats: {@code
 * wasmcustom.lambdagate.backend.<label>.<stat>}; docs/metrics.md lists them). Built when the
 * backend is prepared; each metric is defined at the host on its first update, so a backend shows
 * only the stats it has used. Not thread-safe: a Wasm VM is single-threaded.
 */
final class BackendStats {
  /** Stats of the responses the client got, by status class (index: status / 100). */
  private final Metric[] byStatusClass = new Metric[6];

  final Metric functionError;
  final Metric throttled;
  final Metric localReply;
  final Metric invokePayloadBytes;
  final Metric invokeResultBytes;
  final Metric streamReset;
  final Metric signingAdded;
  final Metric payloadSigningAdded;
  final Metric signingFailed;
  final Metric credentialsRefreshed;
  final Metric credentialsRefreshFailed;

  BackendStats(String label) {
    String prefix = "lambdagate.backend." + statLabel(label) + ".";
    for (int c = 2; c <= 5; c++) {
      byStatusClass[c] = Metric.counter(prefix + "rq_" + c + "xx");
    }
    functionError = Metric.counter(prefix + "function_error");
    throttled = Metric.counter(prefix + "throttled");
    localReply = Metric.counter(prefix + "local_reply");
    invokePayloadBytes = Metric.counter(prefix + "invoke_payload_bytes");
    invokeResultBytes = Metric.counter(prefix + "invoke_result_bytes");
    streamReset = Metric.counter(prefix + "stream_reset");
    signingAdded = Metric.counter(prefix + "signing_added");
    payloadSigningAdded = Metric.counter(prefix + "payload_signing_added");
    signingFailed = Metric.counter(prefix + "signing_failed");
    credentialsRefreshed = Metric.counter(prefix + "credentials_refreshed");
    credentialsRefreshFailed = Metric.counter(prefix + "credentials_refresh_failed");
  }

  /** Counts a response the client got with {@code status} in its class ({@code rq_2xx}...). */
  void response(int status) {
    int statusClass = status / 100;
    if (statusClass >= 2 && statusClass <= 5) {
      byStatusClass[statusClass].increment();
    }
  }

  /**
   * {@code label} as one element of an Envoy stat name: a dot would split it into levels of Envoy's
   * hierarchy, and only printable ASCII is kept; every other character becomes {@code _}.
   */
  static String statLabel(String label) {
    if (label == null || label.isEmpty()) {
      return "_";
    }
    char[] out = label.toCharArray();
    for (int i = 0; i < out.length; i++) {
      char c = out[i];
      if (c == '.' || c <= ' ' || c > '~') {
        out[i] = '_';
      }
    }
    return new String(out);
  }
}
