package dev.lambdagate.controlplane.lambda;

import dev.lambdagate.controlplane.sts.BackgroundChecks;
import dev.lambdagate.controlplane.sts.StsCheckSchedule;
import java.util.Set;
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
 * <p>Thread-safe ({@link BackgroundChecks}): checks run on one daemon thread ({@code
 * lambdagate-function-checks}), never the model's; the listener is called on that thread.
 */
public final class FunctionChecks implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FunctionChecks.class);

  private final BackgroundChecks<FunctionTarget, FunctionCheckResult> checks;

  /**
   * @param invoke makes one check
   * @param schedule when a failed check is retried and a passed one made again
   */
  public FunctionChecks(
      Function<FunctionTarget, FunctionCheckResult> invoke, StsCheckSchedule schedule) {
    this.checks =
        new BackgroundChecks<>(
            "function",
            invoke,
            schedule,
            FunctionCheckResult.PENDING,
            r -> r.state() == FunctionCheckResult.State.READY,
            e -> {
              // A bug, not Lambda: show it rather than stay Pending forever.
              LOG.error("checking a function with a DryRun failed: {}", e.getClass().getName());
              return FunctionCheckResult.unknown(
                  FunctionCheckResult.UNREACHABLE,
                  "the check failed: " + e.getClass().getSimpleName());
            },
            r -> {
              if (r.state() == FunctionCheckResult.State.READY) {
                LOG.info("function check passed: {}", r.message());
              } else {
                LOG.warn("function check: {}: {}", r.reason(), r.message());
              }
            });
  }

  /** Real DryRun calls on {@link StsCheckSchedule#DEFAULT}. */
  public static FunctionChecks create(DryRunInvoke invoke) {
    return new FunctionChecks(invoke::check, StsCheckSchedule.DEFAULT);
  }

  /** Called (on the checks' thread) after any outcome changed. */
  public void onChange(Runnable listener) {
    checks.onChange(listener);
  }

  /** Makes {@code targets} the set checked: new ones are checked now, others are forgotten. */
  public void track(Set<FunctionTarget> targets) {
    checks.track(targets);
  }

  /** The targets checked now (for tests). */
  Set<FunctionTarget> tracked() {
    return checks.tracked();
  }

  /** The latest outcome for {@code target}; {@link FunctionCheckResult#PENDING} until known. */
  public FunctionCheckResult result(FunctionTarget target) {
    return checks.result(target);
  }

  @Override
  public void close() {
    checks.close();
  }
}
