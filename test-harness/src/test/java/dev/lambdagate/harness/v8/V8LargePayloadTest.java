package dev.lambdagate.harness.v8;

import static dev.lambdagate.harness.v8.V8HostTest.header;
import static dev.lambdagate.harness.v8.V8HostTest.headers;
import static dev.lambdagate.harness.v8.V8HostTest.wasm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lambdagate.harness.payload.PayloadCases;
import dev.lambdagate.harness.payload.PayloadCases.Case;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Payloads up to Lambda's limits in V8 ({@code node --no-liftoff}), bodies delivered in 64 KiB
 * chunks as Envoy's codec hands them on: every request goes upstream signed (checked with the AWS
 * SDK's signer) and whole, every echo-sized result comes back whole, on one VM per mode, including
 * the sizes that trapped TeaVM's heap growth before the build patched it. Prints the linear memory
 * after each size (docs/benchmarks.md, "Peak linear memory by payload size").
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class V8LargePayloadTest {
  static final int CHUNK = 64 * 1024;

  /** Mixed sizes up to the limit, in an order that makes the heap grow, shrink back, regrow. */
  static List<Case> sequence(String mode) {
    boolean none = mode.equals("None");
    return List.of(
        new Case(PayloadCases.TRAPPED_V2_SIZE, true),
        new Case(5_000, true),
        new Case(none ? 4_500_000 : 3_000_000, false),
        new Case(none ? PayloadCases.SYNC_LIMIT : 6_000_000, true), // the largest that fits
        new Case(1_048_577, false),
        new Case(none ? 5_999_999 : 4_500_000, false));
  }

  @ParameterizedTest
  @ValueSource(strings = {"None", "Envoy", "ApiGatewayV1", "ApiGatewayV2"})
  void mixedSizesUpToTheLimitGoUpstreamSignedAndComeBackWhole(String mode) throws Exception {
    assumeTrue(NodeDriver.nodeAvailable(), "node is not on PATH: the V8 tests need Node 20");
    try (NodeDriver driver = start(mode)) {
      StringBuilder pages = new StringBuilder();
      for (Case c : sequence(mode)) {
        byte[] body = c.body();
        JsonNode result = driver.send(exchange(mode, c, body, true));
        assertRoundTrip(mode, c, body, result);
        pages.append(String.format(" %s->%d", c, result.path("memoryPages").asInt()));
      }
      System.out.println("V8LargePayloadTest pages " + mode + ":" + pages);
    }
  }

  @Test
  void streamsInterleavedOnOneVmEachCompleteWhole() throws Exception {
    assumeTrue(NodeDriver.nodeAvailable(), "node is not on PATH: the V8 tests need Node 20");
    String mode = "ApiGatewayV2";
    List<Case> cases =
        List.of(
            new Case(PayloadCases.TRAPPED_V2_SIZE, true),
            new Case(4_500_000, false),
            new Case(6_000_000, true),
            new Case(300, true));
    try (NodeDriver driver = start(mode)) {
      ObjectNode line = NodeDriver.JSON.createObjectNode();
      ArrayNode streams = line.putArray("interleave");
      List<byte[]> bodies = new ArrayList<>();
      for (Case c : cases) {
        byte[] body = c.body();
        bodies.add(body);
        streams.add(exchange(mode, c, body, false));
      }
      JsonNode out = driver.send(line);
      assertThat(out.path("results").size()).as("%s", out.path("error")).isEqualTo(cases.size());
      for (int i = 0; i < cases.size(); i++) {
        assertRoundTrip(mode, cases.get(i), bodies.get(i), out.path("results").get(i));
      }
      System.out.println(
          "V8LargePayloadTest pages interleaved " + cases + ": " + out.path("memoryPages").asInt());
    }
  }

  @Test
  void overTheLimitIs413BeforeBufferingWithOrWithoutContentLength() throws Exception {
    assumeTrue(NodeDriver.nodeAvailable(), "node is not on PATH: the V8 tests need Node 20");
    try (NodeDriver driver = start("None")) {
      Case over = new Case(PayloadCases.SYNC_LIMIT + 1, false);
      byte[] body = over.body();
      for (boolean contentLength : new boolean[] {true, false}) {
        JsonNode result = driver.send(exchange("None", over, body, contentLength));
        assertThat(result.path("vmFailure").isMissingNode()).as("%s", result).isTrue();
        assertThat(result.path("localReply").asBoolean()).isTrue();
        assertThat(result.path("status").asInt()).isEqualTo(413);
      }
      // The VM still serves the largest payload that fits.
      Case fits = new Case(PayloadCases.SYNC_LIMIT, false);
      byte[] fitsBody = fits.body();
      assertRoundTrip("None", fits, fitsBody, driver.send(exchange("None", fits, fitsBody, true)));
    }
  }

  @Test
  void aLargeConfigurationIsParsedAndOneOverTheLimitIsRefusedNamingIt() throws Exception {
    assumeTrue(NodeDriver.nodeAvailable(), "node is not on PATH: the V8 tests need Node 20");
    String base = PayloadCases.config("ApiGatewayV2", "http://lambda.test:9001");
    // A 1 MB string in the configuration trapped proxy_on_configure before (TeaVM heap growth).
    String withMegabyte =
        base.substring(0, base.length() - 1) + ",\"note\":\"" + "n".repeat(1_000_000) + "\"}";
    try (NodeDriver driver = NodeDriver.start(wasm(), withMegabyte)) {
      assertThat(driver.ready().path("ready").asBoolean()).as("%s", driver.ready()).isTrue();
    }
    String overLimit =
        base.substring(0, base.length() - 1) + ",\"note\":\"" + "n".repeat(8 * 1024 * 1024) + "\"}";
    try (NodeDriver driver = NodeDriver.start(wasm(), overLimit)) {
      assertThat(driver.ready().path("ready").asBoolean()).isFalse();
      assertThat(driver.ready().toString())
          .contains("over the limit of 8388608 bytes (8 MiB)")
          .doesNotContain("unreachable");
    }
  }

  @Test
  void signModeHashesALargeBodyArrivingInChunks() throws Exception {
    assumeTrue(NodeDriver.nodeAvailable(), "node is not on PATH: the V8 tests need Node 20");
    String config =
        "{\"sign\":{\"service\":\"lambda\",\"region\":\"us-east-1\"},"
            + "\"credentials\":{\"accessKeyId\":\"AKIDEXAMPLE\",\"secretAccessKey\":"
            + "\"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\"}}";
    try (NodeDriver driver =
        NodeDriver.start(
            wasm(),
            config,
            "--allow-on-headers-stop-iteration",
            "--body-chunk-size",
            Integer.toString(CHUNK))) {
      Case c = new Case(3_000_001, false);
      byte[] body = c.body();
      ObjectNode request = NodeDriver.JSON.createObjectNode();
      request.set(
          "headers",
          headers(
              List.of(
                  List.of(":method", "POST"),
                  List.of(":path", "/2015-03-31/functions/echo/invocations"),
                  List.of(":authority", "lambda.us-east-1.amazonaws.com"),
                  List.of("content-type", c.contentType()))));
      request.put("body", Base64.getEncoder().encodeToString(body));
      JsonNode result = driver.send(request);
      assertThat(result.path("localReply").asBoolean()).as("%s", result.path("logs")).isFalse();
      List<String[]> forwarded = new ArrayList<>();
      result
          .path("headers")
          .forEach(h -> forwarded.add(new String[] {h.get(0).asText(), h.get(1).asText()}));
      byte[] sent = Base64.getDecoder().decode(result.path("body").asText());
      assertThat(java.util.Arrays.equals(sent, body)).isTrue();
      PayloadCases.assertSigned(forwarded, sent);
      assertThat(result.path("memoryPages").asInt())
          .isEqualTo(
              driver
                  .ready()
                  .path("memoryPages")
                  .asInt()); // the body was never copied whole into the module
    }
  }

  static NodeDriver start(String mode) throws Exception {
    NodeDriver driver =
        NodeDriver.start(
            wasm(),
            PayloadCases.config(mode, "http://lambda.test:9001"),
            "--allow-on-headers-stop-iteration",
            "--body-chunk-size",
            Integer.toString(CHUNK));
    assertThat(driver.ready().path("ready").asBoolean()).as("%s", driver.ready()).isTrue();
    return driver;
  }

  static ObjectNode exchange(String mode, Case c, byte[] body, boolean contentLength)
      throws Exception {
    List<List<String>> requestHeaders =
        new ArrayList<>(
            List.of(
                List.of(":method", "POST"),
                List.of(":path", "/upload?size=" + c.size()),
                List.of(":authority", "gw.example.com"),
                List.of("content-type", c.contentType())));
    if (contentLength) {
      requestHeaders.add(List.of("content-length", Integer.toString(body.length)));
    }
    ObjectNode request = NodeDriver.JSON.createObjectNode();
    request.set("headers", headers(requestHeaders));
    request.put("body", Base64.getEncoder().encodeToString(body));
    answerWith(request, PayloadCases.echoResult(mode, c, body));
    return request;
  }

  /** Makes {@code result} the body of Lambda's 200 answer to the Invoke {@code request} makes. */
  static void answerWith(ObjectNode request, byte[] result) {
    ObjectNode response = request.putObject("response");
    response.set(
        "headers",
        headers(
            List.of(
                List.of(":status", "200"),
                List.of("content-type", "application/json"),
                List.of("content-length", Integer.toString(result.length)))));
    response.put("body", Base64.getEncoder().encodeToString(result));
  }

  static void assertRoundTrip(String mode, Case c, byte[] body, JsonNode result) throws Exception {
    assertThat(result.path("vmFailure").isMissingNode())
        .as("%s %s: %s", mode, c, result.path("vmFailure"))
        .isTrue();
    assertThat(result.path("localReply").asBoolean())
        .as("%s %s: %s %s", mode, c, result.path("status"), result.path("logs"))
        .isFalse();
    List<String[]> forwarded = new ArrayList<>();
    result
        .path("headers")
        .forEach(h -> forwarded.add(new String[] {h.get(0).asText(), h.get(1).asText()}));
    byte[] payload = Base64.getDecoder().decode(result.path("body").asText());
    PayloadCases.assertSigned(forwarded, payload);
    PayloadCases.assertPayloadCarries(mode, c, payload, body);
    assertThat(header(result, "content-length")).isEqualTo(Integer.toString(payload.length));
    JsonNode response = result.path("response");
    assertThat(header(response, ":status")).as("%s %s", mode, c).isEqualTo("200");
    byte[] returned = Base64.getDecoder().decode(response.path("body").asText());
    assertThat(java.util.Arrays.equals(returned, body))
        .as("%s %s: result comes back whole" + " (%d bytes returned)", mode, c, returned.length)
        .isTrue();
    assertThat(header(response, "content-length")).isEqualTo(Integer.toString(body.length));
  }
}
