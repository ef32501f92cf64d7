package dev.lambdagate.controlplane.sts;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machinery behind the control plane's background checks of things only AWS can answer (STS
 * credentials, {@link StsChecks}; a function's DryRun Invoke, {@code lambda.FunctionChecks}):
 * {@link #track} with the keys in use checks each new one now on the checks' own thread, forgets
 * the ones no longer used, retries a failure and re-checks a pass on an {@link StsCheckSchedule},
 * and calls the change listener whenever an outcome changes.
 *
 * <p>Thread-safe: the state is guarded by {@code this}; checks run on one daemon thread, never the
 * model's; the listener is called on that thread, never while holding the lock.
 *
 * @param <K> what is checked
 * @param <R> a check's outcome
 */
public final class BackgroundChecks<K, R> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BackgroundChecks.class);

  private final String name;
  private final Function<K, R> check;
  private final StsCheckSchedule schedule;
  private final R pending;
  private final Predicate<R> passed;
  private final Function<RuntimeException, R> onBug;
  private final Consumer<R> logChange;
  private final ScheduledExecutorService executor;
  private volatile Runnable listener = () -> {};

  /**
   * @GuardedBy("this")
   */
  private final Map<K, Tracked> tracked = new HashMap<>();

  private final class Tracked {
    R result = pending;
    Duration nextRetry;
    ScheduledFuture<?> next;
  }

  /**
   * @param name names the thread ({@code lambdagate-<name>-checks}) and the log lines
   * @param check makes one check; null means the key needs none (nothing is scheduled)
   * @param schedule when a failed check is retried and a passed one made again
   * @param pending the outcome until the first check answers
   * @param passed whether an outcome is a pass (re-checked) rather than a failure (retried)
   * @param onBug the outcome (and log line) for a check that threw: a bug, shown rather than
   *     staying pending forever
   * @param logChange logs an outcome that differs from the last one
   */
  public BackgroundChecks(
      String name,
      Function<K, R> check,
      StsCheckSchedule schedule,
      R pending,
      Predicate<R> passed,
      Function<RuntimeException, R> onBug,
      Consumer<R> logChange) {
    this.name = name;
    this.check = check;
    this.schedule = schedule;
    this.pending = pending;
    this.passed = passed;
    this.onBug = onBug;
    this.logChange = logChange;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lambdagate-" + name + "-checks");
              t.setDaemon(true);
              return t;
            });
  }

  /** Called (on the checks' thread) after any outcome changed. */
  public void onChange(Runnable listener) {
    this.listener = listener;
  }

  /** Makes {@code keys} the set checked: new ones are checked now, others are forgotten. */
  public synchronized void track(Set<K> keys) {
    if (executor.isShutdown()) {
      return;
    }
    tracked
        .entrySet()
        .removeIf(
            e -> {
              if (keys.contains(e.getKey())) {
                return false;
              }
              if (e.getValue().next != null) {
                e.getValue().next.cancel(false);
              }
              return true;
            });
    for (K key : keys) {
      tracked.computeIfAbsent(
          key,
          k -> {
            Tracked t = new Tracked();
            t.nextRetry = schedule.firstRetry();
            t.next = executor.schedule(() -> run(k), 0, TimeUnit.MILLISECONDS);
            return t;
          });
    }
  }

  /** The keys checked now. */
  public synchronized Set<K> tracked() {
    return Set.copyOf(tracked.keySet());
  }

  /** The latest outcome for {@code key}; the pending outcome until it is known. */
  public synchronized R result(K key) {
    Tracked t = tracked.get(key);
    return t == null ? pending : t.result;
  }

  private void run(K key) {
    synchronized (this) {
      if (!tracked.containsKey(key)) {
        return;
      }
    }
    R result;
    try {
      result = check.apply(key);
    } catch (RuntimeException e) {
      result = onBug.apply(e);
    }
    if (result == null) {
      return;
    }
    boolean changed;
    synchronized (this) {
      Tracked t = tracked.get(key);
      if (t == null) {
        return; // forgotten while the call was in flight
      }
      changed = !result.equals(t.result);
      t.result = result;
      StsCheckSchedule.Next next = schedule.next(passed.test(result), t.nextRetry);
      t.nextRetry = next.retryDelay();
      if (!executor.isShutdown()) {
        t.next = executor.schedule(() -> run(key), next.delay().toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    if (changed) {
      logChange.accept(result);
      try {
        listener.run();
      } catch (RuntimeException e) {
        LOG.error("publishing the {} check outcome failed: {}", name, e.toString());
      }
    }
  }

  @Override
  public synchronized void close() {
    executor.shutdownNow();
  }
}
