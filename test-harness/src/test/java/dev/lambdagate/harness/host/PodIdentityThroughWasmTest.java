package dev.lambdagate.harness.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.harness.emulator.LambdaEmulator;
import dev.lambdagate.harness.emulator.LambdaEmulatorConfig;
import dev.lambdagate.harness.emulator.PodIdentityAgentEmulator;
import dev.lambdagate.harness.emulator.SettableClock;
import dev.lambdagate.harness.emulator.credentials.CredentialStore;
import dev.lambdagate.harness.emulator.credentials.StoredCredential;
import dev.lambdagate.harness.emulator.sts.PodIdentityAgentHandler;
import dev.lambdagate.harness.emulator.sts.WebIdentityTokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * EKS Pod Identity inside the filter, through the built module in Chicory: credentials from the Pod
 * Identity agent emulator (which checks the token's audience and expiry), the Lambda emulator
 * verifying every SigV4 signature, session token included, against what the agent issued (one
 * shared credential store), one settable clock for the filter and both emulators.
 */
class PodIdentityThroughWasmTest {
  static final String ROLE = "arn:aws:iam::123456789012:role/lambdagate-pod-identity";

  SettableClock clock;
  CredentialStore store;
  PodIdentityAgentEmulator agent;
  LambdaEmulator lambda;
  ClusterTransport transport;
  final List<String> log = Collections.synchronizedList(new ArrayList<>());

  static String token(String audience, long expiresEpochSecond) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"RS256\",\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(
            ("{\"sub\":\"system:serviceaccount:default:gateway\",\"aud\":[\""
                    + audience
                    + "\"],\"exp\":"
                    + expiresEpochSecond
                    + "}")
                .getBytes(StandardCharsets.UTF_8))
        + ".c2lnbmF0dXJl";
  }

  String token;

  @BeforeEach
  void start() throws Exception {
    clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    store = new CredentialStore();
    agent =
        PodIdentityAgentEmulator.start(
            store,
            ROLE,
            clock,
            Duration.ofHours(6),
            WebIdentityTokens.anyJwtShaped(),
            "127.0.0.1",
            0);
    lambda =
        LambdaEmulator.start(
            LambdaEmulatorConfig.builder().credentialStore(store).clock(clock).build());
    transport =
        new ClusterTransport()
            .route("pod-identity-agent", agent.endpoint())
            .route("lambda", lambda.endpoint());
    token = token(PodIdentityAgentHandler.AUDIENCE, clock.instant().getEpochSecond() + 86_400);
  }

  @AfterEach
  void stop() {
    lambda.close();
    agent.close();
    SignedRequests.assertNothingSecretLogged(log, store, token);
  }

  String config(String podToken) {
    return "{\"lambda\":{\"functionName\":\"echo\",\"region\":\"us-east-1\",\"endpoint\":\""
        + lambda.endpoint()
        + "\"},\"credentials\":{\"podIdentity\":{\"token\":\""
        + podToken
        + "\",\"cluster\":\"pod-identity-agent\"}}}";
  }

  FilterVmOptions options(String config) {
    return SignedRequests.options(config, clock, transport, log);
  }

  static FilterOutcome run(FilterVm vm, String body) {
    return SignedRequests.run(vm, body);
  }

  void invoke(FilterOutcome outcome, String body) throws Exception {
    assertThat(SignedRequests.invoke(outcome, transport, lambda).bodyText()).isEqualTo(body);
  }

  static String accessKeyId(FilterOutcome outcome) {
    return SignedRequests.accessKeyId(outcome);
  }

  @Test
  void requestsAreSignedWithTheAgentsCredentialsFetchedOnce() throws Exception {
    try (FilterVm vm = FilterVm.start(ModuleUnderTest.filter(), options(config(token)))) {
      FilterOutcome first = run(vm, "{\"n\":1}");
      assertThat(agent.calls()).hasSize(1);
      PodIdentityAgentHandler.Call call = agent.calls().get(0);
      assertThat(call.status()).isEqualTo(200);
      StoredCredential issued = store.find(call.issuedAccessKeyId()).orElseThrow();
      assertThat(issued.principalArn())
          .startsWith("arn:aws:sts::123456789012:assumed-role/lambdagate-pod-identity/");
      assertThat(accessKeyId(first)).isEqualTo(issued.accessKeyId());
      assertThat(first.message().header("x-amz-security-token")).isEqualTo(issued.sessionToken());
      invoke(first, "{\"n\":1}");

      clock.advance(Duration.ofHours(1));
      FilterOutcome second = run(vm, "{\"n\":2}");
      assertThat(accessKeyId(second)).isEqualTo(issued.accessKeyId());
      invoke(second, "{\"n\":2}");
      assertThat(agent.calls()).hasSize(1);
      assertThat(vm.pendingCallouts()).isEmpty();
    }
  }

  @Test
  void shortLivedCredentialsAreRefreshedAheadWithoutAFailedRequest() throws Exception {
    agent.setLifetime(Duration.ofSeconds(5));
    try (FilterVm vm = FilterVm.start(ModuleUnderTest.filter(), options(config(token)))) {
      int backgroundRefreshes = 0;
      List<String> keys = new ArrayList<>();
      for (int step = 0; step < 30; step++) { // 15 s of traffic, a request every 500 ms
        FilterOutcome outcome = run(vm, "{\"step\":" + step + "}");
        invoke(outcome, "{\"step\":" + step + "}");
        keys.add(accessKeyId(outcome));
        if (!vm.pendingCallouts().isEmpty()) {
          assertThat(vm.pendingCallouts()).containsExactly("pod-identity-agent");
          backgroundRefreshes++;
          vm.drainCallouts();
        }
        clock.advance(Duration.ofMillis(500));
      }
      assertThat(backgroundRefreshes).isGreaterThanOrEqualTo(3);
      assertThat(agent.calls()).hasSize(1 + backgroundRefreshes);
      assertThat(keys.stream().distinct().count()).isEqualTo(agent.calls().size());
    }
  }

  @Test
  void aTokenForAnotherAudienceIsRefusedAndTheRequestAnswered503() throws Exception {
    String stsToken = token("sts.amazonaws.com", clock.instant().getEpochSecond() + 3600);
    try (FilterVm vm = FilterVm.start(ModuleUnderTest.filter(), options(config(stsToken)))) {
      FilterOutcome refused = run(vm, "{}");

      assertThat(refused.localReply()).isTrue();
      assertThat(refused.status()).isEqualTo(503);
      String requestId =
          ErrorReplyAssertions.assertGenericError(
              refused.message().bodyText(), "credentials_unavailable", "Service Unavailable");
      assertThat(refused.message().bodyText()).doesNotContain("audience");
      ErrorReplyAssertions.assertLoggedWith(
          log,
          requestId,
          "EKS Pod Identity agent GetCredentials failed: HTTP 400, InvalidTokenException: "
              + "Service account token audience is not pods.eks.amazonaws.com");
      assertThat(lambda.invocations().count()).isZero();
    }
  }

  @Test
  void anAgentFailureAnswers503ThenRecoversAfterTheBackoff() throws Exception {
    agent.failNext(1);
    try (FilterVm vm = FilterVm.start(ModuleUnderTest.filter(), options(config(token)))) {
      FilterOutcome refused = run(vm, "{}");
      assertThat(refused.status()).isEqualTo(503);

      FilterOutcome again = run(vm, "{}"); // within the backoff: no new call
      assertThat(again.status()).isEqualTo(503);
      assertThat(agent.calls()).hasSize(1);

      clock.advance(Duration.ofMillis(1_001));
      FilterOutcome recovered = run(vm, "{\"ok\":true}");
      assertThat(agent.calls()).hasSize(2);
      invoke(recovered, "{\"ok\":true}");
    }
  }
}
