package dev.lambdagate.controlplane.sts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.config.Endpoint;
import dev.lambdagate.controlplane.RefusingPort;
import dev.lambdagate.controlplane.model.Credentials;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StsExchangeTest {
  static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.web-identity.c2ln";
  static final String ROLE = "arn:aws:iam::123456789012:role/lambda-role";
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);

  FakeSts sts;
  StsExchange exchange;

  @BeforeEach
  void start() throws Exception {
    sts = new FakeSts();
    exchange =
        new StsExchange(
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
            Duration.ofSeconds(2),
            CLOCK);
  }

  @AfterEach
  void stop() {
    sts.close();
  }

  Credentials.WebIdentity webIdentity(Endpoint endpoint) {
    return new Credentials.WebIdentity(ROLE, TOKEN, "us-east-1", endpoint, "lambdagate-sts|x");
  }

  @Test
  void webIdentityIsTheFiltersUnsignedFormPost() {
    StsCheckResult r = exchange.check(webIdentity(sts.endpoint()));

    assertThat(r.state()).isEqualTo(StsCheckResult.State.ISSUED);
    assertThat(r.reason()).isEqualTo("CredentialsIssued");
    assertThat(r.message()).contains(ROLE).doesNotContain(TOKEN).doesNotContain("issued-secret");
    assertThat(sts.calls).hasSize(1);
    FakeSts.Call call = sts.calls.get(0);
    assertThat(call.form())
        .containsEntry("Action", "AssumeRoleWithWebIdentity")
        .containsEntry("Version", "2011-06-15")
        .containsEntry("RoleArn", ROLE)
        .containsEntry("WebIdentityToken", TOKEN);
    assertThat(call.form().get("RoleSessionName")).startsWith("lambdagate-check-");
    assertThat(call.headers())
        .containsEntry("content-type", "application/x-www-form-urlencoded")
        .doesNotContainKey("authorization");
    assertThat(call.headers().get("host")).isEqualTo("127.0.0.1:" + sts.endpoint().port());
  }

  @Test
  void anStsErrorIsAVerdictWithCodeAndMessage() {
    sts.answer(
        c ->
            FakeSts.error(
                403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity"));

    StsCheckResult r = exchange.check(webIdentity(sts.endpoint()));

    assertThat(r.state()).isEqualTo(StsCheckResult.State.REJECTED);
    assertThat(r.reason()).isEqualTo("StsError");
    assertThat(r.message())
        .isEqualTo(
            "AssumeRoleWithWebIdentity for "
                + ROLE
                + ": AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity");
  }

  @Test
  void throttlingAndServerErrorsAreNotVerdicts() {
    sts.answer(c -> FakeSts.error(400, "Throttling", "Rate exceeded"));
    assertThat(exchange.check(webIdentity(sts.endpoint())).state())
        .isEqualTo(StsCheckResult.State.UNREACHABLE);

    sts.answer(c -> new FakeSts.Answer(503, "<html>Service Unavailable</html>"));
    StsCheckResult r = exchange.check(webIdentity(sts.endpoint()));
    assertThat(r.state()).isEqualTo(StsCheckResult.State.UNREACHABLE);
    assertThat(r.reason()).isEqualTo("StsUnreachable");
    assertThat(r.message()).contains("HTTP503");
  }

  @Test
  void aSuccessWithoutCredentialsSaysWhatIsWrong() {
    sts.answer(
        c ->
            new FakeSts.Answer(
                200,
                "<AssumeRoleWithWebIdentityResponse>"
                    + "<AssumeRoleWithWebIdentityResult/></AssumeRoleWithWebIdentityResponse>"));
    StsCheckResult r = exchange.check(webIdentity(sts.endpoint()));
    assertThat(r.state()).isEqualTo(StsCheckResult.State.UNREACHABLE);
    assertThat(r.message()).contains("HTTP 200").contains("no <Credentials>");
  }

  @Test
  void noListenerIsUnreachableNamingTheEndpoint() throws Exception {
    try (RefusingPort refusing = new RefusingPort()) {
      int port = refusing.port();
      Endpoint closed = Endpoint.parse("http://127.0.0.1:" + port);
      StsCheckResult r = exchange.check(webIdentity(closed));
      assertThat(r.state()).isEqualTo(StsCheckResult.State.UNREACHABLE);
      assertThat(r.message()).contains("http://127.0.0.1:" + port).contains("ConnectException");
    }
  }

  @Test
  void chainingSignsAssumeRoleWithTheWebIdentityCredentials() {
    Credentials.Chained chained =
        new Credentials.Chained(
            webIdentity(sts.endpoint()),
            "arn:aws:iam::999999999999:role/cross",
            null,
            "ext-1",
            "us-east-1",
            sts.endpoint(),
            "lambdagate-sts|x");

    StsCheckResult r = exchange.check(chained);

    assertThat(r.state()).as(r.message()).isEqualTo(StsCheckResult.State.ISSUED);
    assertThat(sts.calls)
        .extracting(FakeSts.Call::action)
        .containsExactly("AssumeRoleWithWebIdentity", "AssumeRole");
    FakeSts.Call second = sts.calls.get(1);
    assertThat(second.form())
        .containsEntry("RoleArn", "arn:aws:iam::999999999999:role/cross")
        .containsEntry("ExternalId", "ext-1");
    assertThat(second.headers().get("authorization"))
        .startsWith("AWS4-HMAC-SHA256 Credential=ASIAISSUED1/20261201/us-east-1/sts/aws4_request");
    assertThat(second.headers())
        .containsEntry("x-amz-security-token", "issued-session-token-1")
        .containsEntry("x-amz-date", "20261201T100000Z");
  }

  @Test
  void chainingStopsAtAFailedFirstStep() {
    sts.answer(c -> FakeSts.error(400, "InvalidIdentityToken", "bad token"));
    Credentials.Chained chained =
        new Credentials.Chained(
            webIdentity(sts.endpoint()),
            "arn:aws:iam::999999999999:role/cross",
            null,
            null,
            "us-east-1",
            sts.endpoint(),
            "c");

    StsCheckResult r = exchange.check(chained);

    assertThat(r.state()).isEqualTo(StsCheckResult.State.REJECTED);
    assertThat(r.message())
        .startsWith("AssumeRoleWithWebIdentity for " + ROLE)
        .endsWith("InvalidIdentityToken: bad token");
    assertThat(sts.calls).hasSize(1);
  }

  @Test
  void chainingFromSecretKeysSignsWithThemAndReportsAssumeRoleErrors() {
    sts.answer(
        c ->
            FakeSts.error(
                403,
                "InvalidClientTokenId",
                "The security token included in the request is invalid."));
    Credentials.Chained chained =
        new Credentials.Chained(
            new Credentials.Inline("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null),
            "arn:aws:iam::999999999999:role/cross",
            "my-session",
            null,
            "eu-west-1",
            sts.endpoint(),
            "c");

    StsCheckResult r = exchange.check(chained);

    assertThat(r.state()).isEqualTo(StsCheckResult.State.REJECTED);
    assertThat(r.message())
        .isEqualTo(
            "AssumeRole for arn:aws:iam::999999999999:role/cross: "
                + "InvalidClientTokenId: The security token included in the request is invalid.");
    FakeSts.Call call = sts.calls.get(0);
    assertThat(call.form()).containsEntry("RoleSessionName", "my-session");
    assertThat(call.headers().get("authorization"))
        .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/eu-west-1/sts/aws4_request")
        .contains("SignedHeaders=content-type;host;x-amz-date");
  }

  @Test
  void secretKeysAloneNeedNoCheck() {
    assertThat(exchange.check(new Credentials.Inline("AKID", "secret", null))).isNull();
    assertThat(sts.calls).isEmpty();
  }
}
