package dev.lambdagate.harness.v8;

import static dev.lambdagate.harness.v8.V8HostTest.headers;
import static dev.lambdagate.harness.v8.V8HostTest.request;
import static dev.lambdagate.harness.v8.V8HostTest.wasm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * Streaming mode in V8 under the Node host, which keeps Envoy's phase rules and hands the response
 * body to the filter in 40-byte pieces: the event stream (encoded by the AWS SDK's codec) is
 * decoded piece by piece, the held headers leave with the first decoded payload — before Lambda's
 * {@code InvokeComplete} has arrived — and a failure after that resets the stream.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class V8StreamingTest {
  static final int CHUNK = 40;
  static final String CREDENTIALS =
      "{\"accessKeyId\":\"AKIDEXAMPLE\",\"secretAccessKey\":\"" + V8HostTest.SECRET + "\"}";
  static final String LAMBDA =
      "\"functionName\":\"fn\",\"region\":\"us-east-1\",\"endpoint\":\"http://lambda.test:9001\"";
  static final String CONFIG =
      "{\"backends\":{\"streaming\":{\"lambda\":{"
          + LAMBDA
          + ",\"responseMode\":\"Streaming\"},\"credentials\":"
          + CREDENTIALS
          + "},\"buffered\":{\"lambda\":{"
          + LAMBDA
          + "},\"credentials\":"
          + CREDENTIALS
          + "}},\"routes\":{\"r-stream\":\"streaming\",\"r-buffered\":\"buffered\"}}";
  static final String PRELUDE =
      "{\"statusCode\":201,\"headers\":{\"x-from\":\"prelude\",\"content-type\":\"text/plain\"},"
          + "\"cookies\":[\"a=1\"]}";
  static final String HTTP_INTEGRATION = "application/vnd.awslambda.http-integration-response";

  static NodeDriver driver;

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(
        NodeDriver.nodeAvailable(),
        "node is not on PATH: the V8 host tests need Node 20 (node --no-liftoff)");
    driver =
        NodeDriver.start(
            wasm(),
            CONFIG,
            "--allow-on-headers-stop-iteration",
            "--body-chunk-size",
            Integer.toString(CHUNK));
    assertThat(driver.ready().path("ready").asBoolean()).as("%s", driver.ready()).isTrue();
  }

  @AfterAll
  static void stop() throws IOException {
    if (driver != null) {
      driver.close();
    }
  }

  @Test
  void theRequestGoesToInvokeWithResponseStream() throws IOException {
    JsonNode result = send("r-stream", List.of(List.of(":status", "200")), new byte[0]);
    assertThat(V8HostTest.header(result, ":path"))
        .isEqualTo("/2021-11-15/functions/fn/response-streaming-invocations");
  }

  @Test
  void theHeadComesFromThePreludeAndTheFirstBytesLeaveBeforeInvokeComplete() throws IOException {
    byte[] beforeComplete =
        concat(
            payload(prelude(PRELUDE)),
            payload("first chunk;".getBytes(StandardCharsets.UTF_8)),
            payload("last chunk".getBytes(StandardCharsets.UTF_8)));
    byte[] stream = concat(beforeComplete, complete(null));

    JsonNode response = send("r-stream", lambdaHead(HTTP_INTEGRATION), stream).path("response");

    assertThat(response.path("reset").isNull()).as("%s", response).isTrue();
    JsonNode passes = response.path("passes");
    // The held headers left, rewritten from the prelude, as soon as the prelude had ended.
    JsonNode head = passes.get(0);
    assertThat(pairs(head.path("headers")))
        .as("%s", passes)
        .contains(
            List.of(":status", "201"),
            List.of("x-from", "prelude"),
            List.of("content-type", "text/plain"),
            List.of("set-cookie", "a=1"))
        .noneMatch(h -> h.get(0).equals("content-length"))
        .noneMatch(h -> h.get(1).equals(HTTP_INTEGRATION));
    // The first payload bytes left while the function had not finished: InvokeComplete had not
    // reached the filter.
    JsonNode first = firstWithBody(passes);
    assertThat(head.path("after").asInt()).isLessThan(first.path("after").asInt());
    assertThat(first.path("after").asInt()).isLessThanOrEqualTo(beforeComplete.length);
    assertThat(text(first)).isEqualTo("first chunk;");
    // Every payload byte, in order, nothing else; each piece passed on as it was decoded.
    assertThat(allBodies(passes)).isEqualTo("first chunk;last chunk");
    assertThat(passes.size()).isGreaterThan(2);
  }

  @Test
  void withoutAPreludeTheHeadIs200WithTheFunctionsContentType() throws IOException {
    byte[] stream = concat(payload("plain bytes".getBytes(StandardCharsets.UTF_8)), complete(null));

    JsonNode response = send("r-stream", lambdaHead("text/csv"), stream).path("response");

    JsonNode first = firstWithBody(response.path("passes"));
    assertThat(pairs(first.path("headers")))
        .contains(List.of(":status", "200"), List.of("content-type", "text/csv"));
    assertThat(allBodies(response.path("passes"))).isEqualTo("plain bytes");
  }

  @Test
  void anErrorCodeAfterTheHeadResetsTheStream() throws IOException {
    byte[] stream =
        concat(
            payload("partial".getBytes(StandardCharsets.UTF_8)),
            complete("Unhandled"),
            new byte[0]);

    JsonNode result = send("r-stream", lambdaHead("text/plain"), stream);
    JsonNode response = result.path("response");

    assertThat(response.path("reset").asText()).isEqualTo("response");
    assertThat(allBodies(response.path("passes"))).isEqualTo("partial");
    assertThat(result.path("logs").toString())
        .contains("function_error")
        .doesNotContain("secret detail");
  }

  @Test
  void aChecksumErrorAfterTheHeadResetsTheStream() throws IOException {
    byte[] bad = payload("second".getBytes(StandardCharsets.UTF_8));
    bad[bad.length - 6] ^= 1;
    byte[] stream = concat(payload("first".getBytes(StandardCharsets.UTF_8)), bad, complete(null));

    JsonNode response = send("r-stream", lambdaHead("text/plain"), stream).path("response");

    assertThat(response.path("reset").asText()).isEqualTo("response");
    assertThat(allBodies(response.path("passes"))).isEqualTo("first");
  }

  @Test
  void aFailureBeforeTheHeadIsA502InsteadOfTheStream() throws IOException {
    byte[] bad = payload("only".getBytes(StandardCharsets.UTF_8));
    bad[8] ^= 1; // the prelude checksum
    JsonNode response =
        send("r-stream", lambdaHead("text/plain"), concat(bad, complete(null))).path("response");

    assertThat(response.path("reset").isNull()).isTrue();
    assertThat(V8HostTest.header(response, ":status")).isEqualTo("502");
    String body = new String(Base64.getDecoder().decode(response.path("body").asText()));
    assertThat(body).contains("\"error\":\"lambda_response_invalid\"");
  }

  @Test
  void aRefusedCallIsMappedAsInBufferedMode() throws IOException {
    List<List<String>> head =
        List.of(
            List.of(":status", "404"),
            List.of("content-type", "application/json"),
            List.of("x-amzn-errortype", "ResourceNotFoundException"));
    byte[] error =
        "{\"Type\":\"User\",\"message\":\"Function not found: arn:aws:lambda:us-east-1:1:function:fn\"}"
            .getBytes(StandardCharsets.UTF_8);

    JsonNode streaming = send("r-stream", head, error).path("response");
    JsonNode buffered = send("r-buffered", head, error).path("response");

    assertThat(V8HostTest.header(streaming, ":status"))
        .isEqualTo(V8HostTest.header(buffered, ":status"));
    assertThat(withoutRequestId(streaming)).isEqualTo(withoutRequestId(buffered));
  }

  static String withoutRequestId(JsonNode response) {
    String body = new String(Base64.getDecoder().decode(response.path("body").asText()));
    return body.replaceAll("\"requestId\":\"[^\"]*\"", "");
  }

  JsonNode send(String route, List<List<String>> lambdaHead, byte[] lambdaBody) throws IOException {
    ObjectNode request =
        request(
            List.of(
                List.of(":method", "POST"),
                List.of(":path", "/stream"),
                List.of(":authority", "gw.example.com"),
                List.of("content-type", "application/json")),
            "{\"a\":1}");
    request.putObject("properties").put("xds.route_name", route);
    ObjectNode response = request.putObject("response");
    response.set("headers", headers(lambdaHead));
    response.put("body", Base64.getEncoder().encodeToString(lambdaBody));
    JsonNode result = driver.send(request);
    assertThat(result.path("error").isMissingNode()).as("result: %s", result).isTrue();
    return result;
  }

  static List<List<String>> lambdaHead(String contentType) {
    return List.of(
        List.of(":status", "200"),
        List.of("content-type", contentType),
        List.of("x-amzn-requestid", "b9f6c0e2"),
        List.of("x-amz-executed-version", "$LATEST"));
  }

  static JsonNode firstWithBody(JsonNode passes) {
    for (JsonNode pass : passes) {
      if (!pass.path("body").asText().isEmpty()) {
        return pass;
      }
    }
    throw new AssertionError("no pass carried body bytes: " + passes);
  }

  static String allBodies(JsonNode passes) {
    StringBuilder all = new StringBuilder();
    passes.forEach(p -> all.append(text(p)));
    return all.toString();
  }

  static String text(JsonNode pass) {
    return new String(
        Base64.getDecoder().decode(pass.path("body").asText()), StandardCharsets.UTF_8);
  }

  static List<List<String>> pairs(JsonNode headers) {
    List<List<String>> out = new ArrayList<>();
    headers.forEach(h -> out.add(List.of(h.get(0).asText(), h.get(1).asText())));
    return out;
  }

  static byte[] prelude(String json) {
    return concat(json.getBytes(StandardCharsets.UTF_8), new byte[8]);
  }

  static byte[] payload(byte[] bytes) throws IOException {
    return event("PayloadChunk", bytes);
  }

  static byte[] complete(String errorCode) throws IOException {
    String json =
        errorCode == null
            ? "{}"
            : "{\"ErrorCode\":\"" + errorCode + "\",\"ErrorDetails\":\"secret detail\"}";
    return event("InvokeComplete", json.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] event(String type, byte[] payload) throws IOException {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":event-type", HeaderValue.fromString(type));
    headers.put(":content-type", HeaderValue.fromString("application/octet-stream"));
    headers.put(":message-type", HeaderValue.fromString("event"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new Message(headers, payload).encode(out);
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
