package dev.lambdagate.controlplane.sts;

import java.time.Duration;
import java.util.Objects;

/**
 * When {@link StsChecks} calls STS again: a failed check is retried after {@code firstRetry},
 * doubling after each further failure up to {@code maxRetry}; a passed one is checked again after
 * {@code recheck}. A pure function of the last outcome, so the documented numbers can be tested
 * without waiting. Immutable and thread-safe.
 *
 * @param firstRetry delay before retrying a failed check
 * @param maxRetry the most the retry delay grows to
 * @param recheck delay before checking again a source that passed
 */
public record StsCheckSchedule(Duration firstRetry, Duration maxRetry, Duration recheck) {

  /** The control plane's: retry after 15 s, doubling up to 5 min; re-check a pass every 30 min. */
  public static final StsCheckSchedule DEFAULT =
      new StsCheckSchedule(Duration.ofSeconds(15), Duration.ofMinutes(5), Duration.ofMinutes(30));

  public StsCheckSchedule {
    Objects.requireNonNull(firstRetry, "firstRetry");
    Objects.requireNonNull(maxRetry, "maxRetry");
    Objects.requireNonNull(recheck, "recheck");
  }

  /**
   * The delay before the next check and the retry delay after that, given the outcome just seen and
   * the retry delay in force ({@code firstRetry} for a source not failed yet).
   */
  public Next next(StsCheckResult.State outcome, Duration retryDelay) {
    return next(outcome == StsCheckResult.State.ISSUED, retryDelay);
  }

  /** As {@link #next(StsCheckResult.State, Duration)}, for any check that passed or failed. */
  public Next next(boolean passed, Duration retryDelay) {
    if (passed) {
      return new Next(recheck, firstRetry);
    }
    Duration doubled = retryDelay.multipliedBy(2);
    return new Next(retryDelay, doubled.compareTo(maxRetry) > 0 ? maxRetry : doubled);
  }

  /**
   * @param delay how long to wait before the next check
   * @param retryDelay the retry delay to use if that next check fails
   */
  public record Next(Duration delay, Duration retryDelay) {}
}
