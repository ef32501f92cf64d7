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
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The STS cold start under the Node host, which keeps Envoy's rules (call-out responses on the root
 * context id, headers writable only while the stream is paused, no body set on a request that has
 * none): the paused request is signed and continued from the call-out response. Lambda mode buffers
 * the body after pausing in the headers phase, which needs Envoy's {@code
 * allow_on_headers_stop_iteration} (as V8HostTest's signing cases).
 */
class StsThroughV8Test {
  static final String CONFIG =
      "{\"lambda\":{\"functionName\":\"echo\",\"region\":\"us-east-1\"},"
          + "\"credentials\":{\"webIdentity\":{\"roleArn\":\"arn:aws:iam::123456789012:role/irsa\","
          + "\"token\":\"eyJh.eyJz.c2ln\",\"stsCluster\":\"sts\"}}}";
  static final String STS_OK =
      "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult>"
          + "<Credentials><AccessKeyId>ASIAV8EXAMPLE</AccessKeyId><SecretAccessKey>v8secret"
          + "</SecretAccessKey><SessionToken>v8token</SessionToken><Expiration>2015-08-30T13:36:00Z"
          + "</Expiration></Credentials></AssumeRoleWithWebIdentityResult>"
          + "</AssumeRoleWithWebIdentityResponse>";

  @BeforeAll
  static void node() {
    assumeTrue(NodeDriver.nodeAvailable(), "node (20+) not on PATH: V8 checks skipped");
  }

  static ObjectNode post() {
    return request(
        List.of(
            List.of(":method", "POST"),
            List.of(":path", "/x"),
            List.of(":authority", "gateway.example.com"),
            List.of("content-type", "application/json")),
        "{\"a\":1}");
  }

  @Test
  void aPausedRequestIsSignedAndContinuedFromTheStsResponse() throws IOException {
    try (NodeDriver driver =
        NodeDriver.start(
            V8HostTest.wasm(),
            CONFIG,
            "--time",
            "20150830T123600Z",
            "--allow-on-headers-stop-iteration")) {
      ObjectNode request = post();
      ObjectNode answer = request.putArray("callouts").addObject();
      answer.set(
          "headers",
          headers(List.of(List.of(":status", "200"), List.of("content-type", "text/xml"))));
      answer.put("body", base64(STS_OK));

      JsonNode result = driver.send(request);

      assertThat(result.path("error").isMissingNode()).as("result: %s", result).isTrue();
      assertThat(result.path("localReply").asBoolean()).as("result: %s", result).isFalse();
      assertThat(result.path("paused").asBoolean()).isFalse();
      assertThat(header(result, "authorization"))
          .startsWith("AWS4-HMAC-SHA256 Credential=ASIAV8EXAMPLE/20150830/us-east-1/lambda/");
      assertThat(header(result, "x-amz-security-token")).isEqualTo("v8token");
      assertThat(header(result, ":path")).isEqualTo("/2015-03-31/functions/echo/invocations");
      JsonNode call = result.path("callouts").get(0);
      assertThat(call.path("upstream").asText()).isEqualTo("sts");
      assertThat(call.path("timeoutMillis").asInt()).isEqualTo(5000);
      assertThat(
              new String(
                  Base64.getDecoder().decode(call.path("body").asText()), StandardCharsets.UTF_8))
          .startsWith("Action=AssumeRoleWithWebIdentity&");

      JsonNode second = driver.send(post());
      assertThat(second.path("callouts")).isEmpty();
      assertThat(header(second, "authorization")).contains("Credential=ASIAV8EXAMPLE/");
    }
  }

  @Test
  void aRequestWithoutBodyIsResumedToo() throws IOException {
    try (NodeDriver driver =
        NodeDriver.start(
            V8HostTest.wasm(),
            CONFIG,
            "--time",
            "20150830T123600Z",
            "--allow-on-headers-stop-iteration")) {
      ObjectNode request =
          request(
              List.of(
                  List.of(":method", "GET"),
                  List.of(":path", "/x"),
                  List.of(":authority", "gateway.example.com")),
              "");
      ObjectNode answer = request.putArray("callouts").addObject();
      answer.set("headers", headers(List.of(List.of(":status", "200"))));
      answer.put("body", base64(STS_OK));

      JsonNode result = driver.send(request);

      assertThat(result.path("localReply").asBoolean()).as("result: %s", result).isFalse();
      assertThat(result.path("paused").asBoolean()).isFalse();
      assertThat(header(result, "authorization")).contains("Credential=ASIAV8EXAMPLE/");
    }
  }

  @Test
  void aFailedCallAnswers503() throws IOException {
    try (NodeDriver driver =
        NodeDriver.start(
            V8HostTest.wasm(),
            CONFIG,
            "--time",
            "20150830T123600Z",
            "--allow-on-headers-stop-iteration")) {
      ObjectNode request = post();
      request.putArray("callouts").addNull();

      JsonNode result = driver.send(request);

      assertThat(result.path("localReply").asBoolean()).as("result: %s", result).isTrue();
      assertThat(result.path("status").asInt()).isEqualTo(503);
      String requestId =
          ErrorReplyAssertions.assertGenericError(
              new String(
                  Base64.getDecoder().decode(result.path("body").asText()), StandardCharsets.UTF_8),
              "credentials_unavailable",
              "Service Unavailable");
      List<String> log = new java.util.ArrayList<>();
      result.path("logs").forEach(l -> log.add(l.path("message").asText()));
      ErrorReplyAssertions.assertLoggedWith(
          log, requestId, "STS AssumeRoleWithWebIdentity failed: no response from cluster 'sts'");
    }
  }
}
