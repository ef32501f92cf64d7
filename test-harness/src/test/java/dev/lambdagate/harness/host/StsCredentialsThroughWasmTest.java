package dev.lambdagate.harness.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.harness.emulator.LambdaEmulator;
import dev.lambdagate.harness.emulator.LambdaEmulatorConfig;
import dev.lambdagate.harness.emulator.SettableClock;
import dev.lambdagate.harness.emulator.StsEmulator;
import dev.lambdagate.harness.emulator.StsEmulatorConfig;
import dev.lambdagate.harness.emulator.credentials.CredentialStore;
import dev.lambdagate.harness.emulator.credentials.StoredCredential;
import dev.lambdagate.harness.emulator.lambda.InvocationRecord;
import dev.lambdagate.harness.emulator.sts.StsCallRecord;
import dev.lambdagate.harness.emulator.sts.StsFailure;
import io.roastedroot.proxywasm.SimpleSharedDataHandler;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * IRSA inside the filter, through the built module: web identity credentials from the STS emulator,
 * the Lambda emulator verifying every signature against what STS issued (one shared credential
 * store), and one settable clock for the filter and both emulators.
 */
class StsCredentialsThroughWasmTest {
  static final String ROLE = "arn:aws:iam::123456789012:role/lambdagate-invoker";
  static final String CHAINED_ROLE = "arn:aws:iam::210987654321:role/lambda-target";
  static final String TOKEN = jwt();

  SettableClock clock;
  CredentialStore store;
  StsEmulator sts;
  LambdaEmulator lambda;
  ClusterTransport transport;
  final List<String> log = Collections.synchronizedList(new ArrayList<>());

