package dev.lambdagate.harness.v8;

import static dev.lambdagate.harness.v8.V8HostTest.header;
import static dev.lambdagate.harness.v8.V8HostTest.headers;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lambdagate.lambda.ResponseUnwrapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Function results shaped to hurt the filter's VM, in V8 ({@code node --no-liftoff}): each is
 * answered, and the VM serves the next request. Each case broke the VM before: 45,000 numbers
 * trapped TeaVM's collector (memory access out of bounds); 2.4 MB of small objects grew the heap to
 * 2,191 pages (a few MB more trapped "Out of memory"); header names sharing one hash code made
 * parsing quadratic; megabytes of headers filled the heap.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class V8HostileResultTest {

  @Test
  void manyNumbersInAMemberNobodyReadsAreSkipped() throws Exception {
    try (NodeDriver driver = V8LargePayloadTest.start("Envoy")) {
      String result = "{\"statusCode\":201,\"x\":[" + "0,".repeat(199_999) + "0]}";
      JsonNode out = driver.send(exchange(result));
      assertAnswered(out, "201");
      assertServesTheNextRequest(driver);
    }
  }

  @Test
  void aResultThatIsOneLargeArrayPassesThroughInApiGatewayV2() throws Exception {
    try (NodeDriver driver = V8LargePayloadTest.start("ApiGatewayV2")) {
      String result = "[" + "0.5,".repeat(299_999) + "0.5]";
      JsonNode out = driver.send(exchange(result));
      assertAnswered(out, "200");
      assertThat(body(out.path("response"))).isEqualTo(result);
      assertServesTheNextRequest(driver);
    }
  }

  @Test
  void smallObjectsInAMemberNobodyReadsCostNoHeap() throws Exception {
    try (NodeDriver driver = V8LargePayloadTest.start("Envoy")) {
      String result = "{\"statusCode\":200,\"x\":[" + "{\"a\":1},".repeat(299_999) + "{}]}";
      JsonNode out = driver.send(exchange(result));
      assertAnswered(out, "200");
      // Before the members were skipped: 2,191 pages (137 MiB). What is left is the buffers the
      // result is read into.
      assertThat(out.path("memoryPages").asInt()).isLessThan(400);
    }
  }

  @Test
  void headerNamesSharingOneHashCodeAllComeBack() throws Exception {
    try (NodeDriver driver = V8LargePayloadTest.start("Envoy")) {
      // Every name of eight "Aa"/"BB" pairs has the same String hash code.
      List<String> names = new ArrayList<>();
      for (int i = 0; i < 1_500; i++) {
        StringBuilder name = new StringBuilder("x-");
        for (int bit = 0; bit < 12; bit++) {
          name.append((i >> bit & 1) == 0 ? "Aa" : "BB");
        }
        names.add(name.toString());
      }
      StringBuilder result = new StringBuilder("{\"statusCode\":200,\"headers\":{");
      for (int i = 0; i < names.size(); i++) {
        result.append(i == 0 ? "" : ",").append('"').append(names.get(i)).append("\":\"").append(i);
        result.append('"');
      }
      result.append("}}");
      assertThat(result.length()).isLessThan(ResponseUnwrapper.MAX_HEADERS_JSON_BYTES);
      JsonNode out = driver.send(exchange(result.toString()));
      assertAnswered(out, "200");
      for (int i = 0; i < names.size(); i += 97) {
        assertThat(header(out.path("response"), names.get(i).toLowerCase()))
            .isEqualTo(Integer.toString(i));
      }
      assertThat(out.path("response").path("headers").size()).isEqualTo(names.size() + 3);
    }
  }

  @Test
  void headersOverTheLimitAre502AndNeverBuilt() throws Exception {
    try (NodeDriver driver = V8LargePayloadTest.start("Envoy")) {
      String result =
          "{\"statusCode\":200,\"multiValueHeaders\":{\"x-a\":[" + "1,".repeat(1_500_000) + "1]}}";
      JsonNode out = driver.send(exchange(result));
      JsonNode response = out.path("response");
      assertThat(response.path("vmFailure").isMissingNode()).as("%s", response).isTrue();
      assertThat(header(response, ":status")).isEqualTo("502");
      assertThat(body(response)).contains("lambda_response_invalid");
      assertThat(out.path("logs").toString())
          .contains("multiValueHeaders: longer than 65536 bytes of JSON");
      assertThat(out.path("memoryPages").asInt()).isLessThan(400);
      assertServesTheNextRequest(driver);
    }
  }

  private static void assertAnswered(JsonNode out, String status) {
    JsonNode response = out.path("response");
    assertThat(out.path("vmFailure").isMissingNode()).as("%s", out.path("vmFailure")).isTrue();
    assertThat(response.path("vmFailure").isMissingNode())
        .as("%s", response.path("vmFailure"))
        .isTrue();
    assertThat(header(response, ":status")).as("%s", out.path("logs")).isEqualTo(status);
  }

  private static void assertServesTheNextRequest(NodeDriver driver) throws Exception {
    JsonNode out = driver.send(exchange("{\"statusCode\":202,\"body\":\"next\"}"));
    assertAnswered(out, "202");
    assertThat(body(out.path("response"))).isEqualTo("next");
  }

  private static String body(JsonNode response) {
    return new String(
        Base64.getDecoder().decode(response.path("body").asText()), StandardCharsets.UTF_8);
  }

  /** A small POST whose function result is {@code result}. */
  private static ObjectNode exchange(String result) {
    byte[] resultBytes = result.getBytes(StandardCharsets.UTF_8);
    ObjectNode request = NodeDriver.JSON.createObjectNode();
    request.set(
        "headers",
        headers(
            List.of(
                List.of(":method", "POST"),
                List.of(":path", "/hostile"),
                List.of(":authority", "gw.example.com"),
                List.of("content-type", "application/json"),
                List.of("content-length", "2"))));
    request.put("body", Base64.getEncoder().encodeToString("{}".getBytes(StandardCharsets.UTF_8)));
    V8LargePayloadTest.answerWith(request, resultBytes);
    return request;
  }
}
