package dev.lambdagate.filter;

import dev.lambdagate.sdk.Metric;

/**
 * The filter's metrics that belong to no one backend (docs/metrics.md): STS and EKS Pod Identity
 * agent calls and the time the filter spends on a request. Each is defined at the host on first
 * use.
 */
final class FilterStats {
  private FilterStats() {}

  /** STS calls started ({@code proxy_http_call} to the STS cluster). */
  static final Metric STS_CALL = Metric.counter("lambdagate.sts.call");

  /** STS calls that failed: refused, no answer (reset, timeout), or a non-2xx status. */
  static final Metric STS_CALL_FAILED = Metric.counter("lambdagate.sts.call_failed");

  /** EKS Pod Identity agent calls started ({@code proxy_http_call} to the agent cluster). */
  static final Metric POD_IDENTITY_CALL = Metric.counter("lambdagate.pod_identity.call");

  /** Agent calls that failed: refused, no answer (reset, timeout), or a non-2xx status. */
  static final Metric POD_IDENTITY_CALL_FAILED =
      Metric.counter("lambdagate.pod_identity.call_failed");

  /** Microseconds spent inside the filter's callbacks for one request, recorded at its end. */
  static final Metric FILTER_TIME_US = Metric.histogram("lambdagate.filter_time_us");
}
