package dev.lambdagate.controlplane.sts;

import dev.lambdagate.controlplane.model.Credentials;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
 * <p>Thread-safe: the state is guarded by {@code this}; checks run on one daemon thread; the
 * listener is called on that thread, never while holding the lock.
 */
public final class StsChecks implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StsChecks.class);

  private final Function<Credentials, StsCheckResult> exchange;
  private final StsCheckSchedule schedule;
  private final ScheduledExecutorService executor;
  private volatile Runnable listener = () -> {};

  /**
   * @GuardedBy("this")
   */
  private final Map<Credentials, Tracked> tracked = new HashMap<>();

  private static final class Tracked {
    StsCheckResult result = StsCheckResult.PENDING;
    Duration nextRetry;
    ScheduledFuture<?> next;
  }

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
    this.exchange = exchange;
    this.schedule = new StsCheckSchedule(firstRetry, maxRetry, recheck);
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lambdagate-sts-checks");
              t.setDaemon(true);
              return t;
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
    this.listener = listener;
  }

  /** Makes {@code sources} the set checked: new ones are checked now, others are forgotten. */
  public synchronized void track(Set<Credentials> sources) {
    if (executor.isShutdown()) {
      return;
    }
    tracked
        .entrySet()
        .removeIf(
            e -> {
              if (sources.contains(e.getKey())) {
                return false;
              }
              if (e.getValue().next != null) {
                e.getValue().next.cancel(false);
              }
              return true;
            });
    for (Credentials c : sources) {
      tracked.computeIfAbsent(
          c,
          k -> {
            Tracked t = new Tracked();
            t.nextRetry = schedule.firstRetry();
            t.next = executor.schedule(() -> run(k), 0, TimeUnit.MILLISECONDS);
            return t;
          });
    }
  }

  /** The latest outcome for {@code source}; {@link StsCheckResult#PENDING} until it is known. */
  public synchronized StsCheckResult result(Credentials source) {
    Tracked t = tracked.get(source);
    return t == null ? StsCheckResult.PENDING : t.result;
  }

  private void run(Credentials source) {
    synchronized (this) {
      if (!tracked.containsKey(source)) {
        return;
      }
    }
    StsCheckResult result;
    try {
      result = exchange.apply(source);
    } catch (RuntimeException e) {
      // A bug, not STS: show it rather than stay Pending forever.
      LOG.error("checking STS credentials failed", e);
      result = StsCheckResult.unreachable("the check failed: " + e);
    }
    if (result == null) {
      return;
    }
    boolean changed;
    synchronized (this) {
      Tracked t = tracked.get(source);
      if (t == null) {
        return; // forgotten while the call was in flight
      }
      changed = !result.equals(t.result);
      t.result = result;
      StsCheckSchedule.Next next = schedule.next(result.state(), t.nextRetry);
      Duration delay = next.delay();
      t.nextRetry = next.retryDelay();
      if (!executor.isShutdown()) {
        t.next = executor.schedule(() -> run(source), delay.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    if (changed) {
      if (result.state() == StsCheckResult.State.ISSUED) {
        LOG.info("STS check passed: {}", result.message());
      } else {
        LOG.warn("STS check: {}", result.message());
      }
      try {
        listener.run();
      } catch (RuntimeException e) {
        LOG.error("publishing the STS check outcome failed: {}", e.toString());
      }
    }
  }

  @Override
  public synchronized void close() {
    executor.shutdownNow();
  }
}
