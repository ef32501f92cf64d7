package dev.lambdagate.harness.dataplane;

import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A route's {@code retry_policy} as the embedded data plane's router applies it, the way Envoy's
 * router does (Envoy docs, router filter, {@code x-envoy-retry-on} and "retry back-off"): the first
 * try plus up to {@code num_retries} (default 1) more; a retry after a fully jittered exponential
 * back-off (a random time below {@code (2^n − 1) × base_interval}, capped at {@code max_interval};
 * defaults 25 ms and 10 × base); every try and back-off within the route's timeout, whose expiry is
 * a 504 and is never retried. The last try's answer is the response.
 *
 * <p>Conditions: {@code 5xx} (any 5xx, a connect failure, a reset), {@code gateway-error} (502,
 * 503, 504, a connect failure), {@code connect-failure}, {@code reset} (a connect failure or a
 * reset), {@code refused-stream} (HTTP/2 only: nothing to do over HTTP/1.1), {@code retriable-4xx}
 * (409) and {@code retriable-status-codes}. Anything else — other conditions, {@code
 * per_try_timeout}, host predicates, retriable headers, rate-limited back-off — is refused, so a
 * configuration is never half applied. Immutable.
 */
public record RouteRetry(
    int numRetries,
    Set<String> retryOn,
    Set<Integer> retriableStatusCodes,
    Duration baseInterval,
    Duration maxInterval) {

  private static final Set<String> SUPPORTED =
      Set.of(
          "5xx",
          "gateway-error",
          "connect-failure",
          "reset",
          "refused-stream",
          "retriable-4xx",
          "retriable-status-codes");

  public RouteRetry {
    retryOn = Set.copyOf(retryOn);
    retriableStatusCodes = Set.copyOf(retriableStatusCodes);
  }

  /** Reads a route's retry policy, refusing what this router does not do. */
  static RouteRetry of(RetryPolicy p, String where) throws XdsRejectedException {
    if (p.hasPerTryTimeout()
        || p.hasPerTryIdleTimeout()
        || p.getRetryHostPredicateCount() > 0
        || p.hasRetryPriority()
        || p.getRetriableHeadersCount() > 0
        || p.getRetriableRequestHeadersCount() > 0
        || p.hasRateLimitedRetryBackOff()
        || p.getRetryOptionsPredicatesCount() > 0) {
      throw new XdsRejectedException(
          where
              + ": retry_policy supports retry_on, num_retries, retriable_status_codes and"
              + " retry_back_off only");
    }
    Set<String> on = new LinkedHashSet<>();
    for (String token : p.getRetryOn().split(",")) {
      String t = token.trim();
      if (t.isEmpty()) {
        continue;
      }
      if (!SUPPORTED.contains(t)) {
        throw new XdsRejectedException(
            where + ": retry_on '" + t + "' is not supported (supported: " + SUPPORTED + ")");
      }
      on.add(t);
    }
    Duration base = Duration.ofMillis(25);
    Duration max = null;
    if (p.hasRetryBackOff()) {
      RetryPolicy.RetryBackOff b = p.getRetryBackOff();
      base = XdsTranslator.duration(b.getBaseInterval());
      if (base.isZero() || base.isNegative()) {
        throw new XdsRejectedException(where + ": retry_back_off.base_interval must be > 0");
      }
      if (b.hasMaxInterval()) {
        max = XdsTranslator.duration(b.getMaxInterval());
        if (max.compareTo(base) < 0) {
          // Envoy refuses the route: max_interval must not be below base_interval.
          throw new XdsRejectedException(
              where + ": retry_back_off.max_interval must be >= base_interval");
        }
      }
    }
    if (max == null) {
      max = base.multipliedBy(10);
    }
    List<Integer> codes = p.getRetriableStatusCodesList();
    return new RouteRetry(
        p.hasNumRetries() ? p.getNumRetries().getValue() : 1, on, Set.copyOf(codes), base, max);
  }

  /** Whether an answer with {@code status} is retried. */
  boolean retriesStatus(int status) {
    return (retryOn.contains("5xx") && status >= 500 && status <= 599)
        || (retryOn.contains("gateway-error") && (status == 502 || status == 503 || status == 504))
        || (retryOn.contains("retriable-4xx") && status == 409)
        || (retryOn.contains("retriable-status-codes") && retriableStatusCodes.contains(status));
  }

  /** Whether a failure to connect (refused, or the connect timeout) is retried. */
  boolean retriesConnectFailure() {
    return retryOn.contains("connect-failure")
        || retryOn.contains("5xx")
        || retryOn.contains("gateway-error")
        || retryOn.contains("reset");
  }

  /** Whether a reset after the request went out (no response) is retried. */
  boolean retriesReset() {
    return retryOn.contains("reset") || retryOn.contains("5xx");
  }

  /** The back-off before retry number {@code retry} (1 for the first retry). */
  Duration backOff(int retry) {
    long base = baseInterval.toMillis();
    long ceiling = base * ((1L << Math.min(retry, 30)) - 1);
    ceiling = Math.min(ceiling, maxInterval.toMillis());
    return ceiling <= 0
        ? Duration.ZERO
        : Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling));
  }
}
