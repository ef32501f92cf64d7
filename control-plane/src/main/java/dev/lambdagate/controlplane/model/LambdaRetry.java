package dev.lambdagate.controlplane.model;

import java.util.List;

/**
 * A Backend's retry policy ({@code spec.aws.lambda.retry}), resolved with its defaults: what the
 * Envoy route to the Backend retries, within the route's timeout. Retried are Lambda's own answers
 * that say the function did not run or the service failed — the statuses listed, 429 (throttled)
 * and 5xx by default — and failures before the request reached Lambda (connect failure, refused
 * stream). A reset after the request was sent is not retried: the function may have run; for the
 * same reason there is no per-try timeout (a try that timed out would not be retried, so it would
 * only be a shorter route timeout). Function errors ({@code X-Amz-Function-Error}) come with status
 * 200 and are never retried. Immutable.
 *
 * @param attempts retries after the first try (1–5)
 * @param statusCodes Lambda statuses that are retried
 * @param baseIntervalMillis the backoff's base interval
 * @param maxIntervalMillis the backoff's cap
 */
public record LambdaRetry(
    int attempts, List<Integer> statusCodes, long baseIntervalMillis, long maxIntervalMillis) {

  /** Retried when the Backend does not list {@code statusCodes}. */
  public static final List<Integer> DEFAULT_STATUS_CODES = List.of(429, 500, 502, 503, 504);

  /** Envoy's default base interval. */
  public static final long DEFAULT_BASE_INTERVAL_MILLIS = 25;

  public static final int DEFAULT_ATTEMPTS = 2;

  public static final int MAX_ATTEMPTS = 5;

  public LambdaRetry {
    statusCodes = List.copyOf(statusCodes);
  }
}
