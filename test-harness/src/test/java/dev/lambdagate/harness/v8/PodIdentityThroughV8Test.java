package dev.lambdagate.harness.v8;

import static dev.lambdagate.harness.v8.V8HostTest.base64;
import static dev.lambdagate.harness.v8.V8HostTest.header;
import static dev.lambdagate.harness.v8.V8HostTest.headers;
import static dev.lambdagate.harness.v8.V8HostTest.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lambdagate.harness.host.ErrorReplyAssertions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * EKS Pod Identity credentials under the Node host (V8, Envoy's engine): the first request pauses
 * while the filter calls the agent ({@code GET /v1/credentials} through the agent cluster, the
 * token as {@code Authorization}), is signed with the answer and continued; later requests reuse
 * the credentials until the refresh is due, then one request triggers a background call while it is
 * still signed with the current ones; a failed call answers 503, never unsigned.
 */
class PodIdentityThroughV8Test {
  static final String TOKEN =
      "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOlsicG9kcy5la3MuYW1hem9uYXdzLmNvbSJdfQ.c2ln";
  static final String CONFIG =
      "{\"lambda\":{\"functionName\":\"echo\",\"region\":\"us-east-1\"},"
          + "\"credentials\":{\"podIdentity\":{\"token\":\""
          + TOKEN
          + "\",\"cluster\":\"lambdagate-pod-identity-agent\"}}}";

  static String agentAnswer(String accessKeyId, String expiration) {
    return "{\"AccessKeyId\":\""
        + accessKeyId
        + "\",\"SecretAccessKey\":\"secret-"
        + accessKeyId
        + "\",\"Token\":\"token-"
        + accessKeyId
        + "\",\"AccountId\":\"123456789012\",\"Expiration\":\""
        + expiration
        + "\"}";
  }

  @BeforeAll
  static void node() {
    assumeTrue(NodeDriver.nodeAvailable(), "node (20+) not on PATH: V8 checks skipped");
  }

  static ObjectNode post(String time) {
    ObjectNode request =
        request(
            List.of(
                List.of(":method", "POST"),
                List.of(":path", "/x"),
                List.of(":authority", "gateway.example.com"),
                List.of("content-type", "application/json")),
            "{\"a\":1}");
    request.put("time", time);
    return request;
  }

  static void answer(ObjectNode request, int status, String body) {
    ObjectNode answer = request.putArray("callouts").addObject();
    answer.set(
        "headers",
        headers(
            List.of(List.of(":status", String.valueOf(status)), List.of("content-type", "json"))));
    answer.put("body", base64(body));
  }

  static NodeDriver start() throws IOException {
    return NodeDriver.start(
        V8HostTest.wasm(),
        CONFIG,
        "--time",
        "20150830T123600Z",
        "--allow-on-headers-stop-iteration");
  }

  @Test
  void fetchesFromTheAgentCachesAndRefreshesAhead() throws IOException {
    try (NodeDriver driver = start()) {
      ObjectNode first = post("20150830T123600Z");
      answer(first, 200, agentAnswer("ASIAPOD1", "2015-08-30T18:36:00Z"));

      JsonNode result = driver.send(first);

      assertThat(result.path("localReply").asBoolean()).as("result: %s", result).isFalse();
      assertThat(result.path("paused").asBoolean()).isFalse();
      assertThat(header(result, "authorization"))
          .startsWith("AWS4-HMAC-SHA256 Credential=ASIAPOD1/20150830/us-east-1/lambda/");
      assertThat(header(result, "x-amz-security-token")).isEqualTo("token-ASIAPOD1");
      JsonNode call = result.path("callouts").get(0);
      assertThat(call.path("upstream").asText()).isEqualTo("lambdagate-pod-identity-agent");
      List<String> callHeaders = new ArrayList<>();
      call.path("headers")
          .forEach(h -> callHeaders.add(h.get(0).asText() + "=" + h.get(1).asText()));
      assertThat(callHeaders)
          .contains(
              ":method=GET",
              ":path=/v1/credentials",
              ":authority=169.254.170.23",
              "authorization=" + TOKEN);
      assertThat(result.path("metrics").path("lambdagate.pod_identity.call").asText())
          .isEqualTo("1");
      assertThat(result.path("logs").toString()).doesNotContain(TOKEN);

      // An hour later: still cached, no call.
      JsonNode cached = driver.send(post("20150830T133600Z"));
      assertThat(cached.path("callouts")).isEmpty();
      assertThat(header(cached, "authorization")).contains("Credential=ASIAPOD1/20150830/");

      // Four minutes before expiry (inside the 5-minute lead): signed with the current
      // credentials while one background call fetches the next.
      ObjectNode due = post("20150830T183200Z");
      answer(due, 200, agentAnswer("ASIAPOD2", "2015-08-31T00:32:00Z"));
      JsonNode refreshed = driver.send(due);
      assertThat(refreshed.path("callouts")).hasSize(1);
      assertThat(refreshed.path("paused").asBoolean()).isFalse();

      JsonNode after = driver.send(post("20150830T183300Z"));
      assertThat(after.path("callouts")).isEmpty();
      assertThat(header(after, "authorization")).contains("Credential=ASIAPOD2/");
      assertThat(
              after
                  .path("metrics")
                  .path("lambdagate.backend.default.credentials_refreshed")
                  .asText())
          .isEqualTo("2");
    }
  }

  @Test
  void anAgentRefusalAnswers503WithTheAgentsReasonLogged() throws IOException {
    try (NodeDriver driver = start()) {
      ObjectNode request = post("20150830T123600Z");
      answer(
          request,
          400,
          "{\"code\":\"InvalidTokenException\",\"message\":\"Service account token audience is not pods.eks.amazonaws.com\"}");

      JsonNode result = driver.send(request);

      assertThat(result.path("localReply").asBoolean()).as("result: %s", result).isTrue();
      assertThat(result.path("status").asInt()).isEqualTo(503);
      String body =
          new String(
              Base64.getDecoder().decode(result.path("body").asText()), StandardCharsets.UTF_8);
      String requestId =
          ErrorReplyAssertions.assertGenericError(
              body, "credentials_unavailable", "Service Unavailable");
      List<String> log = new ArrayList<>();
      result.path("logs").forEach(l -> log.add(l.path("message").asText()));
      ErrorReplyAssertions.assertLoggedWith(
          log,
          requestId,
          "EKS Pod Identity agent GetCredentials failed: HTTP 400, InvalidTokenException: "
              + "Service account token audience is not pods.eks.amazonaws.com");
      assertThat(result.path("metrics").path("lambdagate.pod_identity.call_failed").asText())
          .isEqualTo("1");
    }
  }

  @Test
  void noAnswerFromTheAgentAnswers503() throws IOException {
    try (NodeDriver driver = start()) {
      ObjectNode request = post("20150830T123600Z");
      request.putArray("callouts").addNull();

      JsonNode result = driver.send(request);

      assertThat(result.path("status").asInt()).isEqualTo(503);
      assertThat(result.path("logs").toString())
          .contains(
              "EKS Pod Identity agent GetCredentials failed: no response from cluster "
                  + "'lambdagate-pod-identity-agent'");
    }
  }
}
