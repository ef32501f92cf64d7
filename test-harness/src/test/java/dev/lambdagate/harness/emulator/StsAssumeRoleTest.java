package dev.lambdagate.harness.emulator;

import static dev.lambdagate.harness.emulator.StsWebIdentityTest.assertErrorDocument;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** AssumeRole (role chaining) is only served to correctly signed requests. */
class StsAssumeRoleTest {

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

  static Map<String, String> assumeRoleParams(String sessionName) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("Action", "AssumeRole");
    params.put("Version", "2011-06-15");
    params.put("RoleArn", "arn:aws:iam::111122223333:role/path/chained-role");
    params.put("RoleSessionName", sessionName);
    return params;
  }

  @Test
  void signedWithTheTestKeyPairIssuesCredentials() throws Exception {
    HttpResponse<byte[]> response =
        client.postSigned(assumeRoleParams("chained"), LambdaClient.TEST_KEY);

    assertThat(response.statusCode()).isEqualTo(200);
    Document xml = StsClient.xml(response);
    assertThat(xml.getDocumentElement().getLocalName()).isEqualTo("AssumeRoleResponse");
    assertThat(StsClient.text(xml, "Arn"))
        .isEqualTo("arn:aws:sts::111122223333:assumed-role/chained-role/chained");
    assertThat(StsClient.text(xml, "AccessKeyId")).startsWith("ASIA");
    assertThat(sts.credentials().find(StsClient.text(xml, "AccessKeyId"))).isPresent();
  }

  @Test
  void unsignedIsMissingAuthenticationToken() {
    assertErrorDocument(
        client.postUnsigned(assumeRoleParams("chained")),
        403,
        "Sender",
        "MissingAuthenticationToken",
        "Request is missing Authentication Token");
  }

  @Test
  void tamperedBodyIsSignatureDoesNotMatch() {
    SignedHttp.Outgoing signed = client.signed(assumeRoleParams("chained"), LambdaClient.TEST_KEY);

    assertErrorDocument(
        SignedHttp.send(signed.withBody(StsClient.form(assumeRoleParams("other")))),
        403,
        "Sender",
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature "
            + "you provided. Check your AWS Secret Access Key and signing method. Consult the service "
            + "documentation for details.");
  }

  @Test
  void unknownKeyIsInvalidClientTokenId() {
    assertErrorDocument(
        client.postSigned(
            assumeRoleParams("chained"),
            AwsBasicCredentials.create("AKIAUNKNOWN000000000", "secret")),
        403,
        "Sender",
        "InvalidClientTokenId",
        "The security token included in the request is invalid.");
  }

  @Test
  void roleChainingFromIssuedCredentialsIsLimitedToAnHour() throws Exception {
    Document first =
        StsClient.xml(
            client.postUnsigned(StsClient.webIdentityParams(StsClient.serviceAccountToken())));
    AwsSessionCredentials issued =
        AwsSessionCredentials.create(
            StsClient.text(first, "AccessKeyId"),
            StsClient.text(first, "SecretAccessKey"),
            StsClient.text(first, "SessionToken"));

    assertThat(client.postSigned(assumeRoleParams("hop"), issued).statusCode()).isEqualTo(200);

    Map<String, String> tooLong = assumeRoleParams("hop");
    tooLong.put("DurationSeconds", "7200");
    assertErrorDocument(
        client.postSigned(tooLong, issued),
        400,
        "Sender",
        "ValidationError",
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
  }

  @Test
  void expiredCallerCredentialsAreExpiredToken() throws Exception {
    sts.setCredentialLifetime(Duration.ofSeconds(5));
    Document first =
        StsClient.xml(
            client.postUnsigned(StsClient.webIdentityParams(StsClient.serviceAccountToken())));
    AwsSessionCredentials issued =
        AwsSessionCredentials.create(
            StsClient.text(first, "AccessKeyId"),
            StsClient.text(first, "SecretAccessKey"),
            StsClient.text(first, "SessionToken"));
    clock.advance(Duration.ofSeconds(6));

    assertErrorDocument(
        client.postSigned(assumeRoleParams("hop"), issued),
        400,
        "Sender",
        "ExpiredToken",
        "The security token included in the request is expired");
  }

  /**
   * A session token left out of SignedHeaders is refused even when the signature is otherwise
   * right.
   */
  @Test
  void sessionTokenLeftOutOfTheSignatureIsRefused() throws Exception {
    Document first =
        StsClient.xml(
            client.postUnsigned(StsClient.webIdentityParams(StsClient.serviceAccountToken())));
    AwsBasicCredentials keysOnly =
        AwsBasicCredentials.create(
            StsClient.text(first, "AccessKeyId"), StsClient.text(first, "SecretAccessKey"));

    SignedHttp.Outgoing signedWithoutToken =
        client
            .signed(assumeRoleParams("hop"), keysOnly)
            .withHeader("X-Amz-Security-Token", StsClient.text(first, "SessionToken"));

    assertErrorDocument(
        SignedHttp.send(signedWithoutToken),
        403,
        "Sender",
        "SignatureDoesNotMatch",
        "'x-amz-security-token' must be a 'SignedHeader' in the AWS Authorization.");
  }
}
