package dev.lambdagate.harness.emulator.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.harness.emulator.credentials.CredentialStore;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

/** Host reconstruction: the Host header Aws4Signer writes must equal the one that arrived. */
class SigV4VerifierTest {

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "https://lambda.us-east-1.amazonaws.com, lambda.us-east-1.amazonaws.com",
    "http://127.0.0.1:9001, 127.0.0.1:9001",
    "https://example.com:80, example.com:80",
    "http://example.com:443, example.com:443",
  })
  void hostIsSignedExactlyAsItArrived(String signedEndpoint, String hostHeader) {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    @SuppressWarnings("deprecation")
    SdkHttpFullRequest signed =
        Aws4Signer.create()
            .sign(
                SdkHttpFullRequest.builder()
                    .method(SdkHttpMethod.POST)
                    .uri(URI.create(signedEndpoint))
                    .encodedPath("/2015-03-31/functions/echo/invocations")
                    .contentStreamProvider(() -> new ByteArrayInputStream(body))
                    .build(),
                Aws4SignerParams.builder()
                    .signingName("lambda")
                    .signingRegion(Region.US_EAST_1)
                    .awsCredentials(
                        AwsBasicCredentials.create(
                            CredentialStore.TEST_ACCESS_KEY_ID,
                            CredentialStore.TEST_SECRET_ACCESS_KEY))
                    .doubleUrlEncode(true)
                    .signingClockOverride(Clock.fixed(NOW, ZoneOffset.UTC))
                    .build());
    assertThat(signed.firstMatchingHeader("Host")).contains(hostHeader);
    Map<String, List<String>> headers = new LinkedHashMap<>(signed.headers());
    SigV4Verifier verifier =
        new SigV4Verifier(
            CredentialStore.withTestKeyPair(),
            "us-east-1",
            "lambda",
            Duration.ofMinutes(5),
            Clock.fixed(NOW, ZoneOffset.UTC));

    SignatureVerification result =
        verifier.verify(
            new ReceivedRequest(
                "POST", "/2015-03-31/functions/echo/invocations", null, headers, body));

    assertThat(result.outcome()).as(result.detail()).isEqualTo(SignatureVerification.Outcome.VALID);
  }
}
