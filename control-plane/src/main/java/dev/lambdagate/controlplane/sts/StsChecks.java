package dev.lambdagate.controlplane.sts;

import dev.lambdagate.controlplane.model.Credentials;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the outcome of each STS credential source in use current, so that STS errors show on
 * Backend status: {@link #track} with the sources the model uses starts a check of each new one in
 * the background (a new ServiceAccount token is a new source), forgets the ones no longer used, and
 * calls the change listener whenever an outcome changes. A failed check is retried with backoff (so
 * fixing a trust policy turns the status green without any change in Kubernetes); a passed one is
 * re-checked now and then (a policy can also break later).
 *
 * <p>Thread-safe ({@link BackgroundChecks}): checks run on one daemon thread ({@code
 * lambdagate-sts-checks}); the listener is called on that thread.
 */
public final class StsChecks implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StsChecks.class);

  private final BackgroundChecks<Credentials, StsCheckResult> checks;

  /**
   * @param exchange makes one check; returns null for credentials that need none
   * @param firstRetry delay before retrying a failed check, doubled after each failure
   * @param maxRetry the most the retry delay grows to
   * @param recheck delay before checking again a source that passed
   */
  public StsChecks(
      Function<Credentials, StsCheckResult> exchange,
      Duration firstRetry,
      Duration maxRetry,
      Duration recheck) {
    this.checks =
        new BackgroundChecks<>(
            "sts",
            exchange,
            new StsCheckSchedule(firstRetry, maxRetry, recheck),
            StsCheckResult.PENDING,
            r -> r.state() == StsCheckResult.State.ISSUED,
            e -> {
              // A bug, not STS: show it rather than stay Pending forever.
              LOG.error("checking STS credentials failed", e);
              return StsCheckResult.unreachable("the check failed: " + e);
            },
            r -> {
              if (r.state() == StsCheckResult.State.ISSUED) {
                LOG.info("STS check passed: {}", r.message());
              } else {
                LOG.warn("STS check: {}", r.message());
              }
            });
  }

  /**
   * Real STS calls on {@link StsCheckSchedule#DEFAULT}: retry after 15 s up to 5 min, re-check a
   * passed source every 30 min.
   */
  public static StsChecks create() {
    StsCheckSchedule d = StsCheckSchedule.DEFAULT;
    return new StsChecks(StsExchange.create()::check, d.firstRetry(), d.maxRetry(), d.recheck());
  }

  /** Called (on the checks' thread) after any outcome changed. */
  public void onChange(Runnable listener) {
    checks.onChange(listener);
  }

  /** Makes {@code sources} the set checked: new ones are checked now, others are forgotten. */
  public void track(Set<Credentials> sources) {
    checks.track(sources);
  }

  /** The latest outcome for {@code source}; {@link StsCheckResult#PENDING} until it is known. */
  public StsCheckResult result(Credentials source) {
    return checks.result(source);
  }

  @Override
  public void close() {
    checks.close();
  }
}
