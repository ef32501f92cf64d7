package dev.lambdagate.harness.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lambdagate.harness.emulator.credentials.StoredCredential;
import dev.lambdagate.harness.emulator.sts.StsFailure;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** AssumeRoleWithWebIdentity: the response and error documents, token policy, failure injection. */
class StsWebIdentityTest {

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

  @Test
  void successIsAnAssumeRoleWithWebIdentityResponse() throws Exception {
    HttpResponse<byte[]> response =
        client.postUnsigned(StsClient.webIdentityParams(StsClient.serviceAccountToken()));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("text/xml");
    Document xml = StsClient.xml(response);
    assertThat(xml.getDocumentElement().getLocalName())
        .isEqualTo("AssumeRoleWithWebIdentityResponse");
    assertThat(xml.getDocumentElement().getNamespaceURI())
        .isEqualTo("https://sts.amazonaws.com/doc/2011-06-15/");
    assertThat(StsClient.text(xml, "AccessKeyId")).matches("ASIA[A-Z2-7]{16}");
    assertThat(StsClient.text(xml, "SecretAccessKey")).hasSize(40);
    assertThat(StsClient.text(xml, "SessionToken")).isNotBlank();
    assertThat(StsClient.text(xml, "Expiration")).isEqualTo("2026-01-01T13:00:00Z");
    assertThat(StsClient.text(xml, "Arn"))
        .isEqualTo("arn:aws:sts::111122223333:assumed-role/lambda-role/9876543210");
    assertThat(StsClient.text(xml, "AssumedRoleId")).matches("AROA[A-Z2-7]{17}:9876543210");
    assertThat(StsClient.text(xml, "SubjectFromWebIdentityToken"))
        .isEqualTo("system:serviceaccount:kgateway-system:http");
    assertThat(StsClient.text(xml, "Audience")).isEqualTo("sts.amazonaws.com");
    assertThat(StsClient.text(xml, "Provider"))
        .isEqualTo(
            "arn:aws:iam::123456789012:oidc-provider/"
                + "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE");
    assertThat(StsClient.text(xml, "RequestId"))
        .isEqualTo(response.headers().firstValue("x-amzn-RequestId").orElseThrow());

    StoredCredential stored =
        sts.credentials().find(StsClient.text(xml, "AccessKeyId")).orElseThrow();
    assertThat(stored.sessionToken()).isEqualTo(StsClient.text(xml, "SessionToken"));
    assertThat(stored.expiration()).isEqualTo(Instant.parse("2026-01-01T13:00:00Z"));
    assertThat(sts.callCount()).isEqualTo(1);
    assertThat(sts.calls().last().orElseThrow().issuedAccessKeyId())
        .isEqualTo(stored.accessKeyId());
  }

  @Test
  void durationSecondsSetsTheExpiration() throws Exception {
    var params = StsClient.webIdentityParams(StsClient.serviceAccountToken());
    params.put("DurationSeconds", "900");

    assertThat(StsClient.text(StsClient.xml(client.postUnsigned(params)), "Expiration"))
        .isEqualTo("2026-01-01T12:15:00Z");
  }

  @Test
  void shortExpirationsOnDemand() throws Exception {
    sts.setCredentialLifetime(Duration.ofSeconds(5));

    assertThat(
            StsClient.text(
                StsClient.xml(
                    client.postUnsigned(
                        StsClient.webIdentityParams(StsClient.serviceAccountToken()))),
                "Expiration"))
        .isEqualTo("2026-01-01T12:00:05Z");
  }

  @Test
  void missingParametersAreAValidationError() {
    HttpResponse<byte[]> response =
        client.postUnsigned(Map.of("Action", "AssumeRoleWithWebIdentity", "Version", "2011-06-15"));

    assertErrorDocument(
        response,
        400,
        "Sender",
        "ValidationError",
        "3 validation errors detected: "
            + "Value null at 'roleArn' failed to satisfy constraint: Member must not be null; "
            + "Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null; "
            + "Value null at 'webIdentityToken' failed to satisfy constraint: Member must not be null");
  }

  @Test
  void outOfRangeDurationIsAValidationError() {
    var params = StsClient.webIdentityParams(StsClient.serviceAccountToken());
    params.put("DurationSeconds", "60");

    assertErrorDocument(
        client.postUnsigned(params),
        400,
        "Sender",
        "ValidationError",
        "1 validation error detected: Value '60' at 'durationSeconds' failed to satisfy constraint: "
            + "Member must have value greater than or equal to 900");
  }

