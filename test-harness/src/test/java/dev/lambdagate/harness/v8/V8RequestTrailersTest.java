package dev.lambdagate.harness.v8;

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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A request whose body ends with HTTP/2 trailers, in V8 under the Node host: no body callback has
 * end of stream, {@code proxy_on_request_trailers} ends it. The oracle is the same request ending
 * on its last data: what goes upstream must be the same (rewrite, event, signature at a fixed
 * time), whether the body comes whole or in chunks.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class V8RequestTrailersTest {
  static String config(String mode) {
    return "{\"lambda\":{\"functionName\":\"fn\",\"region\":\"us-east-1\","
        + "\"payloadTransformMode\":\""
        + mode
        + "\"},\"credentials\":{\"accessKeyId\":\"AKIDEXAMPLE\",\"secretAccessKey\":\""
        + V8HostTest.SECRET
        + "\"}}";
  }

  static ObjectNode clientRequest(boolean withTrailers) {
    ObjectNode request =
        request(
            List.of(
                List.of(":method", "POST"),
                List.of(":path", "/attacker/chosen/path?x=1"),
                List.of(":authority", "gw.example.com"),
                List.of("content-type", "application/json"),
                List.of("authorization", "AWS4-HMAC-SHA256 Credential=CLIENTS-OWN"),
                List.of("x-amz-invocation-type", "Event")),
            "{\"key1\":\"value1\",\"key2\":\"value2\"}");
    if (withTrailers) {
      request.set("trailers", headers(List.of(List.of("x-checksum", "abc"))));
    }
    return request;
  }

  @ParameterizedTest
  @CsvSource({"ApiGatewayV2,0", "ApiGatewayV2,8", "None,0", "None,8"})
  void aRequestEndingWithTrailersIsInvokedAsIfItsBodyHadEndedIt(String mode, int chunkSize)
      throws IOException {
    assumeTrue(
        NodeDriver.nodeAvailable(),
        "node is not on PATH: the V8 host tests need Node 20 (node --no-liftoff)");
    try (NodeDriver driver =
        NodeDriver.start(
            wasm(),
            config(mode),
            "--time",
            "20150830T123600Z",
            "--allow-on-headers-stop-iteration",
            "--body-chunk-size",
            Integer.toString(chunkSize))) {
      assertThat(driver.ready().path("ready").asBoolean()).as("%s", driver.ready()).isTrue();
      JsonNode endedByData = driver.send(clientRequest(false));
      JsonNode endedByTrailers = driver.send(clientRequest(true));

      assertThat(endedByData.path("localReply").asBoolean()).as("%s", endedByData).isFalse();
      assertThat(endedByData.path("paused").asBoolean()).isFalse();
      assertThat(endedByData.path("headers").toString())
          .contains("[\":path\",\"/2015-03-31/functions/fn/invocations\"]");
      assertThat(endedByTrailers.path("localReply").asBoolean())
          .as("%s", endedByTrailers)
          .isFalse();
      assertThat(endedByTrailers.path("paused").asBoolean()).isFalse();
      assertThat(endedByTrailers.path("headers")).isEqualTo(endedByData.path("headers"));
      assertThat(endedByTrailers.path("body")).isEqualTo(endedByData.path("body"));
    }
  }
}
