package dev.lambdagate.harness.v8;

import static dev.lambdagate.harness.v8.V8HostTest.request;
import static dev.lambdagate.harness.v8.V8HostTest.wasm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lambdagate.harness.host.HttpMessage;
import dev.lambdagate.harness.host.S3SignatureOracle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Signing mode for S3 in V8, the engine Envoy runs: a PUT with a signed body and one with {@code
 * unsignedPayload} carry a signed {@code x-amz-content-sha256} (the body's hash or {@code
 * UNSIGNED-PAYLOAD}, the client's value replaced), and the AWS SDK's S3 signer computes the same
 * Authorization. Skipped when {@code node} is not on PATH.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class V8S3SigningTest {
  static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  static String config(boolean unsignedPayload) {
    return "{\"sign\":{\"service\":\"s3\",\"region\":\"eu-west-1\",\"unsignedPayload\":"
        + unsignedPayload
        + "},\"credentials\":{\"accessKeyId\":\""
        + KEY_ID
        + "\",\"secretAccessKey\":\""
        + SECRET
        + "\"}}";
  }

  /** Signs one PUT of {@code body} in a fresh driver; the request as it left the filter. */
  static HttpMessage put(boolean unsignedPayload, String body) throws IOException {
    assumeTrue(
        NodeDriver.nodeAvailable(),
        "node is not on PATH: the V8 host tests need Node 20 (node --no-liftoff)");
    try (NodeDriver driver =
        NodeDriver.start(
            wasm(),
            config(unsignedPayload),
            "--time",
            "20260301T102030Z",
            "--allow-on-headers-stop-iteration")) {
      assertThat(driver.ready().path("ready").asBoolean()).as("%s", driver.ready()).isTrue();
      JsonNode result =
          driver.send(
              request(
                  List.of(
                      List.of(":method", "PUT"),
                      List.of(":path", "/uploads/2026/report%201.csv"),
                      List.of(":authority", "examplebucket.s3.eu-west-1.amazonaws.com"),
                      List.of("content-type", "text/csv"),
                      List.of(
                          "x-amz-content-sha256",
                          "0000000000000000000000000000000000000000000000000000000000000000")),
                  body));
      assertThat(result.path("localReply").asBoolean()).as("%s", result).isFalse();
      assertThat(result.path("paused").asBoolean()).as("%s", result).isFalse();
      List<String[]> headers = new ArrayList<>();
      for (JsonNode pair : result.path("headers")) {
        headers.add(new String[] {pair.get(0).asText(), pair.get(1).asText()});
      }
      return new HttpMessage(headers, Base64.getDecoder().decode(result.path("body").asText()));
    }
  }

  static void assertSignedLikeTheSdk(HttpMessage m, String expected, boolean unsigned) {
    assertThat(m.headerValues("x-amz-content-sha256")).containsExactly(expected);
    assertThat(S3SignatureOracle.signedHeaderNames(m.header("authorization")))
        .contains("host", "x-amz-content-sha256", "x-amz-date", "content-type");
    assertThat(m.header("authorization"))
        .isEqualTo(S3SignatureOracle.authorization(m, KEY_ID, SECRET, "eu-west-1", unsigned));
  }

  @Test
  void aPutWithASignedBodyCarriesItsHash() throws Exception {
    String body = "id,total\n".repeat(500);
    HttpMessage m = put(false, body);
    assertSignedLikeTheSdk(m, HexFormat.of().formatHex(sha256(body)), false);
    assertThat(m.bodyText()).isEqualTo(body);
  }

  @Test
  void anUnsignedPayloadPutSaysSo() throws Exception {
    HttpMessage m = put(true, "streamed");
    assertSignedLikeTheSdk(m, "UNSIGNED-PAYLOAD", true);
    assertThat(m.bodyText()).isEqualTo("streamed");
  }

  static byte[] sha256(String text) throws NoSuchAlgorithmException {
    return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
  }
}
