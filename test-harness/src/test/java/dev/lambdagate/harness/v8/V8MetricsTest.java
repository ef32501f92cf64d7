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
 * The filter's metrics in V8 under the Node host, which keeps them as Envoy does (counters refuse
 * increments of 0 or less, histograms keep their samples) and reports them after every request. One
 * VM serves every test, so each test checks what its own request added (docs/metrics.md lists the
 * names; Envoy shows each with the {@code wasmcustom.} prefix).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class V8MetricsTest {
  static final String CREDENTIALS =
      "{\"accessKeyId\":\"AKIDEXAMPLE\",\"secretAccessKey\":\"" + V8HostTest.SECRET + "\"}";
  static final String CONFIG =
      "{\"backends\":{"
          + "\"orders.v1\":{\"lambda\":{\"functionName\":\"orders\",\"region\":\"us-east-1\","
          + "\"accountId\":\"123456789012\",\"payloadTransformMode\":\"Envoy\","
          + "\"endpoint\":\"http://lambda.test:9001\"},\"credentials\":"
          + CREDENTIALS
          + "},\"store\":{\"sign\":{\"service\":\"service\",\"region\":\"us-east-1\"},"
          + "\"credentials\":"
          + CREDENTIALS
          + "},\"irsa\":{\"lambda\":{\"functionName\":\"echo\",\"region\":\"us-east-1\"},"
          + "\"credentials\":{\"webIdentity\":{\"roleArn\":\"arn:aws:iam::123456789012:role/irsa\","
          + "\"token\":\"eyJh.eyJz.c2ln\",\"stsCluster\":\"sts\"}}}},"
          + "\"routes\":{\"r-orders\":\"orders.v1\",\"r-store\":\"store\",\"r-irsa\":\"irsa\"}}";

  /** The backend {@code orders.v1}: its dot becomes {@code _} in the stat names. */
  static final String ORDERS = "lambdagate.backend.orders_v1.";

  static final String STORE = "lambdagate.backend.store.";
  static final String IRSA = "lambdagate.backend.irsa.";
  static final String FILTER_TIME = "lambdagate.filter_time_us";
  static final String RESULT = "{\"statusCode\":201,\"body\":\"made\"}";
  static final String STS_OK =
      "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult>"
          + "<Credentials><AccessKeyId>ASIAV8EXAMPLE</AccessKeyId><SecretAccessKey>v8secret"
          + "</SecretAccessKey><SessionToken>v8token</SessionToken><Expiration>2099-01-01T00:00:00Z"
          + "</Expiration></Credentials></AssumeRoleWithWebIdentityResult>"
          + "</AssumeRoleWithWebIdentityResponse>";

  static NodeDriver driver;

  /** The metrics reported with the previous result: each test looks at what it added. */
  static JsonNode before;

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(
        NodeDriver.nodeAvailable(),
        "node is not on PATH: the V8 host tests need Node 20 (node --no-liftoff)");
    // The system clock (no --time): the filter time is measured on the monotonic clock anyway.
    driver = NodeDriver.start(wasm(), CONFIG, "--allow-on-headers-stop-iteration");
    assertThat(driver.ready().path("ready").asBoolean()).as("%s", driver.ready()).isTrue();
    before = NodeDriver.JSON.createObjectNode();
  }

  @AfterAll
  static void stop() throws IOException {
    if (driver != null) {
      driver.close();
    }
  }

  /** Sends one request; the result, with what the request added in {@link #added}. */
  static JsonNode send(ObjectNode request) throws IOException {
    JsonNode result = driver.send(request);
    assertThat(result.path("error").isMissingNode()).as("result: %s", result).isTrue();
    return result;
  }

  /** How much counter {@code name} grew with {@code result}'s request. */
  static long added(JsonNode result, String name) {
    long now = result.path("metrics").path(name).asLong(0);
    return now - before.path(name).asLong(0);
  }

  /** The samples histogram {@code name} got with {@code result}'s request. */
  static List<Long> samplesAdded(JsonNode result, String name) {
    List<Long> all = new java.util.ArrayList<>();
    result.path("metrics").path(name).forEach(v -> all.add(v.asLong()));
    return all.subList(before.path(name).size(), all.size());
  }

  /** Ends a test's request: the next test compares with what this one left. */
  static void done(JsonNode result) {
    before = result.path("metrics");
  }

  static ObjectNode post(String route, String body) {
    ObjectNode request =
        request(
            List.of(
                List.of(":method", "POST"),
                List.of(":path", "/orders"),
                List.of(":authority", "gw.example.com"),
                List.of("content-type", "application/json")),
            body);
    request.putObject("properties").put("xds.route_name", route);
    return request;
  }

  static void respond(ObjectNode request, List<List<String>> responseHeaders, String body) {
    ObjectNode response = request.putObject("response");
    response.set("headers", headers(responseHeaders));
    response.put("body", base64(body));
  }

  @Test
  void aSuccessfulInvocationCountsItsClassBytesAndFilterTime() throws IOException {
    ObjectNode request = post("r-orders", "{\"a\":1}");
    respond(request, List.of(List.of(":status", "200")), RESULT);

    JsonNode result = send(request);

    assertThat(header(result.path("response"), ":status")).isEqualTo("201");
    assertThat(added(result, ORDERS + "rq_2xx")).isEqualTo(1);
    assertThat(added(result, ORDERS + "rq_5xx")).isZero();
    // Bytes in: the event sent to Lambda (the forwarded request's content-length).
    assertThat(added(result, ORDERS + "invoke_payload_bytes"))
        .isEqualTo(Long.parseLong(header(result, "content-length")))
        .isGreaterThan("{\"a\":1}".length());
    // Bytes out: the function's result as Lambda returned it.
    assertThat(added(result, ORDERS + "invoke_result_bytes")).isEqualTo(RESULT.length());
    List<Long> time = samplesAdded(result, FILTER_TIME);
    assertThat(time).as("one filter-time sample per request, in microseconds").hasSize(1);
    assertThat(time.get(0)).isPositive().isLessThan(10_000_000L);
    done(result);
  }

  @Test
  void aFunctionErrorIsCountedWithTheStatusTheClientGot() throws IOException {
    ObjectNode request = post("r-orders", "{}");
    respond(
        request,
        List.of(List.of(":status", "200"), List.of("x-amz-function-error", "Unhandled")),
        "{\"errorMessage\":\"boom\"}");

    JsonNode result = send(request);

    assertThat(header(result.path("response"), ":status")).isEqualTo("502");
    assertThat(added(result, ORDERS + "function_error")).isEqualTo(1);
    assertThat(added(result, ORDERS + "rq_5xx")).isEqualTo(1);
    assertThat(added(result, ORDERS + "rq_2xx")).isZero();
    assertThat(added(result, ORDERS + "throttled")).isZero();
    done(result);
  }

  @Test
  void throttlingIsCountedAsThrottledAnd4xx() throws IOException {
    ObjectNode request = post("r-orders", "{}");
    respond(
        request,
        List.of(List.of(":status", "429"), List.of("x-amzn-errortype", "TooManyRequestsException")),
        "{\"message\":\"Rate exceeded\"}");

    JsonNode result = send(request);

    assertThat(header(result.path("response"), ":status")).isEqualTo("429");
    assertThat(added(result, ORDERS + "throttled")).isEqualTo(1);
    assertThat(added(result, ORDERS + "rq_4xx")).isEqualTo(1);
    assertThat(added(result, ORDERS + "function_error")).isZero();
    done(result);
  }

  @Test
  void aLocalReplyIsCountedAndNothingIsSent() throws IOException {
    ObjectNode request = post("r-orders", "");
    // Over Lambda's 6 MB synchronous limit: answered 413 from the content-length alone.
    ((com.fasterxml.jackson.databind.node.ArrayNode) request.get("headers"))
        .addArray()
        .add("content-length")
        .add("7000000");

    JsonNode result = send(request);

    assertThat(result.path("localReply").asBoolean()).as("result: %s", result).isTrue();
    assertThat(result.path("status").asInt()).isEqualTo(413);
    assertThat(added(result, ORDERS + "local_reply")).isEqualTo(1);
    assertThat(added(result, ORDERS + "rq_4xx")).isEqualTo(1);
    assertThat(added(result, ORDERS + "invoke_payload_bytes")).isZero();
    assertThat(samplesAdded(result, FILTER_TIME)).hasSize(1);
    done(result);
  }

  @Test
  void signModeCountsTheSignatureAndTheSignedPayload() throws IOException {
    ObjectNode request =
        request(
            List.of(
                List.of(":method", "GET"),
                List.of(":path", "/bucket/key"),
                List.of(":authority", "store.example.com")),
            "");
    request.putObject("properties").put("xds.route_name", "r-store");
    respond(request, List.of(List.of(":status", "200")), "stored");

    JsonNode result = send(request);

    assertThat(header(result, "authorization")).startsWith("AWS4-HMAC-SHA256 ");
    assertThat(added(result, STORE + "signing_added")).isEqualTo(1);
    assertThat(added(result, STORE + "payload_signing_added")).isEqualTo(1);
    assertThat(added(result, STORE + "signing_failed")).isZero();
    assertThat(added(result, ORDERS + "rq_2xx")).isZero();
    done(result);
  }

  @Test
  void stsCallsAndCredentialRefreshesAreCounted() throws IOException {
    ObjectNode request = post("r-irsa", "{\"a\":1}");
    ObjectNode sts = request.putArray("callouts").addObject();
    sts.set("headers", headers(List.of(List.of(":status", "200"))));
    sts.put("body", base64(STS_OK));
    respond(request, List.of(List.of(":status", "200")), "{\"ok\":true}");

    JsonNode result = send(request);

    assertThat(result.path("callouts").get(0).path("upstream").asText()).isEqualTo("sts");
    assertThat(added(result, "lambdagate.sts.call")).isEqualTo(1);
    assertThat(added(result, "lambdagate.sts.call_failed")).isZero();
    assertThat(added(result, IRSA + "credentials_refreshed")).isEqualTo(1);
    assertThat(added(result, IRSA + "rq_2xx")).isEqualTo(1);
    done(result);
  }

  @Test
  void aRequestNoBackendClaimsAddsNothing() throws IOException {
    ObjectNode request = post("r-elsewhere", "{}");

    JsonNode result = send(request);

    assertThat(result.path("localReply").asBoolean()).isFalse();
    assertThat(result.path("metrics")).isEqualTo(before);
    done(result);
  }

  @Test
  void aHostWithoutMetricsStillServes() throws IOException {
    try (NodeDriver bare =
        NodeDriver.start(wasm(), CONFIG, "--allow-on-headers-stop-iteration", "--no-metrics")) {
      assertThat(bare.ready().path("ready").asBoolean()).as("%s", bare.ready()).isTrue();
      ObjectNode request = post("r-orders", "{\"a\":1}");
      respond(request, List.of(List.of(":status", "200")), RESULT);

      JsonNode result = bare.send(request);

      assertThat(result.path("error").isMissingNode()).as("result: %s", result).isTrue();
      assertThat(header(result.path("response"), ":status")).isEqualTo("201");
      assertThat(result.path("metrics").size()).isZero();
      assertThat(result.path("logs").toString()).doesNotContain("filter_error");
    }
  }
}
