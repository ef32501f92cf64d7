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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A route's URLRewrite and RequestHeaderModifier ({@code routeFilters}, chosen by the {@code
 * xds.route_name} Envoy sets) shape the event in V8, the engine Envoy runs, while the Invoke call
 * keeps Lambda's path; a route without filters is left as the client sent it.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class V8RouteFiltersTest {
  static final String ROUTE = "default/lambda/rule-0/match-0";
  static final String PLAIN_ROUTE = "default/lambda/rule-1/match-0";
  static final String CONFIG =
      "{\"backends\":{\"default/lambda\":{\"lambda\":{\"functionName\":"
          + "\"apigw\",\"region\":\"us-east-1\",\"accountId\":\"123456789012\","
          + "\"payloadTransformMode\":\"Envoy\",\"endpoint\":\"http://lambda.test:9001\"},"
          + "\"credentials\":{\"accessKeyId\":\"AKIDEXAMPLE\",\"secretAccessKey\":\""
          + V8HostTest.SECRET
          + "\"}}},"
          + "\"routes\":{\""
          + ROUTE
          + "\":\"default/lambda\",\""
          + PLAIN_ROUTE
          + "\":\"default/lambda\"},"
          + "\"routeFilters\":{\""
          + ROUTE
          + "\":{\"hostname\":\"internal.example\","
          + "\"path\":{\"type\":\"ReplacePrefixMatch\",\"matchedPrefix\":\"/api\",\"value\":\"/\"},"
          + "\"requestHeaders\":{\"set\":[{\"name\":\"x-team\",\"value\":\"payments\"}],"
          + "\"remove\":[\"x-debug\"]}}}}";
  static final String RESULT = "{\"statusCode\":200,\"body\":\"ok\"}";

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

  JsonNode send(String route) throws IOException {
    ObjectNode request =
        request(
            List.of(
                List.of(":method", "POST"),
                List.of(":path", "/api/items?id=7"),
                List.of(":authority", "gw.example.com"),
                List.of("content-type", "application/json"),
                List.of("x-debug", "1"),
                List.of("x-team", "client")),
            "{\"a\":1}");
    request.putObject("properties").put("xds.route_name", route);
    ObjectNode response = request.putObject("response");
    response.set(
        "headers",
        headers(List.of(List.of(":status", "200"), List.of("content-type", "application/json"))));
    response.put("body", base64(RESULT));
    JsonNode result = driver.send(request);
    assertThat(result.path("error").isMissingNode()).as("result: %s", result).isTrue();
    assertThat(header(result, ":path")).startsWith("/2015-03-31/functions/");
    return NodeDriver.JSON.readTree(V8LambdaModeTest.decode(result.path("body").asText()));
  }

  @Test
  void theRoutesFiltersShapeTheEvent() throws IOException {
    JsonNode event = send(ROUTE);
    assertThat(event.path("raw_path").asText()).isEqualTo("/items?id=7");
    assertThat(event.path("headers").path("host").asText()).isEqualTo("internal.example");
    assertThat(event.path("headers").path("x-team").asText()).isEqualTo("payments");
    assertThat(event.path("headers").has("x-debug")).as("%s", event).isFalse();
  }

  @Test
  void aRouteWithoutFiltersKeepsTheRequest() throws IOException {
    JsonNode event = send(PLAIN_ROUTE);
    assertThat(event.path("raw_path").asText()).isEqualTo("/api/items?id=7");
    assertThat(event.path("headers").path("x-team").asText()).isEqualTo("client");
    assertThat(event.path("headers").path("x-debug").asText()).isEqualTo("1");
  }
}
