package dev.lambdagate.harness.emulator.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.harness.emulator.credentials.CredentialStore;
import dev.lambdagate.harness.emulator.credentials.StoredCredential;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A signature that is correct for its own SignedHeaders list but leaves out a header AWS requires
 * signed is refused: host and x-amz-date always, x-amz-security-token and x-amz-content-sha256 when
 * the request carries them. The same signer, listing every header, is accepted, so each refusal is
 * due to the omission alone.
 */
class RequiredSignedHeadersTest {

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final String PATH = "/2015-03-31/functions/echo/invocations";
  private static final String SESSION_KEY = "ASIATESTSESSION00009";
  private static final String SESSION_SECRET = "session-secret";
  private static final String TOKEN = "the-session-token";
  private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);

  private final CredentialStore store = CredentialStore.withTestKeyPair();
  private final SigV4Verifier verifier =
      new SigV4Verifier(
          store, "us-east-1", "lambda", Duration.ofMinutes(5), Clock.fixed(NOW, ZoneOffset.UTC));

  RequiredSignedHeadersTest() {
    store.add(StoredCredential.session(SESSION_KEY, SESSION_SECRET, TOKEN, null, null));
  }

  /** Session credentials, with the payload hash header: every required header is present. */
  private static Map<String, String> headers() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("host", "127.0.0.1:9001");
    headers.put("x-amz-date", "20260101T120000Z");
    headers.put("x-amz-security-token", TOKEN);
    headers.put("x-amz-content-sha256", ChosenHeadersSigner.hex(ChosenHeadersSigner.sha256(BODY)));
    headers.put("content-type", "application/json");
    return headers;
  }

  private SignatureVerification verify(
      Map<String, String> headers, List<String> signedHeaders, String accessKeyId, String secret) {
    Map<String, List<String>> sent = new LinkedHashMap<>();
    headers.forEach((name, value) -> sent.put(name, List.of(value)));
    sent.put(
        "authorization",
        List.of(
            ChosenHeadersSigner.authorization(
                "POST",
                PATH,
                headers,
                signedHeaders,
                BODY,
                accessKeyId,
                secret,
                "us-east-1",
                "lambda")));
    return verifier.verify(new ReceivedRequest("POST", PATH, null, sent, BODY));
  }

  @Test
  void signingEveryHeaderIsAccepted() {
    SignatureVerification result =
        verify(headers(), List.copyOf(headers().keySet()), SESSION_KEY, SESSION_SECRET);

    assertThat(result.outcome()).as(result.detail()).isEqualTo(SignatureVerification.Outcome.VALID);
  }

  @ParameterizedTest(name = "{0} left out of SignedHeaders")
  @ValueSource(strings = {"host", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"})
  void leavingOutARequiredHeaderIsRefused(String omitted) {
    List<String> signed = new ArrayList<>(headers().keySet());
    signed.remove(omitted);

    SignatureVerification result = verify(headers(), signed, SESSION_KEY, SESSION_SECRET);

    assertThat(result.outcome())
        .as(result.detail())
        .isEqualTo(SignatureVerification.Outcome.REQUIRED_HEADER_UNSIGNED);
    assertThat(result.detail())
        .isEqualTo("'" + omitted + "' must be a 'SignedHeader' in the AWS Authorization.");
  }

  @Test
  void optionalHeadersNeedNoSignatureWhenNotSent() {
    Map<String, String> headers = headers();
    headers.remove("x-amz-security-token");
    headers.remove("x-amz-content-sha256");

    SignatureVerification result =
        verify(
            headers,
            List.of("host", "x-amz-date"),
            CredentialStore.TEST_ACCESS_KEY_ID,
            CredentialStore.TEST_SECRET_ACCESS_KEY);

    assertThat(result.outcome()).as(result.detail()).isEqualTo(SignatureVerification.Outcome.VALID);
  }
}
