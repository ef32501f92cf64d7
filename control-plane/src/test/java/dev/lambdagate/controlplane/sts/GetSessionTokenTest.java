package dev.lambdagate.controlplane.sts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.config.Endpoint;
import dev.lambdagate.controlplane.RefusingPort;
import dev.lambdagate.controlplane.model.Credentials;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

/**
 * {@link StsExchange#getSessionToken}: the exact call STS gets (form, SigV4 signature checked with
 * the AWS SDK's own signer), and how each kind of answer is reported.
 */
class GetSessionTokenTest {
  static final String AKID = "AKIDEXAMPLE";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
  static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

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

  static Credentials.SecretSession source(Endpoint endpoint, String region) {
    return new Credentials.SecretSession(
        new Credentials.Inline(AKID, SECRET, null), region, endpoint, null);
  }

  /** The Authorization AWS's Aws4Signer computes for this call, signed with {@code secret}. */
  String sdkAuthorization(FakeSts.Call call, String region, String secret) {
    SdkHttpFullRequest request =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.POST)
            .protocol("http")
            .host("127.0.0.1")
            .port(sts.endpoint().port())
            .encodedPath("/")
            .putHeader("content-type", call.headers().get("content-type"))
            .contentStreamProvider(
                () -> new ByteArrayInputStream(call.body().getBytes(StandardCharsets.UTF_8)))
            .build();
    Instant signedAt = AMZ_DATE.parse(call.headers().get("x-amz-date"), Instant::from);
    @SuppressWarnings("deprecation") // the legacy signer is the oracle on purpose
    Aws4Signer signer = Aws4Signer.create();
    return signer
        .sign(
            request,
            Aws4SignerParams.builder()
                .signingName("sts")
                .signingRegion(Region.of(region))
                .awsCredentials(AwsBasicCredentials.create(AKID, secret))
                .signingClockOverride(Clock.fixed(signedAt, ZoneOffset.UTC))
                .build())
        .firstMatchingHeader("Authorization")
        .orElseThrow();
  }

  @Test
  void isAFormPostSignedWithTheLongTermKeysAsAwsSignsIt() {
    StsExchange.Session s = exchange.getSessionToken(source(sts.endpoint(), "eu-west-1"), null);

    assertThat(s.failure()).isNull();
    assertThat(s.issued().credentials().accessKeyId()).isEqualTo("ASIAISSUED1");
    assertThat(s.issued().credentials().sessionToken()).isEqualTo("issued-session-token-1");
    assertThat(s.issued().expirationMillis())
        .isEqualTo(Instant.parse("2030-01-01T00:00:00Z").toEpochMilli());
    assertThat(s.toString()).doesNotContain("issued-secret").doesNotContain("issued-session");
    assertThat(sts.calls).hasSize(1);
    FakeSts.Call call = sts.calls.get(0);
    assertThat(call.body()).isEqualTo("Action=GetSessionToken&Version=2011-06-15");
    assertThat(call.headers())
        .containsEntry("content-type", "application/x-www-form-urlencoded")
        .containsEntry("x-amz-date", "20261201T100000Z")
        .doesNotContainKey("x-amz-security-token");
    String authorization = call.headers().get("authorization");
    assertThat(authorization)
        .startsWith(
            "AWS4-HMAC-SHA256 Credential="
                + AKID
                + "/20261201/eu-west-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, ");
    assertThat(authorization).isEqualTo(sdkAuthorization(call, "eu-west-1", SECRET));
    // The oracle can tell a wrong key apart.
    assertThat(authorization).isNotEqualTo(sdkAuthorization(call, "eu-west-1", SECRET + "x"));
  }

  @Test
  void asksForADurationWhenGivenOne() {
    exchange.getSessionToken(source(sts.endpoint(), "us-east-1"), 3600);

    FakeSts.Call call = sts.calls.get(0);
    assertThat(call.form())
        .containsEntry("Action", "GetSessionToken")
        .containsEntry("Version", "2011-06-15")
        .containsEntry("DurationSeconds", "3600")
        .hasSize(3);
    assertThat(call.headers().get("authorization"))
        .isEqualTo(sdkAuthorization(call, "us-east-1", SECRET));
  }

  @Test
  void stsRefusalsAreVerdictsWithCodeAndMessage() {
    for (String[] refusal :
        new String[][] {
          {"403", "InvalidClientTokenId", "The security token included in the request is invalid."},
          {"403", "SignatureDoesNotMatch", "The request signature we calculated does not match"},
          {"403", "AccessDenied", "Cannot call GetSessionToken with session credentials"}
        }) {
      sts.answer(c -> FakeSts.error(Integer.parseInt(refusal[0]), refusal[1], refusal[2]));
      StsExchange.Session s = exchange.getSessionToken(source(sts.endpoint(), "us-east-1"), null);

      assertThat(s.issued()).isNull();
      assertThat(s.failure().state()).isEqualTo(StsCheckResult.State.REJECTED);
      assertThat(s.failure().reason()).isEqualTo("StsError");
      assertThat(s.failure().message())
          .isEqualTo("GetSessionToken with the Secret's keys: " + refusal[1] + ": " + refusal[2])
          .doesNotContain(SECRET);
    }
  }

  @Test
  void throttlingServerErrorsAndSilenceAreUnreachable() throws Exception {
    sts.answer(c -> FakeSts.error(400, "Throttling", "Rate exceeded"));
    assertThat(
            exchange.getSessionToken(source(sts.endpoint(), "us-east-1"), null).failure().reason())
        .isEqualTo("StsUnreachable");
    sts.answer(c -> new FakeSts.Answer(503, "<html>unavailable</html>"));
    assertThat(
            exchange.getSessionToken(source(sts.endpoint(), "us-east-1"), null).failure().reason())
        .isEqualTo("StsUnreachable");

    StsCheckResult none;
    int closedPort;
    try (RefusingPort refusing = new RefusingPort()) {
      closedPort = refusing.port();
      none =
          exchange
              .getSessionToken(
                  source(Endpoint.parse("http://127.0.0.1:" + closedPort), "us-east-1"), null)
              .failure();
    }
    assertThat(none.state()).isEqualTo(StsCheckResult.State.UNREACHABLE);
    assertThat(none.message())
        .startsWith(
            "GetSessionToken with the Secret's keys at http://" + "127.0.0.1:" + closedPort + ": ")
        .doesNotContain(SECRET);
  }
}