  @Test
  void nonJwtTokenIsAnInvalidIdentityToken() {
    assertErrorDocument(
        client.postUnsigned(StsClient.webIdentityParams("not-a-jwt")),
        400,
        "Sender",
        "InvalidIdentityToken",
        "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)");
  }

  @Test
  void tokenOutsideTheAcceptedListIsAnInvalidIdentityToken() {
    String accepted = StsClient.serviceAccountToken();
    sts.setTokenPolicy(List.of(accepted)::contains);

    assertErrorDocument(
        client.postUnsigned(StsClient.webIdentityParams("aaaa.bbbb.cccc")),
        400,
        "Sender",
        "InvalidIdentityToken",
        "Couldn't retrieve verification key from your identity provider, please "
            + "reference AssumeRoleWithWebIdentity documentation for requirements");
    assertThat(client.postUnsigned(StsClient.webIdentityParams(accepted)).statusCode())
        .isEqualTo(200);
  }

  @Test
  void errorDocumentIsTheDocumentedShapeExactly() {
    HttpResponse<byte[]> response = client.postUnsigned(StsClient.webIdentityParams("not-a-jwt"));
    String requestId = response.headers().firstValue("x-amzn-RequestId").orElseThrow();

    assertThat(SignedHttp.text(response))
        .isEqualTo(
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
                + "  <Error>\n"
                + "    <Type>Sender</Type>\n"
                + "    <Code>InvalidIdentityToken</Code>\n"
                + "    <Message>The ID Token provided is not a valid JWT. (You may see this error if you "
                + "sent an Access Token)</Message>\n"
                + "  </Error>\n"
                + "  <RequestId>"
                + requestId
                + "</RequestId>\n"
                + "</ErrorResponse>\n");
  }

  @Test
  void unknownActionOrVersionIsInvalidAction() {
    assertErrorDocument(
        client.postUnsigned(Map.of("Action", "GetCallerIdentity", "Version", "2011-06-15")),
        400,
        "Sender",
        "InvalidAction",
        "Could not find operation GetCallerIdentity for version 2011-06-15");
    var params = StsClient.webIdentityParams(StsClient.serviceAccountToken());
    params.remove("Version");
    assertErrorDocument(
        client.postUnsigned(params),
        400,
        "Sender",
        "InvalidAction",
        "Could not find operation AssumeRoleWithWebIdentity for version NO_VERSION_SPECIFIED");
  }

  @Test
  void failuresOnDemandAreCounted() {
    var params = StsClient.webIdentityParams(StsClient.serviceAccountToken());
    sts.failures().failNext(StsFailure.THROTTLING, 1);
    assertErrorDocument(client.postUnsigned(params), 400, "Sender", "Throttling", "Rate exceeded");
    assertThat(client.postUnsigned(params).statusCode()).isEqualTo(200);

    sts.failures().failAll(StsFailure.INTERNAL_FAILURE);
    assertErrorDocument(
        client.postUnsigned(params),
        500,
        "Receiver",
        "InternalFailure",
        StsFailure.INTERNAL_FAILURE.message());
    assertThat(client.postUnsigned(params).statusCode()).isEqualTo(500);

    sts.failures().failNext(StsFailure.IDP_COMMUNICATION_ERROR, 1);
    assertThat(client.postUnsigned(params).statusCode()).isEqualTo(400);
    sts.failures().off();
    assertThat(client.postUnsigned(params).statusCode()).isEqualTo(200);

    assertThat(sts.callCount()).isEqualTo(6);
    assertThat(sts.calls().all())
        .extracting(call -> call.errorCode())
        .containsExactly(
            "Throttling",
            null,
            "InternalFailure",
            "InternalFailure",
            "IDPCommunicationError",
            null);
    sts.calls().clear();
    assertThat(sts.callCount()).isZero();
  }

  @Test
  void stoppedStsRefusesConnections() {
    sts.close();

    assertThatThrownBy(
            () -> client.postUnsigned(StsClient.webIdentityParams(StsClient.serviceAccountToken())))
        .hasCauseInstanceOf(java.net.ConnectException.class);
  }

  static void assertErrorDocument(
      HttpResponse<byte[]> response, int status, String type, String code, String message) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).contains("text/xml");
    try {
      Document xml = StsClient.xml(response);
      assertThat(xml.getDocumentElement().getLocalName()).isEqualTo("ErrorResponse");
      assertThat(StsClient.text(xml, "Type")).isEqualTo(type);
      assertThat(StsClient.text(xml, "Code")).isEqualTo(code);
      assertThat(StsClient.text(xml, "Message")).isEqualTo(message);
      assertThat(StsClient.text(xml, "RequestId")).isNotBlank();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
