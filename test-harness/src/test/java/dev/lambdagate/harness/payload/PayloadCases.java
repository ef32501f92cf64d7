package dev.lambdagate.harness.payload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lambdagate.harness.emulator.credentials.CredentialStore;
import dev.lambdagate.harness.emulator.sigv4.ReceivedRequest;
import dev.lambdagate.harness.emulator.sigv4.SigV4Verifier;
import dev.lambdagate.harness.emulator.sigv4.SignatureVerification;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Large-payload cases shared by the V8 and Chicory tests: bodies of a given size, the echo result a
 * function would return for them, and the checks that a request went upstream signed and whole and
 * that the result came back whole.
 */
public final class PayloadCases {
  public static final ObjectMapper JSON = new ObjectMapper();

  /** Lambda's synchronous payload limit, as the filter applies it. */
  public static final int SYNC_LIMIT = 6 * 1024 * 1024;

  /** The V2 body size that trapped TeaVM's heap growth before the build patched it. */
  public static final int TRAPPED_V2_SIZE = 1_048_576;

  private static final SigV4Verifier VERIFIER =
      new SigV4Verifier(
          CredentialStore.withTestKeyPair(),
          "us-east-1",
          "lambda",
          Duration.ofMinutes(5),
          Clock.systemUTC());

  private PayloadCases() {}

  /** One request body: text (JSON-safe ASCII, travels as text) or binary (travels as Base64). */
  public record Case(int size, boolean text) {
    public byte[] body() {
      byte[] body = new byte[size];
      for (int i = 0; i < size; i++) {
        body[i] = text ? (byte) ('a' + (i * 7 + i / 13) % 26) : (byte) (i * 31 + (i >> 8));
      }
      return body;
    }

    public String contentType() {
      return text ? "text/plain" : "application/octet-stream";
    }

    @Override
    public String toString() {
      return size + (text ? " B text" : " B binary");
    }
  }

  /** The configuration of one Lambda backend in {@code mode}, with the emulator's test keys. */
  public static String config(String mode, String endpoint) {
    return "{\"lambda\":{\"functionName\":\"echo\",\"region\":\"us-east-1\","
        + "\"accountId\":\"123456789012\",\"payloadTransformMode\":\""
        + mode
        + "\","
        + "\"endpoint\":\""
        + endpoint
        + "\"},\"credentials\":{\"accessKeyId\":\""
        + CredentialStore.TEST_ACCESS_KEY_ID
        + "\",\"secretAccessKey\":\""
        + CredentialStore.TEST_SECRET_ACCESS_KEY
        + "\"}}";
  }

  /**
   * What an echo function returns for {@code body}: in None mode the payload itself; in the
   * transform modes a proxy result whose body is the request body (Base64 for binary).
   */
  public static byte[] echoResult(String mode, Case c, byte[] body) throws Exception {
    if (mode.equals("None")) {
      return body;
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("statusCode", 200);
    result.put("headers", Map.of("content-type", c.contentType()));
    result.put(
        "body",
        c.text()
            ? new String(body, StandardCharsets.US_ASCII)
            : Base64.getEncoder().encodeToString(body));
    result.put("isBase64Encoded", !c.text());
    return JSON.writeValueAsBytes(result);
  }

  /** Asserts that the forwarded Invoke request carries a valid signature over what it carries. */
  public static void assertSigned(List<String[]> headers, byte[] body) {
    String method = "POST";
    String path = "/";
    Map<String, List<String>> regular = new LinkedHashMap<>();
    for (String[] h : headers) {
      switch (h[0]) {
        case ":method" -> method = h[1];
        case ":path" -> path = h[1];
        case ":authority" -> regular.computeIfAbsent("host", k -> new ArrayList<>()).add(h[1]);
        default -> {
          if (!h[0].startsWith(":")) {
            regular.computeIfAbsent(h[0], k -> new ArrayList<>()).add(h[1]);
          }
        }
      }
    }
    int q = path.indexOf('?');
    ReceivedRequest received =
        new ReceivedRequest(
            method,
            q < 0 ? path : path.substring(0, q),
            q < 0 ? null : path.substring(q + 1),
            regular,
            body);
    SignatureVerification verification = VERIFIER.verify(received);
    assertThat(verification.isValid()).as("signature: %s", verification.detail()).isTrue();
    assertThat(path).startsWith("/2015-03-31/functions/");
  }

  /** Asserts that the Invoke payload carries {@code body} whole, as {@code mode} wraps it. */
  public static void assertPayloadCarries(String mode, Case c, byte[] payload, byte[] body)
      throws Exception {
    if (mode.equals("None")) {
      assertThat(Arrays.equals(payload, body)).as("None payload of %s is the body", c).isTrue();
      return;
    }
    JsonNode event = JSON.readTree(payload);
    String carried = event.path("body").asText();
    byte[] decoded =
        c.text()
            ? carried.getBytes(StandardCharsets.US_ASCII)
            : Base64.getDecoder().decode(carried);
    assertThat(Arrays.equals(decoded, body))
        .as("%s event of %s carries the body", mode, c)
        .isTrue();
  }
}
