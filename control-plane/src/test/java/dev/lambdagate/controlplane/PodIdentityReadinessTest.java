package dev.lambdagate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.config.Endpoint;
import dev.lambdagate.controlplane.lambda.FunctionCheckResult;
import dev.lambdagate.controlplane.lambda.FunctionChecks;
import dev.lambdagate.controlplane.lambda.FunctionTarget;
import dev.lambdagate.controlplane.model.BackendModel;
import dev.lambdagate.controlplane.model.Credentials;
import dev.lambdagate.controlplane.model.LambdaTarget;
import dev.lambdagate.controlplane.state.ResourceKey;
import dev.lambdagate.controlplane.sts.StsCheckResult;
import dev.lambdagate.controlplane.sts.StsCheckSchedule;
import dev.lambdagate.controlplane.sts.StsChecks;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What the control plane says of a Pod Identity Backend's credentials and function: the agent is
 * node-local, so there is no verdict on the credentials (CredentialsReady Unknown, never a made-up
 * True), no STS exchange is attempted for them, and the DryRun waits (FunctionReady Unknown,
 * CredentialsNotReady) instead of signing with credentials that are not the proxies'.
 */
class PodIdentityReadinessTest {
  static final Credentials.PodIdentity POD =
      new Credentials.PodIdentity(
          "pod-identity-token",
          "lambdagate-pod-identity-agent",
          Endpoint.parse("http://169.254.170.23"));

  static BackendModel backend() {
    LambdaTarget lambda =
        new LambdaTarget(
            "echo",
            null,
            "us-east-1",
            null,
            null,
            "Sync",
            "None",
            null,
            Endpoint.parse("https://lambda.us-east-1.amazonaws.com"),
            null,
            null,
            null);
    return new BackendModel(
        "default/b", "default/b", new ResourceKey("Backend", "default", "b"), lambda, POD, null);
  }

  @Test
  void credentialsReadyIsUnknownWithAReasonAndNoStsCheckIsMade() {
    AtomicInteger stsCalls = new AtomicInteger();
    StsChecks checks =
        new StsChecks(
            c -> {
              stsCalls.incrementAndGet();
              return StsCheckResult.issued("must not be asked");
            },
            Duration.ofSeconds(15),
            Duration.ofMinutes(5),
            Duration.ofMinutes(30));
    try {
      StsCheckResult r = ControlPlane.credentialsOutcome(POD, checks, null);

      assertThat(r.state()).isEqualTo(StsCheckResult.State.UNREACHABLE); // shown as Unknown
      assertThat(r.reason()).isEqualTo("PodIdentityNotChecked");
      assertThat(r.message()).contains("169.254.170.23").doesNotContain("pod-identity-token");
      assertThat(stsCalls.get()).isZero();
      // With the checks switched off there is no condition at all, as for IRSA.
      assertThat(ControlPlane.credentialsOutcome(POD, null, null)).isNull();
    } finally {
      checks.close();
    }
  }

  @Test
  void functionReadyWaitsForCredentialsInsteadOfSigningADryRun() {
    AtomicInteger dryRuns = new AtomicInteger();
    StsChecks checks =
        new StsChecks(
            c -> StsCheckResult.PENDING,
            Duration.ofSeconds(15),
            Duration.ofMinutes(5),
            Duration.ofMinutes(30));
    FunctionChecks functions =
        new FunctionChecks(
            t -> {
              dryRuns.incrementAndGet();
              return FunctionCheckResult.ready("must not be asked");
            },
            StsCheckSchedule.DEFAULT);
    try {
      Set<FunctionTarget> targets = new HashSet<>();
      FunctionCheckResult r =
          ControlPlane.functionOutcome(backend(), checks, null, functions, targets);

      assertThat(r.state()).isEqualTo(FunctionCheckResult.State.UNKNOWN);
      assertThat(r.reason()).isEqualTo(FunctionCheckResult.CREDENTIALS_NOT_READY);
      assertThat(r.message()).contains("PodIdentityNotChecked");
      assertThat(targets).isEmpty();
      assertThat(dryRuns.get()).isZero();
    } finally {
      functions.close();
      checks.close();
    }
  }
}
