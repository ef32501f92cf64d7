package dev.lambdagate.harness.emulator;

import static dev.lambdagate.harness.emulator.StsWebIdentityTest.assertErrorDocument;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.config.Endpoint;
import dev.lambdagate.controlplane.model.Credentials;
import dev.lambdagate.controlplane.sts.StsCheckResult;
import dev.lambdagate.controlplane.sts.StsExchange;
import dev.lambdagate.harness.emulator.credentials.CredentialStore;
import dev.lambdagate.harness.emulator.credentials.StoredCredential;
import dev.lambdagate.harness.emulator.sts.StsFailure;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * GetSessionToken: served only to requests signed with a long-term key of the store (checked with
 * Aws4Signer); the session it issues goes into the shared store; the control plane's own call
 * ({@link StsExchange#getSessionToken}) is accepted as AWS would.
 */
class StsGetSessionTokenTest {

  private final SettableClock clock = SettableClock.at("2026-01-01T12:00:00Z");
  private StsEmulator sts;
  private StsClient client;

  @BeforeEach
  void start() throws Exception {
    sts = StsEmulator.start(StsEmulatorConfig.builder().clock(clock).build());
    client = new StsClient(sts, clock);
  }

  @AfterEach
  void stop() {
    sts.close();
  }

  static Map<String, String> params() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("Action", "GetSessionToken");
    params.put("Version", "2011-06-15");
    return params;
  }

  @Test
  void aLongTermKeyGetsATwelveHourSessionIntoTheStore() throws Exception {
    HttpResponse<byte[]> response = client.postSigned(params(), LambdaClient.TEST_KEY);

    assertThat(response.statusCode()).isEqualTo(200);
    Document xml = StsClient.xml(response);
    assertThat(xml.getDocumentElement().getLocalName()).isEqualTo("GetSessionTokenResponse");
    assertThat(xml.getDocumentElement().getNamespaceURI())
        .isEqualTo("https://sts.amazonaws.com/doc/2011-06-15/");
    String keyId = StsClient.text(xml, "AccessKeyId");
    assertThat(keyId).startsWith("ASIA").hasSize(20);
    assertThat(StsClient.text(xml, "Expiration")).isEqualTo("2026-01-02T00:00:00Z");
    StoredCredential stored = sts.credentials().find(keyId).orElseThrow();
    assertThat(stored.sessionToken()).isEqualTo(StsClient.text(xml, "SessionToken"));
    assertThat(stored.principalArn()).isEqualTo("arn:aws:iam::123456789012:user/AKIDEXAMPLE");
    assertThat(sts.calls().last().orElseThrow().action()).isEqualTo("GetSessionToken");
  }

  @Test
  void durationSecondsIsHonouredWithinIamsBounds() throws Exception {
    Map<String, String> hour = params();
    hour.put("DurationSeconds", "3600");
    assertThat(
            StsClient.text(
                StsClient.xml(client.postSigned(hour, LambdaClient.TEST_KEY)), "Expiration"))
        .isEqualTo("2026-01-01T13:00:00Z");

    Map<String, String> tooShort = params();
    tooShort.put("DurationSeconds", "600");
    assertErrorDocument(
        client.postSigned(tooShort, LambdaClient.TEST_KEY),
        400,
        "Sender",
        "ValidationError",
        "1 validation error detected: Value '600' at 'durationSeconds' failed to satisfy constraint: "
            + "Member must have value greater than or equal to 900");
  }

  @Test
  void sessionCredentialsCannotCallIt() throws Exception {
    Document first = StsClient.xml(client.postSigned(params(), LambdaClient.TEST_KEY));
    AwsSessionCredentials session =
        AwsSessionCredentials.create(
            StsClient.text(first, "AccessKeyId"),
            StsClient.text(first, "SecretAccessKey"),
            StsClient.text(first, "SessionToken"));

    assertErrorDocument(
        client.postSigned(params(), session),
        403,
        "Sender",
        "AccessDenied",
        "Cannot call GetSessionToken with session credentials");
  }

  @Test
  void badSignaturesAndUnknownKeysAreRefusedAsStsDoes() {
    SignedHttp.Outgoing signed = client.signed(params(), LambdaClient.TEST_KEY);
    Map<String, String> other = params();
    other.put("DurationSeconds", "3600");
    assertErrorDocument(
        SignedHttp.send(signed.withBody(StsClient.form(other))),
        403,
        "Sender",
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature "
            + "you provided. Check your AWS Secret Access Key and signing method. Consult the service "
            + "documentation for details.");
    assertErrorDocument(
        client.postSigned(params(), AwsBasicCredentials.create("AKIAUNKNOWN000000000", "x")),
        403,
        "Sender",
        "InvalidClientTokenId",
        "The security token included in the request is invalid.");
    assertErrorDocument(
        client.postUnsigned(params()),
        403,
        "Sender",
        "MissingAuthenticationToken",
        "Request is missing Authentication Token");
  }

  @Test
  void failureInjectionAppliesToIt() {
    sts.failures().failNext(StsFailure.INTERNAL_FAILURE, 1);
    assertThat(client.postSigned(params(), LambdaClient.TEST_KEY).statusCode()).isEqualTo(500);
    assertThat(client.postSigned(params(), LambdaClient.TEST_KEY).statusCode()).isEqualTo(200);
  }

  /**
   * The control plane's call, made by the filter's signer, passes the emulator's Aws4Signer check.
   */
  @Test
  void theControlPlanesExchangeIsAccepted() {
    StsExchange exchange =
        new StsExchange(
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
            Duration.ofSeconds(5),
            clock);
    Endpoint endpoint = Endpoint.parse(sts.endpoint().toString());
    Credentials.SecretSession source =
        new Credentials.SecretSession(
            new Credentials.Inline(
                CredentialStore.TEST_ACCESS_KEY_ID, CredentialStore.TEST_SECRET_ACCESS_KEY, null),
            "us-east-1",
            endpoint,
            null);

    StsExchange.Session session = exchange.getSessionToken(source, null);

    assertThat(session.failure()).isNull();
    String keyId = session.issued().credentials().accessKeyId();
    assertThat(sts.credentials().find(keyId).orElseThrow().sessionToken())
        .isEqualTo(session.issued().credentials().sessionToken());
    assertThat(session.issued().expirationMillis())
        .isEqualTo(Instant.parse("2026-01-02T00:00:00Z").toEpochMilli());

    // Wrong secret: STS's refusal, as a verdict.
    StsCheckResult refused =
        exchange
            .getSessionToken(
                new Credentials.SecretSession(
                    new Credentials.Inline(
                        CredentialStore.TEST_ACCESS_KEY_ID, "not-the-secret", null),
                    "us-east-1",
                    endpoint,
                    null),
                null)
            .failure();
    assertThat(refused.reason()).isEqualTo("StsError");
    assertThat(refused.message())
        .startsWith("GetSessionToken with the Secret's keys: SignatureDoesNotMatch: ");
  }
}
