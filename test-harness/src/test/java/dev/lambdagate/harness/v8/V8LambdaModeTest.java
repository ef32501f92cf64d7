package dev.lambdagate.harness.v8;

import static dev.lambdagate.harness.v8.V8HostTest.base64;
import static dev.lambdagate.harness.v8.V8HostTest.header;
import static dev.lambdagate.harness.v8.V8HostTest.headers;
import static dev.lambdagate.harness.v8.V8HostTest.request;
import static dev.lambdagate.harness.v8.V8HostTest.wasm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lambda mode in V8 under the Node host, which enforces Envoy's phase rules: a request body can be
 * replaced only while the body passes through the filter. A request with a body has its event set
 * in the body phase; a body-less request in a transform mode is invoked by a call-out and answered
 * by the filter.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class V8LambdaModeTest {
  static final String CONFIG =
      "{\"lambda\":{\"functionName\":\"apigw\",\"region\":\"us-east-1\","
          + "\"accountId\":\"123456789012\",\"payloadTransformMode\":\"Envoy\","
          + "\"endpoint\":\"http://lambda.test:9001\"},\"credentials\":{\"accessKeyId\":\"AKIDEXAMPLE\","
          + "\"secretAccessKey\":\""
          + V8HostTest.SECRET
          + "\"}}";
  static final String RESULT =
      "{\"statusCode\":201,\"headers\":{\"x-from\":\"lambda\"}," + "\"body\":\"made\"}";

  static NodeDriver driver;

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(
        NodeDriver.nodeAvailable(),
        "node is not on PATH: the V8 host tests need Node 20 (node --no-liftoff)");
    driver =
        NodeDriver.start(
            wasm(), CONFIG, "--log-level", "debug", "--allow-on-headers-stop-iteration");
    assertThat(driver.ready().path("ready").asBoolean()).as("%s", driver.ready()).isTrue();
  }

  @AfterAll
  static void stop() throws IOException {
    if (driver != null) {
      driver.close();
    }
  }

  @Test
  void bodyIsReplacedByTheEventInTheBodyPhaseAndTheResultUnwrapped() throws IOException {
    ObjectNode request =
        request(
            List.of(
                List.of(":method", "POST"),
                List.of(":path", "/items"),
                List.of(":authority", "gw.example.com"),
                List.of("content-type", "application/json")),
            "{\"a\":1}");
    ObjectNode response = request.putObject("response");
    response.set(
        "headers",
        headers(List.of(List.of(":status", "200"), List.of("content-type", "application/json"))));
    response.put("body", base64(RESULT));

    JsonNode result = driver.send(request);

    assertThat(result.path("error").isMissingNode()).as("result: %s", result).isTrue();
    assertThat(result.path("localReply").asBoolean()).isFalse();
    assertThat(header(result, ":path")).startsWith("/2015-03-31/functions/");
    JsonNode event = NodeDriver.JSON.readTree(decode(result.path("body").asText()));
    assertThat(event.path("raw_path").asText()).isEqualTo("/items");
    assertThat(event.path("body").asText()).isEqualTo("{\"a\":1}");
    assertThat(header(result.path("response"), ":status")).isEqualTo("201");
    assertThat(header(result.path("response"), "x-from")).isEqualTo("lambda");
    assertThat(decode(result.path("response").path("body").asText())).isEqualTo("made");
  }

  @Test
  void bodylessRequestIsInvokedByACalloutToTheRoutesCluster() throws IOException {
    ObjectNode request =
        request(
            List.of(
                List.of(":method", "GET"),
                List.of(":path", "/items?id=7"),
                List.of(":authority", "gw.example.com")),
            "");
    request.putObject("properties").put("xds.cluster_name", "lambdagate|default|lambda");
    ObjectNode answer = request.putArray("callouts").addObject();
    answer.set("headers", headers(List.of(List.of(":status", "200"))));
    answer.put("body", base64(RESULT));

    JsonNode result = driver.send(request);

    assertThat(result.path("error").isMissingNode()).as("result: %s", result).isTrue();
    assertThat(result.path("localReply").asBoolean()).as("result: %s", result).isTrue();
    assertThat(header(result, ":status")).isEqualTo("201");
    assertThat(decode(result.path("body").asText())).isEqualTo("made");
    JsonNode call = result.path("callouts").get(0);
    assertThat(call.toString())
        .contains("lambdagate|default|lambda")
        .contains("/2015-03-31/functions/")
        .contains("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/");
  }

  static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
