package dev.lambdagate.controlplane.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.ControlPlane;
import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.kube.MockApi;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.state.ResourceKey;
import dev.lambdagate.controlplane.status.DesiredStatus;
import dev.lambdagate.controlplane.sts.StsCheckResult;
import dev.lambdagate.controlplane.sts.StsCheckSchedule;
import dev.lambdagate.controlplane.sts.StsChecks;
import io.fabric8.kubernetes.api.model.Condition;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The control plane invoking a Secret-keyed Backend's function with a DryRun against a stand-in
 * Lambda: the outcome shows as the Backend's {@code FunctionReady}, follows the Backend when it
 * changes, stops when it is deleted, waits for credentials, and is absent when switched off. The
 * proxies' credentials (the placeholder session the test model pushes) appear in no condition and
 * no log line.
 */
class FunctionReadyStatusTest {
  static final ResourceKey BACKEND = new ResourceKey("Backend", "default", "lambda");

  /** What the test model pushes for the Secret's keys: the proxies sign with it. */
  static final String SESSION_SECRET = "session-secret-issued-by-sts-getsessiontoken";

  static final String SESSION_TOKEN = "session-token-issued-by-sts-getsessiontoken";
  static final String LONG_TERM_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

  static final String GATEWAY_AND_ROUTE =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: http, namespace: default}
      spec:
        gatewayClassName: kgateway
        listeners: [{protocol: HTTP, port: 8080, name: http}]
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: lambda, namespace: default}
      spec:
        parentRefs: [{name: http}]
        rules:
        - matches: [{path: {type: PathPrefix, value: /echo}}]
          backendRefs: [{name: lambda, group: gateway.kgateway.dev, kind: Backend}]
      ---
      """;

  FakeLambda lambda;
  FunctionChecks checks;
  StsChecks stsChecks;
  final AtomicReference<DesiredStatus> status = new AtomicReference<>();
  PrintStream stderr;

  @AfterEach
  void stop() {
    if (stderr != null) {
      System.setErr(stderr);
    }
    if (checks != null) {
      checks.close();
    }
    if (stsChecks != null) {
      stsChecks.close();
    }
    if (lambda != null) {
      lambda.close();
    }
  }

  String secretBackend(String function) {
    return GATEWAY_AND_ROUTE
        + """
        apiVersion: v1
        kind: Secret
        metadata: {name: aws-creds, namespace: default}
        stringData: {accessKey: AKIDEXAMPLE, secretKey: "SECRET"}
        ---
        apiVersion: gateway.kgateway.dev/v1alpha1
        kind: Backend
        metadata: {name: lambda, namespace: default}
        spec:
          type: AWS
          aws:
            region: us-east-1
            accountId: "123456789012"
            auth: {type: Secret, secretRef: {name: aws-creds}}
            lambda: {functionName: FUNCTION, endpointURL: "ENDPOINT"}
        """
            .replace("SECRET", LONG_TERM_SECRET)
            .replace("FUNCTION", function)
            .replace("ENDPOINT", lambda.endpoint().url());
  }

  /** The Gateway's ServiceAccount carries a role (IRSA); the Backend has no auth of its own. */
  String irsaBackend() {
    return """
        apiVersion: gateway.kgateway.dev/v1alpha1
        kind: GatewayParameters
        metadata: {name: http, namespace: default}
        spec:
          kube:
            serviceAccount:
              extraAnnotations: {eks.amazonaws.com/role-arn: "arn:aws:iam::123456789012:role/r"}
        ---
        """
        + GATEWAY_AND_ROUTE.replace(
            "  gatewayClassName: kgateway\n",
            "  gatewayClassName: kgateway\n"
                + "  infrastructure:\n"
                + "    parametersRef: {name: http, group: gateway.kgateway.dev,"
                + " kind: GatewayParameters}\n")
        + """
        apiVersion: gateway.kgateway.dev/v1alpha1
        kind: Backend
        metadata: {name: lambda, namespace: default}
        spec:
          type: AWS
          aws:
            region: us-east-1
            accountId: "123456789012"
            lambda: {functionName: echo, endpointURL: "ENDPOINT"}
        """
            .replace("ENDPOINT", lambda.endpoint().url());
  }

  static ClusterState state(String yaml) throws Exception {
    return TestSupport.loader().loadString("t.yaml", yaml);
  }

  ControlPlane plane() {
    return new ControlPlane(TestSupport.modelBuilder(), TestSupport.translator(), status::set);
  }

  FunctionChecks checks() {
    StsExchangeForTest sts = new StsExchangeForTest();
    checks =
        new FunctionChecks(
            new DryRunInvoke(
                    java.net.http.HttpClient.newHttpClient(),
                    Duration.ofSeconds(5),
                    java.time.Clock.systemUTC(),
                    sts.exchange::signingCredentials)
                ::check,
            new StsCheckSchedule(
                Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofHours(1)));
    return checks;
  }

  /** An StsExchange that is never asked to call STS here (Secret sessions need no call). */
  static final class StsExchangeForTest {
    final dev.lambdagate.controlplane.sts.StsExchange exchange =
        new dev.lambdagate.controlplane.sts.StsExchange(
            java.net.http.HttpClient.newHttpClient(),
            Duration.ofSeconds(1),
            java.time.Clock.systemUTC());
  }

  Condition functionReady() {
    DesiredStatus s = status.get();
    if (s == null || s.backends().get(BACKEND) == null) {
      return null;
    }
    return s.backends().get(BACKEND).stream()
        .filter(c -> c.getType().equals("FunctionReady"))
        .findFirst()
        .orElse(null);
  }

  boolean awaitFunctionReady(String status, String reason) {
    return MockApi.await(
        5000,
        () -> {
          Condition c = functionReady();
          return c != null && c.getStatus().equals(status) && c.getReason().equals(reason);
        });
  }

  @Test
  void theDryRunOutcomeFollowsTheBackendAndNeverShowsCredentials() throws Exception {
    stderr = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(new Tee(log, stderr), true, StandardCharsets.UTF_8));

    lambda = new FakeLambda();
    lambda.answer(
        c ->
            c.rawPathAndQuery().contains("function%3Aecho/")
                ? FakeLambda.ACCEPTED
                : FakeLambda.error(
                    404,
                    "ResourceNotFoundException",
                    "Function not found: arn:aws:lambda:us-east-1:123456789012:function:gone"));
    ControlPlane plane = plane();
    plane.checkFunctionsWith(checks());
    plane.onState(state(secretBackend("echo")));

    assertThat(awaitFunctionReady("True", "DryRunSucceeded")).isTrue();
    FakeLambda.Call call = lambda.calls.get(0);
    assertThat(call.headers()).containsEntry("x-amz-invocation-type", "DryRun");
    // Signed with the session the proxies get, never the Secret's long-term keys.
    assertThat(call.headers().get("authorization"))
        .startsWith("AWS4-HMAC-SHA256 Credential=ASIASESSIONPLACEHOLDER/")
        .contains("/us-east-1/lambda/aws4_request");
    assertThat(call.headers()).containsEntry("x-amz-security-token", SESSION_TOKEN);
    List<Condition> conditions = status.get().backends().get(BACKEND);
    assertThat(conditions)
        .extracting(Condition::getType)
        .containsExactly("Accepted", "FunctionReady");

    // The Backend now names a function that does not exist: checked anew, False.
    plane.onState(state(secretBackend("gone")));
    assertThat(awaitFunctionReady("False", "FunctionNotFound")).isTrue();
    assertThat(functionReady().getMessage())
        .contains("ResourceNotFoundException: Function not found:")
        .contains("function:gone");

    // Deleted: its check stops.
    plane.onState(state(GATEWAY_AND_ROUTE));
    assertThat(MockApi.await(5000, () -> checks.tracked().isEmpty())).isTrue();
    int calls = lambda.calls.size();
    Thread.sleep(300); // a tracked failure would have been retried twice by now
    assertThat(lambda.calls).hasSize(calls);

    String logged = log.toString(StandardCharsets.UTF_8);
    assertThat(logged).contains("function check");
    for (String secret : List.of(SESSION_SECRET, SESSION_TOKEN, LONG_TERM_SECRET)) {
      assertThat(logged).doesNotContain(secret);
      assertThat(functionReady() == null ? "" : functionReady().getMessage())
          .doesNotContain(secret);
    }
  }

  @Test
  void credentialsNotReadyWaitsWithoutCallingLambda() throws Exception {
    lambda = new FakeLambda();
    ControlPlane plane = plane();
    stsChecks =
        new StsChecks(
            c -> StsCheckResult.rejected("AssumeRole for r: AccessDenied: not authorized"),
            Duration.ofHours(1),
            Duration.ofHours(1),
            Duration.ofHours(1));
    plane.checkStsWith(stsChecks);
    plane.checkFunctionsWith(checks());
    plane.onState(state(irsaBackend()));
    DesiredStatus first = status.get();
    assertThat(first.backends().get(BACKEND).get(0).getStatus())
        .as("the Backend must be valid: %s", first.backends().get(BACKEND))
        .isEqualTo("True");

    // Pending first, then STS's refusal: no verdict on the function either way.
    assertThat(
            MockApi.await(
                5000,
                () ->
                    functionReady() != null
                        && functionReady().getMessage().contains("CredentialsReady: StsError")))
        .isTrue();
    assertThat(functionReady().getStatus()).isEqualTo("Unknown");
    assertThat(functionReady().getReason()).isEqualTo("CredentialsNotReady");
    Thread.sleep(200);
    assertThat(lambda.calls).isEmpty();
    assertThat(checks.tracked()).isEmpty();
  }

  @Test
  void switchedOffThereIsNoCondition() throws Exception {
    lambda = new FakeLambda();
    ControlPlane plane = plane();
    plane.onState(state(secretBackend("echo")));
    assertThat(status.get().backends().get(BACKEND))
        .extracting(Condition::getType)
        .containsExactly("Accepted");
    Thread.sleep(200);
    assertThat(lambda.calls).isEmpty();
  }

  /** Writes to both streams. */
  static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int c) throws java.io.IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}
