package dev.lambdagate.harness.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.harness.emulator.credentials.StoredCredential;
import dev.lambdagate.harness.emulator.sigv4.SignatureVerification.Outcome;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** Every Invoke signature is checked with Aws4Signer; failures answer exactly like Lambda. */
class LambdaSignatureTest {

  static final String INVALID_SIGNATURE_BODY =
      "{\"message\":\"The request signature we calculated does not match "
          + "the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service "
          + "documentation for details.\"}";

  private final SettableClock clock = SettableClock.at("2026-01-01T12:00:00Z");
  private LambdaEmulator lambda;
  private LambdaClient client;

  @BeforeEach
  void start() throws Exception {
    lambda = LambdaEmulator.start(LambdaEmulatorConfig.builder().clock(clock).build());
    client = new LambdaClient(lambda, clock);
  }

  @AfterEach
  void stop() {
    lambda.close();
  }

  @Test
  void validSignatureIsAccepted() {
    HttpResponse<byte[]> response = client.invoke("echo", "{}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(lambda.invocations().last().orElseThrow().verification().outcome())
        .isEqualTo(Outcome.VALID);
  }

  @Test
  void invalidSignatureBodyIsLambdasExactly() {
    assertThat(INVALID_SIGNATURE_BODY).hasSize(192); // the size seen on the wire from Lambda
  }

  @Test
  void tamperedBodyIsRejected() {
    SignedHttp.Outgoing signed = client.request("echo", Map.of(), Map.of(), "{\"a\":1}");

    HttpResponse<byte[]> response = SignedHttp.send(signed.withBody("{\"a\":2}"));

    assertInvalidSignature(response);
    assertThat(lambda.invocations().last().orElseThrow().verification().outcome())
        .isEqualTo(Outcome.SIGNATURE_MISMATCH);
  }

  @Test
  void tamperedSignedHeaderIsRejected() {
    SignedHttp.Outgoing signed =
        client.request("echo", Map.of(), Map.of("X-Amz-Client-Context", "e30="), "{}");

    assertInvalidSignature(SignedHttp.send(signed.withHeader("X-Amz-Client-Context", "e31=")));
  }

  @Test
  void unsignedExtraHeaderIsIgnored() {
    SignedHttp.Outgoing signed = client.request("echo", Map.of(), Map.of(), "{}");

    assertThat(SignedHttp.send(signed.withHeader("X-Added-Later", "1")).statusCode())
        .isEqualTo(200);
  }

  @Test
  void tamperedQueryIsRejected() {
    SignedHttp.Outgoing signed = client.request("echo", Map.of("Qualifier", "1"), Map.of(), "{}");
    String uri = signed.uri().toString().replace("Qualifier=1", "Qualifier=live");

    assertInvalidSignature(
        SignedHttp.send(
            new SignedHttp.Outgoing(
                "POST", java.net.URI.create(uri), signed.headers(), signed.body())));
  }

  @Test
  void wrongSecretIsRejected() {
    client.credentials(AwsBasicCredentials.create("AKIDEXAMPLE", "not-the-secret"));

    assertInvalidSignature(client.invoke("echo", "{}"));
  }

  @Test
  void unknownAccessKeyIsUnrecognizedClient() {
    client.credentials(AwsBasicCredentials.create("AKIAUNKNOWN000000000", "secret"));

    HttpResponse<byte[]> response = client.invoke("echo", "{}");

    assertError(
        response,
        403,
        "UnrecognizedClientException",
        "{\"message\":\"The security token included in the request is invalid.\"}");
  }

  @Test
  void missingAuthorizationIsMissingAuthenticationToken() {
    SignedHttp.Outgoing signed = client.request("echo", Map.of(), Map.of(), "{}");

    HttpResponse<byte[]> response = SignedHttp.send(signed.withoutHeader("Authorization"));

    assertError(
        response,
        403,
        "MissingAuthenticationTokenException",
        "{\"message\":\"Missing Authentication Token\"}");
  }

  @Test
  void staleDateIsSignatureExpired() {
    SignedHttp.Outgoing signed = client.request("echo", Map.of(), Map.of(), "{}");
    clock.advance(Duration.ofMinutes(5).plusSeconds(1));

    HttpResponse<byte[]> response = SignedHttp.send(signed);

    assertError(
        response,
        403,
        "InvalidSignatureException",
        "{\"message\":\"Signature expired: 20260101T120000Z "
            + "is now earlier than 20260101T120001Z (20260101T120501Z - 5 min.)\"}");
  }

  @Test
  void dateExactlyFiveMinutesOldIsStillAccepted() {
    SignedHttp.Outgoing signed = client.request("echo", Map.of(), Map.of(), "{}");
    clock.advance(Duration.ofMinutes(5));

    assertThat(SignedHttp.send(signed).statusCode()).isEqualTo(200);
  }

  @Test
  void futureDateIsNotYetCurrent() {
    clock.advance(Duration.ofMinutes(6));
    SignedHttp.Outgoing signed = client.request("echo", Map.of(), Map.of(), "{}");
    clock.set(Instant.parse("2026-01-01T12:00:00Z"));

    HttpResponse<byte[]> response = SignedHttp.send(signed);

    assertError(
        response,
        403,
        "InvalidSignatureException",
        "{\"message\":\"Signature not yet current: "
            + "20260101T120600Z is still later than 20260101T120500Z (20260101T120000Z + 5 min.)\"}");
  }

  @Test
  void credentialScopedToAnotherRegionIsRejected() {
    client.signingRegion("eu-west-1");

    assertError(
        client.invoke("echo", "{}"),
        403,
        "InvalidSignatureException",
        "{\"message\":\"Credential should be scoped to a valid region. \"}");
  }

  @Test
  void credentialScopedToAnotherServiceIsRejected() {
    client.signingService("execute-api");

    assertError(
        client.invoke("echo", "{}"),
        403,
        "InvalidSignatureException",
        "{\"message\":\"Credential should be scoped to correct service: 'lambda'. \"}");
  }

  @Test
  void sessionCredentialsNeedTheirToken() {
    lambda
        .credentials()
        .add(
            StoredCredential.session(
                "ASIATESTSESSION00001",
                "session-secret",
                "the-token",
                Instant.parse("2026-01-01T13:00:00Z"),
                null));

    client.credentials(
        AwsSessionCredentials.create("ASIATESTSESSION00001", "session-secret", "the-token"));
    assertThat(client.invoke("echo", "{}").statusCode()).isEqualTo(200);

    client.credentials(
        AwsSessionCredentials.create("ASIATESTSESSION00001", "session-secret", "other-token"));
    assertError(
        client.invoke("echo", "{}"),
        403,
        "UnrecognizedClientException",
        "{\"message\":\"The security token included in the request is invalid.\"}");

    client.credentials(AwsBasicCredentials.create("ASIATESTSESSION00001", "session-secret"));
    assertThat(client.invoke("echo", "{}").statusCode()).isEqualTo(403);
  }

  @Test
  void expiredSessionCredentialsAreExpiredToken() {
    lambda
        .credentials()
        .add(
            StoredCredential.session(
                "ASIATESTSESSION00002",
                "session-secret",
                "the-token",
                Instant.parse("2026-01-01T12:00:05Z"),
                null));
    client.credentials(
        AwsSessionCredentials.create("ASIATESTSESSION00002", "session-secret", "the-token"));
    clock.advance(Duration.ofSeconds(5));

    assertError(
        client.invoke("echo", "{}"),
        403,
        "ExpiredTokenException",
        "{\"message\":\"The security token included in the request is expired\"}");
  }

  /**
   * SigV4 lets some services take the token unsigned; Lambda's clients here always sign it, so the
   * emulator refuses a token left out of SignedHeaders, even a right one with a right signature.
   */
  @Test
  void tokenSentButNotSignedIsRefused() {
    lambda
        .credentials()
        .add(
            StoredCredential.session(
                "ASIATESTSESSION00003", "session-secret", "the-token", null, null));
    client.credentials(AwsBasicCredentials.create("ASIATESTSESSION00003", "session-secret"));
    SignedHttp.Outgoing signed = client.request("echo", Map.of(), Map.of(), "{}");

    assertError(
        SignedHttp.send(signed.withHeader("X-Amz-Security-Token", "the-token")),
        403,
        "InvalidSignatureException",
        "{\"message\":\"'x-amz-security-token' must be a 'SignedHeader' in the AWS Authorization.\"}");
    assertThat(lambda.invocations().last().orElseThrow().verification().outcome())
        .isEqualTo(Outcome.REQUIRED_HEADER_UNSIGNED);
    assertThat(SignedHttp.send(signed.withHeader("X-Amz-Security-Token", "wrong")).statusCode())
        .isEqualTo(403);
  }

  @Test
  void payloadHashSentButNotSignedIsRefused() {
    SignedHttp.Outgoing signed = client.request("echo", Map.of(), Map.of(), "{}");

    assertError(
        SignedHttp.send(
            signed.withHeader(
                "X-Amz-Content-Sha256",
                "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")),
        403,
        "InvalidSignatureException",
        "{\"message\":\"'x-amz-content-sha256' must be a 'SignedHeader' in the AWS Authorization.\"}");
  }

  @Test
  void signingAHeaderAws4SignerNeverSignsCannotBeVerified() {
    // Aws4Signer drops user-agent from SignedHeaders, so forge a request that lists it.
    SignedHttp.Outgoing signed = client.request("echo", Map.of(), Map.of(), "{}");
    String authorization =
        signed.header("Authorization").replace("SignedHeaders=", "SignedHeaders=user-agent;");

    assertInvalidSignature(
        SignedHttp.send(
            signed.withHeader("Authorization", authorization).withHeader("User-Agent", "test")));
    assertThat(lambda.invocations().last().orElseThrow().verification())
        .satisfies(v -> assertThat(v.outcome()).isEqualTo(Outcome.UNVERIFIABLE))
        .satisfies(v -> assertThat(v.detail()).contains("user-agent"));
  }

  @Test
  void malformedAuthorizationIsIncompleteSignature() {
    SignedHttp.Outgoing signed = client.request("echo", Map.of(), Map.of(), "{}");

    HttpResponse<byte[]> response =
        SignedHttp.send(
            signed.withHeader(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/lambda/aws4_request"));

    assertError(
        response,
        403,
        "IncompleteSignatureException",
        "{\"message\":\"Authorization header requires "
            + "'Signature' parameter. Authorization header requires 'SignedHeaders' parameter.\"}");
  }

  static void assertInvalidSignature(HttpResponse<byte[]> response) {
    assertError(response, 403, "InvalidSignatureException", INVALID_SIGNATURE_BODY);
  }

  static void assertError(
      HttpResponse<byte[]> response, int status, String errorType, String body) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("x-amzn-ErrorType")).contains(errorType);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
    assertThat(SignedHttp.text(response)).isEqualTo(body);
  }
}
