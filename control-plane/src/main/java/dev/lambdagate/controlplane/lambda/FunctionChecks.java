package dev.lambdagate.controlplane.lambda;

import dev.lambdagate.controlplane.sts.StsCheckResult;
import dev.lambdagate.controlplane.sts.StsCheckSchedule;
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
 * Keeps the outcome of a DryRun Invoke of each function in use current, so that a missing function
 * or a missing {@code lambda:InvokeFunction} permission shows on the Backend's status as {@code
 * FunctionReady}: {@link #track} with the targets the model uses checks each new one in the
 * background (a changed Backend is a new target), forgets the ones no longer used, and calls the
 * change listener whenever an outcome changes. Failures are retried and passes re-checked on the
 * STS checks' schedule ({@link StsCheckSchedule}): fixing a policy or deploying the function turns
 * the condition True without any change in Kubernetes.
 *
 * <p>Thread-safe: the state is guarded by {@code this}; checks run on one daemon thread ({@code
 * lambdagate-function-checks}), never the model's; the listener is called on that thread, never
 * while holding the lock.
 */
public final class FunctionChecks implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FunctionChecks.class);

  private final Function<FunctionTarget, FunctionCheckResult> invoke;
  private final StsCheckSchedule schedule;
  private final ScheduledExecutorService executor;
  private volatile Runnable listener = () -> {};

  /**
   * @GuardedBy("this")
   */
  private final Map<FunctionTarget, Tracked> tracked = new HashMap<>();

  private static final class Tracked {
    FunctionCheckResult result = FunctionCheckResult.PENDING;
    Duration nextRetry;
    ScheduledFuture<?> next;
  }

  /**
   * @param invoke makes one check
   * @param schedule when a failed check is retried and a passed one made again
   */
  public FunctionChecks(
      Function<FunctionTarget, FunctionCheckResult> invoke, StsCheckSchedule schedule) {
    this.invoke = invoke;
    this.schedule = schedule;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lambdagate-function-checks");
              t.setDaemon(true);
              return t;
            });
  }

  /** Real DryRun calls on {@link StsCheckSchedule#DEFAULT}. */
  public static FunctionChecks create(DryRunInvoke invoke) {
    return new FunctionChecks(invoke::check, StsCheckSchedule.DEFAULT);
  }

  /** Called (on the checks' thread) after any outcome changed. */
  public void onChange(Runnable listener) {
    this.listener = listener;
  }

  /** Makes {@code targets} the set checked: new ones are checked now, others are forgotten. */
  public synchronized void track(Set<FunctionTarget> targets) {
    if (executor.isShutdown()) {
      return;
    }
    tracked
        .entrySet()
        .removeIf(
            e -> {
              if (targets.contains(e.getKey())) {
                return false;
              }
              if (e.getValue().next != null) {
                e.getValue().next.cancel(false);
              }
              return true;
            });
    for (FunctionTarget t : targets) {
      tracked.computeIfAbsent(
          t,
          k -> {
            Tracked tr = new Tracked();
            tr.nextRetry = schedule.firstRetry();
            tr.next = executor.schedule(() -> run(k), 0, TimeUnit.MILLISECONDS);
            return tr;
          });
    }
  }

  /** The targets checked now (for tests). */
  synchronized Set<FunctionTarget> tracked() {
    return Set.copyOf(tracked.keySet());
  }

  /** The latest outcome for {@code target}; {@link FunctionCheckResult#PENDING} until known. */
  public synchronized FunctionCheckResult result(FunctionTarget target) {
    Tracked t = tracked.get(target);
    return t == null ? FunctionCheckResult.PENDING : t.result;
  }

  private void run(FunctionTarget target) {
    synchronized (this) {
      if (!tracked.containsKey(target)) {
        return;
      }
    }
    FunctionCheckResult result;
    try {
      result = invoke.apply(target);
    } catch (RuntimeException e) {
      // A bug, not Lambda: show it rather than stay Pending forever.
      LOG.error("checking a function with a DryRun failed: {}", e.getClass().getName());
      result =
          FunctionCheckResult.unknown(
              FunctionCheckResult.UNREACHABLE, "the check failed: " + e.getClass().getSimpleName());
    }
    boolean changed;
    synchronized (this) {
      Tracked t = tracked.get(target);
      if (t == null) {
        return; // forgotten while the call was in flight
      }
      changed = !result.equals(t.result);
      t.result = result;
      StsCheckSchedule.Next next =
          schedule.next(
              result.state() == FunctionCheckResult.State.READY
                  ? StsCheckResult.State.ISSUED
                  : StsCheckResult.State.REJECTED,
              t.nextRetry);
      t.nextRetry = next.retryDelay();
      if (!executor.isShutdown()) {
        t.next =
            executor.schedule(() -> run(target), next.delay().toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    if (changed) {
      if (result.state() == FunctionCheckResult.State.READY) {
        LOG.info("function check passed: {}", result.message());
      } else {
        LOG.warn("function check: {}: {}", result.reason(), result.message());
      }
      try {
        listener.run();
      } catch (RuntimeException e) {
        LOG.error("publishing the function check outcome failed: {}", e.toString());
      }
    }
  }

  @Override
  public synchronized void close() {
    executor.shutdownNow();
  }
}