  static String jwt() {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"RS256\",\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(
            ("{\"sub\":\"system:serviceaccount:default:gateway\","
                    + "\"aud\":\"sts.amazonaws.com\",\"iss\":\"https://oidc.eks.example.com/id/X\"}")
                .getBytes(StandardCharsets.UTF_8))
        + ".c2lnbmF0dXJl";
  }

  @BeforeEach
  void start() throws Exception {
    clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    store = CredentialStore.withTestKeyPair();
    sts =
        StsEmulator.start(StsEmulatorConfig.builder().credentialStore(store).clock(clock).build());
    lambda =
        LambdaEmulator.start(
            LambdaEmulatorConfig.builder().credentialStore(store).clock(clock).build());
    transport =
        new ClusterTransport().route("sts", sts.endpoint()).route("lambda", lambda.endpoint());
  }

  @AfterEach
  void stop() {
    lambda.close();
    sts.close();
    SignedRequests.assertNothingSecretLogged(log, store, TOKEN);
  }

  String webIdentity() {
    return "\"webIdentity\":{\"roleArn\":\""
        + ROLE
        + "\",\"token\":\""
        + TOKEN
        + "\","
        + "\"stsRegion\":\"us-east-1\",\"stsEndpoint\":\""
        + sts.endpoint()
        + "\","
        + "\"stsCluster\":\"sts\"}";
  }

  String config(String credentials) {
    return "{\"lambda\":{\"functionName\":\"echo\",\"region\":\"us-east-1\",\"endpoint\":\""
        + lambda.endpoint()
        + "\"},\"credentials\":{"
        + credentials
        + "}}";
  }

  FilterVmOptions options(String config) {
    return SignedRequests.options(config, clock, transport, log);
  }

  static FilterOutcome run(FilterVm vm, String body) {
    return SignedRequests.run(vm, body);
  }

  InvocationRecord invoke(FilterOutcome outcome) throws Exception {
    return SignedRequests.invoke(outcome, transport, lambda);
  }

  static String accessKeyId(FilterOutcome outcome) {
    return SignedRequests.accessKeyId(outcome);
  }

  @Test
  void theFirstRequestMakesOneStsCallAndIsSignedWithTheSessionCredentials() throws Exception {
    try (FilterVm vm = FilterVm.start(ModuleUnderTest.filter(), options(config(webIdentity())))) {
      FilterOutcome first = run(vm, "{\"n\":1}");
      assertThat(sts.callCount()).isEqualTo(1);
      StsCallRecord call = sts.calls().last().orElseThrow();
      assertThat(call.action()).isEqualTo("AssumeRoleWithWebIdentity");
      assertThat(call.status()).isEqualTo(200);
      assertThat(call.parameters())
          .containsEntry("RoleArn", ROLE)
          .containsEntry("WebIdentityToken", TOKEN);
      assertThat(call.parameters().get("RoleSessionName")).startsWith("lambdagate-");
      StoredCredential issued = store.find(call.issuedAccessKeyId()).orElseThrow();
      assertThat(accessKeyId(first)).isEqualTo(issued.accessKeyId());
      assertThat(first.message().header("x-amz-security-token")).isEqualTo(issued.sessionToken());
      assertThat(invoke(first).bodyText()).isEqualTo("{\"n\":1}");

      FilterOutcome second = run(vm, "{\"n\":2}");
      assertThat(accessKeyId(second)).isEqualTo(issued.accessKeyId());
      invoke(second);
      assertThat(sts.callCount()).isEqualTo(1);
      assertThat(vm.pendingCallouts()).isEmpty();
    }
  }

  @Test
  void concurrentFirstRequestsShareOneStsCall() throws Exception {
    try (FilterVm vm = FilterVm.start(ModuleUnderTest.filter(), options(config(webIdentity())))) {
      List<FilterStream> streams = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        FilterStream stream = vm.openStream(Map.of());
        stream.begin(SignedRequests.post("{\"n\":" + i + "}"));
        assertThat(stream.requestPaused()).isTrue();
        streams.add(stream);
      }
      assertThat(vm.pendingCallouts()).containsExactly("sts");
      assertThat(sts.callCount()).isZero();
      // One client goes away while waiting: the others are resumed, it is skipped.
      FilterStream gone = streams.remove(1);
      gone.close();
      streams.add(1, null);
      vm.drainCallouts();
      assertThat(sts.callCount()).isEqualTo(1);
      String issued = sts.calls().last().orElseThrow().issuedAccessKeyId();
      for (int i = 0; i < streams.size(); i++) {
        FilterStream stream = streams.get(i);
        if (stream == null) {
          continue;
        }
        assertThat(stream.requestPaused()).isFalse();
        FilterOutcome outcome = stream.finish();
        assertThat(accessKeyId(outcome)).isEqualTo(issued);
        assertThat(invoke(outcome).bodyText()).isEqualTo("{\"n\":" + i + "}");
        stream.close();
      }
      assertThat(sts.callCount()).isEqualTo(1);
    }
  }

  @Test
  void shortLivedCredentialsAreRefreshedAheadWithoutAFailedRequest() throws Exception {
    sts.setCredentialLifetime(Duration.ofSeconds(5));
    try (FilterVm vm = FilterVm.start(ModuleUnderTest.filter(), options(config(webIdentity())))) {
      List<String> keys = new ArrayList<>();
      int backgroundRefreshes = 0;
      for (int step = 0; step < 40; step++) { // 20 s of traffic, a request every 500 ms
        FilterOutcome outcome = run(vm, "{\"step\":" + step + "}");
        invoke(outcome); // every request succeeds at Lambda, whose clock is the filter's
        keys.add(accessKeyId(outcome));
        if (!vm.pendingCallouts().isEmpty()) {
          // The refresh runs in the background: this request was signed with the old ones.
          assertThat(vm.pendingCallouts()).containsExactly("sts");
          backgroundRefreshes++;
          vm.drainCallouts();
        }
        clock.advance(Duration.ofMillis(500));
      }
      assertThat(backgroundRefreshes).isGreaterThanOrEqualTo(4);
      assertThat(sts.callCount()).isEqualTo(1 + backgroundRefreshes);
      assertThat(keys.stream().distinct().count()).isEqualTo(sts.callCount());
      assertThat(lambda.invocations().countWithStatus(200)).isEqualTo(40);
    }
  }

  @Test
  void stsFailureAnswers503NamingItInTheLogThenRecoversAfterTheBackoff() throws Exception {
    sts.failures().failAll(StsFailure.INTERNAL_FAILURE);
    try (FilterVm vm = FilterVm.start(ModuleUnderTest.filter(), options(config(webIdentity())))) {
      FilterOutcome refused = run(vm, "{}");
      assertThat(refused.localReply()).isTrue();
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.message().header("content-type")).isEqualTo("application/json");
      // The client learns nothing of STS; the log has it under the reply's request id (made
      // up by the filter: this request has no x-request-id).
      String requestId =
          ErrorReplyAssertions.assertGenericError(
              refused.message().bodyText(), "credentials_unavailable", "Service Unavailable");
      assertThat(refused.message().bodyText()).doesNotContain("STS").doesNotContain("Failure");
      ErrorReplyAssertions.assertLoggedWith(
          log,
          requestId,
          "answered 503 credentials_unavailable",
          "STS AssumeRoleWithWebIdentity failed: InternalFailure: "
              + StsFailure.INTERNAL_FAILURE.message());
      assertThat(sts.callCount()).isEqualTo(1);

      // Within the backoff: answered at once, STS is left alone.
      FilterOutcome again = run(vm, "{}");
      assertThat(again.status()).isEqualTo(503);
      String againId =
          ErrorReplyAssertions.assertGenericError(
              again.message().bodyText(), "credentials_unavailable", "Service Unavailable");
      assertThat(againId).isNotEqualTo(requestId);
      ErrorReplyAssertions.assertLoggedWith(log, againId, "InternalFailure");
      assertThat(sts.callCount()).isEqualTo(1);
      assertThat(vm.pendingCallouts()).isEmpty();

      sts.failures().off();
      clock.advance(Duration.ofMillis(1_001)); // the first backoff is 0.5 to 1 s
      FilterOutcome recovered = run(vm, "{\"ok\":true}");
      assertThat(sts.callCount()).isEqualTo(2);
      assertThat(invoke(recovered).bodyText()).isEqualTo("{\"ok\":true}");
    }
  }

  @Test
  void anUnreachableStsIsAFailureTooNeverAHang() throws Exception {
    transport.route("sts", URI.create("http://127.0.0.1:9")); // nothing listens on discard
    try (FilterVm vm = FilterVm.start(ModuleUnderTest.filter(), options(config(webIdentity())))) {
      FilterOutcome refused = run(vm, "{}");
      assertThat(refused.status()).isEqualTo(503);
      String requestId =
          ErrorReplyAssertions.assertGenericError(
              refused.message().bodyText(), "credentials_unavailable", "Service Unavailable");
      ErrorReplyAssertions.assertLoggedWith(
          log, requestId, "STS AssumeRoleWithWebIdentity failed: no response from cluster 'sts'");
    }
  }

  @Test
  void anStsCallThatTimesOutIsAFailure() throws Exception {
    List<Integer> timeouts = new ArrayList<>();
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0)) { // accepts, never answers
      ClusterTransport silentSts =
          new ClusterTransport()
              .route("sts", URI.create("http://127.0.0.1:" + silent.getLocalPort()));
      HttpCallTransport recording =
          (cluster, headers, body, timeoutMillis) -> {
            timeouts.add(timeoutMillis);
            return silentSts.call(cluster, headers, body, timeoutMillis);
          };
      long started = System.nanoTime();
      try (FilterVm vm =
          FilterVm.start(
              ModuleUnderTest.filter(), options(config(webIdentity())).withTransport(recording))) {
        FilterOutcome refused = run(vm, "{}");
        assertThat(refused.status()).isEqualTo(503);
        String requestId =
            ErrorReplyAssertions.assertGenericError(
                refused.message().bodyText(), "credentials_unavailable", "Service Unavailable");
        ErrorReplyAssertions.assertLoggedWith(
            log,
            requestId,
            "STS AssumeRoleWithWebIdentity failed: no response from cluster 'sts' (connection "
                + "failure or timeout after 5000 ms)");
      }
      assertThat(timeouts).containsExactly(5_000);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }
  }

  @Test
  void aRejectedTokenIsNamedInTheLogNotInThe503() throws Exception {
    sts.setTokenPolicy(token -> false);
    try (FilterVm vm = FilterVm.start(ModuleUnderTest.filter(), options(config(webIdentity())))) {
      FilterOutcome refused = run(vm, "{}");
      assertThat(refused.status()).isEqualTo(503);
      // The STS error code is for the log, not for the client.
      String requestId =
          ErrorReplyAssertions.assertGenericError(
              refused.message().bodyText(), "credentials_unavailable", "Service Unavailable");
      assertThat(refused.message().bodyText()).doesNotContain("InvalidIdentityToken");
      ErrorReplyAssertions.assertLoggedWith(
          log,
          requestId,
          "STS AssumeRoleWithWebIdentity failed: InvalidIdentityToken: Couldn't retrieve "
              + "verification key from your identity provider");
    }
  }

  @Test
  void anotherVmUsesTheSharedCredentialsWithoutCallingSts() throws Exception {
    SimpleSharedDataHandler shared = new SimpleSharedDataHandler();
    try (FilterVm first =
            FilterVm.start(
                ModuleUnderTest.filter(), options(config(webIdentity())).withSharedData(shared));
        FilterVm second =
            FilterVm.start(
                ModuleUnderTest.filter(), options(config(webIdentity())).withSharedData(shared))) {
      FilterOutcome a = run(first, "{\"vm\":1}");
      FilterOutcome b = run(second, "{\"vm\":2}");
      assertThat(sts.callCount()).isEqualTo(1);
      assertThat(second.pendingCallouts()).isEmpty();
      assertThat(accessKeyId(b)).isEqualTo(accessKeyId(a));
      invoke(a);
      invoke(b);
    }
  }

  @Test
  void assumeRoleChainingSignsTheSecondCallWithTheFirstCredentials() throws Exception {
    String credentials =
        webIdentity()
            + ",\"assumeRole\":{\"roleArn\":\""
            + CHAINED_ROLE
            + "\",\"roleSessionName\":\"gateway\",\"externalId\":\"ext-42\"}";
    try (FilterVm vm = FilterVm.start(ModuleUnderTest.filter(), options(config(credentials)))) {
      FilterOutcome outcome = run(vm, "{\"chained\":true}");
      List<StsCallRecord> calls = sts.calls().all();
      assertThat(calls)
          .extracting(StsCallRecord::action)
          .containsExactly("AssumeRoleWithWebIdentity", "AssumeRole");
      assertThat(calls).extracting(StsCallRecord::status).containsExactly(200, 200);
      assertThat(calls.get(1).parameters())
          .containsEntry("RoleArn", CHAINED_ROLE)
          .containsEntry("RoleSessionName", "gateway")
          .containsEntry("ExternalId", "ext-42");
      assertThat(accessKeyId(outcome)).isEqualTo(calls.get(1).issuedAccessKeyId());
      invoke(outcome);
      run(vm, "{}");
      assertThat(sts.callCount()).isEqualTo(2);
    }
  }

  @Test
  void assumeRoleWithInlineKeys() throws Exception {
    String credentials =
        "\"accessKeyId\":\""
            + CredentialStore.TEST_ACCESS_KEY_ID
            + "\",\"secretAccessKey\":\""
            + CredentialStore.TEST_SECRET_ACCESS_KEY
            + "\","
            + "\"assumeRole\":{\"roleArn\":\""
            + CHAINED_ROLE
            + "\",\"stsEndpoint\":\""
            + sts.endpoint()
            + "\",\"stsCluster\":\"sts\"}";
    try (FilterVm vm = FilterVm.start(ModuleUnderTest.filter(), options(config(credentials)))) {
      FilterOutcome outcome = run(vm, "{}");
      StsCallRecord call = sts.calls().last().orElseThrow();
      assertThat(call.action()).isEqualTo("AssumeRole");
      assertThat(call.status()).isEqualTo(200);
      assertThat(accessKeyId(outcome)).isEqualTo(call.issuedAccessKeyId());
      invoke(outcome);
    }
  }

  @Test
  void signingModeWaitsForStsToo() throws Exception {
    String config =
        "{\"sign\":{\"service\":\"lambda\",\"region\":\"us-east-1\"},"
            + "\"credentials\":{"
            + webIdentity()
            + "}}";
    try (FilterVm vm = FilterVm.start(ModuleUnderTest.filter(), options(config))) {
      FilterOutcome outcome = run(vm, "payload");
      assertThat(outcome.localReply()).isFalse();
      assertThat(accessKeyId(outcome))
          .isEqualTo(sts.calls().last().orElseThrow().issuedAccessKeyId());
      assertThat(outcome.message().bodyText()).isEqualTo("payload");
    }
  }
}
