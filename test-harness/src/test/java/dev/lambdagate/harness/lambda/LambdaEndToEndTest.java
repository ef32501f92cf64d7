package dev.lambdagate.harness.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lambdagate.harness.emulator.LambdaEmulator;
import dev.lambdagate.harness.emulator.LambdaEmulatorConfig;
import dev.lambdagate.harness.emulator.credentials.CredentialStore;
import dev.lambdagate.harness.emulator.lambda.BuiltInFunctions;
import dev.lambdagate.harness.emulator.lambda.InvocationRecord;
import dev.lambdagate.harness.host.ErrorReplyAssertions;
import dev.lambdagate.harness.host.FilterVm;
import dev.lambdagate.harness.host.FilterVmOptions;
import dev.lambdagate.harness.host.HttpMessage;
import dev.lambdagate.harness.host.ModuleUnderTest;
import io.roastedroot.proxywasm.LogLevel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lambda mode end to end: the built {@code lambdagate.wasm} in proxy-wasm-java-host turns each
 * request into an Invoke call, which goes over real HTTP to the Lambda emulator (which verifies
 * every signature with the AWS SDK's signer), and the emulator's answer comes back through the
 * filter.
 */
class LambdaEndToEndTest {
  static final String SEED_BODY = "{\"key1\":\"value1\", \"key2\":\"value2\"}";
  static final String SEED_RESPONSE =
      "{\"statusCode\":200,\"body\":\"Response from AWS Lambda. "
          + "Here's the request you just sent me: {\\\"key1\\\":\\\"value1\\\",\\\"key2\\\":\\\"value2\\\"}\"}";
  static final ObjectMapper JSON = new ObjectMapper();

  static LambdaEmulator emulator;
  final List<String> log = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startEmulator() throws Exception {
    emulator =
        LambdaEmulator.start(
            LambdaEmulatorConfig.builder().port(0).bindAddress("127.0.0.1").build());
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  @BeforeEach
  void clearLog() {
    emulator.invocations().clear();
    emulator.throttle().off();
  }

  String config(String function, String extras) {
    return config(function, extras, CredentialStore.TEST_SECRET_ACCESS_KEY);
  }

  String config(String function, String extras, String secret) {
    return "{\"lambda\":{\"functionName\":\""
        + function
        + "\",\"region\":\""
        + emulator.region()
        + "\",\"accountId\":\""
        + emulator.accountId()
        + "\",\"endpoint\":\""
        + emulator.endpoint()
        + "\""
        + extras
        + "},\"credentials\":{\"accessKeyId\":\""
        + CredentialStore.TEST_ACCESS_KEY_ID
        + "\",\"secretAccessKey\":\""
        + secret
        + "\"}}";
  }

  FilterVm vm(String config) throws Exception {
    return FilterVm.start(
        ModuleUnderTest.filter(),
        FilterVmOptions.of(config).withLog((level, line) -> log.add(line), LogLevel.TRACE));
  }

  static HttpMessage post(String path, String body, String... extraHeaders) {
    return message("POST", path, body, extraHeaders);
  }

  static HttpMessage message(String method, String path, String body, String... extraHeaders) {
    List<String[]> headers = new ArrayList<>();
    headers.add(new String[] {":method", method});
    headers.add(new String[] {":path", path});
    headers.add(new String[] {":authority", "localhost:8080"});
    headers.add(new String[] {":scheme", "http"});
    headers.add(new String[] {"user-agent", "curl/8.5.0"});
    headers.add(new String[] {"accept", "*/*"});
    boolean typed = false;
    for (int i = 0; i < extraHeaders.length; i += 2) {
      typed |= extraHeaders[i].equals("content-type");
    }
    if (!body.isEmpty()) {
      if (!typed) { // what curl -d sends
        headers.add(new String[] {"content-type", "application/x-www-form-urlencoded"});
      }
      headers.add(
          new String[] {
            "content-length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length)
          });
    }
    for (int i = 0; i < extraHeaders.length; i += 2) {
      headers.add(new String[] {extraHeaders[i], extraHeaders[i + 1]});
    }
    return new HttpMessage(headers, body.getBytes(StandardCharsets.UTF_8));
  }

  InvocationRecord onlyInvocation() {
    assertThat(emulator.invocations().count()).isEqualTo(1);
    return emulator.invocations().last().orElseThrow();
  }

  @Test
  void seedEchoExchangeIsByteForByte() throws Exception {
    try (FilterVm vm = vm(config("echo", ""))) {
      // curl localhost:8080/echo -d '{"key1":"value1", "key2":"value2"}' -X POST
      LambdaRoundTrip.Result result = LambdaRoundTrip.send(vm, post("/echo", SEED_BODY));
      assertThat(result.status()).isEqualTo(200);
      assertThat(result.body()).isEqualTo(SEED_RESPONSE);
      assertThat(result.forwarded().header(":path"))
          .isEqualTo(
              "/2015-03-31/functions/arn%3Aaws%3A"
                  + "lambda%3A"
                  + emulator.region()
                  + "%3A"
                  + emulator.accountId()
                  + "%3Afunction%3Aecho/invocations");
      InvocationRecord call = onlyInvocation();
      assertThat(call.bodyText()).isEqualTo(SEED_BODY);
      assertThat(call.header("x-amz-invocation-type")).isEqualTo("RequestResponse");
      // No credential in any log line.
      assertThat(log).noneMatch(l -> l.contains(CredentialStore.TEST_SECRET_ACCESS_KEY));
    }
  }

  @Test
  void qualifierSelectsTheAliasAndAnUnknownAliasIs404WithLambdasMessageOnlyInTheLog()
      throws Exception {
    try (FilterVm vm = vm(config("echo", ",\"qualifier\":\"live\""))) {
      LambdaRoundTrip.Result ok = LambdaRoundTrip.send(vm, post("/echo", "{}"));
      assertThat(ok.status()).isEqualTo(200);
      assertThat(onlyInvocation().rawQuery()).isEqualTo("Qualifier=live");
    }
    emulator.invocations().clear();
    try (FilterVm vm = vm(config("echo", ",\"qualifier\":\"nope\""))) {
      LambdaRoundTrip.Result missing =
          LambdaRoundTrip.send(vm, post("/echo", "{}", "x-request-id", "req-404"));
      assertThat(missing.status()).isEqualTo(404);
      assertThat(missing.response().message().header("x-amzn-errortype"))
          .startsWith("ResourceNotFoundException");
      // Lambda's message names the function's ARN (account id included): log only.
      assertThat(
              ErrorReplyAssertions.assertGenericError(
                  missing.body(), "lambda_api_error", "Not Found"))
          .isEqualTo("req-404");
      assertThat(missing.body()).doesNotContain("echo");
      ErrorReplyAssertions.assertLoggedWith(
          log,
          "req-404",
          "answered 404 lambda_api_error: Lambda answered 404 ResourceNotFoundException",
          "echo");
    }
  }

  @Test
  void envoyTransformSendsEnvoysEventShape() throws Exception {
    try (FilterVm vm = vm(config("event-echo", ",\"payloadTransformMode\":\"Envoy\""))) {
      LambdaRoundTrip.Result result =
          LambdaRoundTrip.send(
              vm,
              post(
                  "/items/7?color=red&size=L",
                  "{\"a\":1}",
                  "content-type",
                  "application/json",
                  "x-custom",
                  "yes"));
      JsonNode event = JSON.readTree(onlyInvocation().bodyText());
      assertThat(event.path("raw_path").asText()).isEqualTo("/items/7?color=red&size=L");
      assertThat(event.path("method").asText()).isEqualTo("POST");
      assertThat(event.path("headers").path("x-custom").asText()).isEqualTo("yes");
      assertThat(event.path("query_string_parameters").path("color").asText()).isEqualTo("red");
      assertThat(event.path("body").asText()).isEqualTo("{\"a\":1}");
      assertThat(event.path("is_base64_encoded").asBoolean()).isFalse();
      // event-echo returns the event: an object without a status code is a 200 in Envoy's
      // shape, and its "body" field is the response body.
      assertThat(result.status()).isEqualTo(200);
      assertThat(result.body()).isEqualTo("{\"a\":1}");
    }
  }

  @Test
  void resultThatCannotBeUnwrappedIs502SayingWhy() throws Exception {
    // An API Gateway REST-API result needs statusCode; the echoed event has none.
    try (FilterVm vm = vm(config("event-echo", ",\"payloadTransformMode\":\"ApiGatewayV1\""))) {
      LambdaRoundTrip.Result result =
          LambdaRoundTrip.send(
              vm, post("/x", "{}", "content-type", "application/json", "x-request-id", "req-502"));
      assertThat(result.status()).isEqualTo(502);
      // Envoy's x-request-id names the reply and the log line that says why.
      assertThat(
              ErrorReplyAssertions.assertGenericError(
                  result.body(), "lambda_response_invalid", "Bad Gateway"))
          .isEqualTo("req-502");
      ErrorReplyAssertions.assertLoggedWith(
          log, "req-502", "answered 502 lambda_response_invalid: statusCode is required");
    }
  }

  @Test
  void apiGatewayV1EventAndUnwrappedResult() throws Exception {
    try (FilterVm vm = vm(config("apigw", ",\"payloadTransformMode\":\"ApiGatewayV1\""))) {
      LambdaRoundTrip.Result result =
          LambdaRoundTrip.send(
              vm,
              post(
                  "/shop/cart?x=1&x=2",
                  "binary\u0001",
                  "content-type",
                  "application/octet-stream"));
      JsonNode event = JSON.readTree(onlyInvocation().bodyText());
      assertThat(event.path("httpMethod").asText()).isEqualTo("POST");
      assertThat(event.path("path").asText()).isEqualTo("/shop/cart");
      assertThat(event.path("multiValueQueryStringParameters").path("x").toString())
          .isEqualTo("[\"1\",\"2\"]");
      assertThat(event.path("isBase64Encoded").asBoolean()).isTrue();
      assertThat(
              new String(
                  Base64.getDecoder().decode(event.path("body").asText()), StandardCharsets.UTF_8))
          .isEqualTo("binary\u0001");
      // The apigw function's result, unwrapped.
      assertThat(result.status()).isEqualTo(201);
      assertThat(result.body()).isEqualTo(BuiltInFunctions.APIGW_BODY);
      HttpMessage response = result.response().message();
      assertThat(response.header("content-type")).isEqualTo("text/plain; charset=utf-8");
      assertThat(response.headerValues("x-multi")).containsExactly("one", "two");
      assertThat(response.headerValues("set-cookie"))
          .containsExactly("session=abc123; Path=/; HttpOnly", "theme=dark; Path=/");
      assertThat(response.header("content-length"))
          .isEqualTo(Integer.toString(BuiltInFunctions.APIGW_BODY.length()));
    }
  }

  @Test
  void apiGatewayV2EventShape() throws Exception {
    try (FilterVm vm = vm(config("event-echo", ",\"payloadTransformMode\":\"ApiGatewayV2\""))) {
      LambdaRoundTrip.send(
          vm, post("/v2/path?q=1", "hello", "content-type", "text/plain", "cookie", "a=1; b=2"));
      JsonNode event = JSON.readTree(onlyInvocation().bodyText());
      assertThat(event.path("version").asText()).isEqualTo("2.0");
      assertThat(event.path("rawPath").asText()).isEqualTo("/v2/path");
      assertThat(event.path("rawQueryString").asText()).isEqualTo("q=1");
      assertThat(event.path("cookies").toString()).isEqualTo("[\"a=1\",\"b=2\"]");
      assertThat(event.path("requestContext").path("http").path("method").asText())
          .isEqualTo("POST");
      assertThat(event.path("body").asText()).isEqualTo("hello");
    }
  }

  @Test
  void requestWithoutBodyInATransformModeIsInvokedByACallout() throws Exception {
    try (FilterVm vm =
        FilterVm.start(
            ModuleUnderTest.filter(),
            FilterVmOptions.of(config("apigw", ",\"payloadTransformMode\":\"ApiGatewayV2\""))
                .withTransport(
                    (cluster, headers, body, timeout) -> {
                      assertThat(cluster).isEqualTo("lambda-cluster");
                      return LambdaRoundTrip.forward(new HttpMessage(headers, body));
                    }))) {
      LambdaRoundTrip.Result result =
          LambdaRoundTrip.send(
              vm,
              message("GET", "/shop?item=1", ""),
              Map.of(
                  List.of("xds", "cluster_name"),
                  "lambda-cluster".getBytes(StandardCharsets.UTF_8)));
      // Envoy cannot take a body from the headers phase: the Invoke went out as a call-out and
      // its mapped result is the filter's own reply.
      assertThat(result.answeredByFilter()).isTrue();
      assertThat(result.status()).isEqualTo(201);
      assertThat(result.body()).isEqualTo(BuiltInFunctions.APIGW_BODY);
      assertThat(result.response().message().headerValues("set-cookie")).hasSize(2);
      JsonNode event = JSON.readTree(onlyInvocation().bodyText());
      assertThat(event.path("requestContext").path("http").path("method").asText())
          .isEqualTo("GET");
      assertThat(event.path("rawQueryString").asText()).isEqualTo("item=1");
    }
  }

  /**
   * The documented call-out numbers: dispatched with Envoy's default route timeout (15 s), and a
   * call-out that fails (the host reports a timeout as a response with no headers) is 503
   * lambda_unreachable. The transport fails at once instead of waiting 15 s.
   */
  @Test
  void calloutHasAFifteenSecondTimeoutAndATimedOutCallIs503LambdaUnreachable() throws Exception {
    List<Integer> timeouts = new ArrayList<>();
    try (FilterVm vm =
        FilterVm.start(
            ModuleUnderTest.filter(),
            FilterVmOptions.of(config("apigw", ",\"payloadTransformMode\":\"ApiGatewayV2\""))
                .withLog((level, line) -> log.add(line), LogLevel.TRACE)
                .withTransport(
                    (cluster, headers, body, timeout) -> {
                      timeouts.add(timeout);
                      throw new java.net.http.HttpTimeoutException(
                          "no answer within " + timeout + " ms");
                    }))) {
      LambdaRoundTrip.Result result =
          LambdaRoundTrip.send(
              vm,
              message("GET", "/shop", "", "x-request-id", "req-timeout"),
              Map.of(
                  List.of("xds", "cluster_name"),
                  "lambda-cluster".getBytes(StandardCharsets.UTF_8)));

      assertThat(timeouts).containsExactly(15_000);
      assertThat(result.answeredByFilter()).isTrue();
      assertThat(result.status()).isEqualTo(503);
      assertThat(
              ErrorReplyAssertions.assertGenericError(
                  result.body(), "lambda_unreachable", "Service Unavailable"))
          .isEqualTo("req-timeout");
      ErrorReplyAssertions.assertLoggedWith(log, "req-timeout", "timeout after 15000 ms");
      assertThat(emulator.invocations().count()).isZero();
    }
  }

  @Test
  void requestWithoutBodyAndNoClusterToCallIsAClear500() throws Exception {
    try (FilterVm vm = vm(config("apigw", ",\"payloadTransformMode\":\"Envoy\""))) {
      LambdaRoundTrip.Result result =
          LambdaRoundTrip.send(vm, message("GET", "/x", "", "x-request-id", "req-500"));
      assertThat(result.status()).isEqualTo(500);
      assertThat(
              ErrorReplyAssertions.assertGenericError(
                  result.body(), "no_upstream_cluster", "Internal Server Error"))
          .isEqualTo("req-500");
      ErrorReplyAssertions.assertLoggedWith(log, "req-500", "xds.cluster_name");
      assertThat(emulator.invocations().count()).isZero();
    }
  }

  @Test
  void oversizedPayloadIs413WithoutCallingLambda() throws Exception {
    try (FilterVm vm = vm(config("echo", ",\"invocationMode\":\"Async\""))) {
      String big = "x".repeat(1024 * 1024 + 1);
      LambdaRoundTrip.Result result =
          LambdaRoundTrip.send(vm, post("/echo", big, "x-request-id", "req-413"));
      assertThat(result.answeredByFilter()).isTrue();
      assertThat(result.status()).isEqualTo(413);
      assertThat(
              ErrorReplyAssertions.assertGenericError(
                  result.body(), "payload_too_large", "Payload Too Large"))
          .isEqualTo("req-413");
      ErrorReplyAssertions.assertLoggedWith(
          log,
          "req-413",
          "answered 413 payload_too_large",
          "exceeds the limit 1048576 bytes for Async invocations");
      assertThat(emulator.invocations().count()).isZero();
    }
  }

  @Test
  void clientCannotChooseInvocationTypeContextOrCredentials() throws Exception {
    try (FilterVm vm = vm(config("echo", ""))) {
      LambdaRoundTrip.Result result =
          LambdaRoundTrip.send(
              vm,
              post(
                  "/echo",
                  "{}",
                  "x-amz-invocation-type",
                  "Event",
                  "x-amz-client-context",
                  "e30=",
                  "x-amz-log-type",
                  "Tail",
                  "authorization",
                  "AWS4-HMAC-SHA256 Credential=AKIAFORGED",
                  "x-amz-security-token",
                  "stolen",
                  "connection",
                  "keep-alive, x-secret",
                  "x-secret",
                  "hop",
                  "te",
                  "trailers",
                  "proxy-authorization",
                  "Basic Zm9vOmJhcg=="));
      assertThat(result.status()).isEqualTo(200);
      InvocationRecord call = onlyInvocation();
      assertThat(call.header("x-amz-invocation-type")).isEqualTo("RequestResponse");
      assertThat(call.header("x-amz-client-context")).isNull();
      assertThat(call.header("x-amz-log-type")).isNull();
      assertThat(call.header("x-amz-security-token")).isNull();
      assertThat(call.header("authorization")).contains("Credential=AKIDEXAMPLE/");
      assertThat(call.header("proxy-authorization")).isNull();
      assertThat(call.header("x-secret")).isNull();
      assertThat(call.header("te")).isNull();
    }
  }

  @Test
  void functionErrorIs502ByDefaultWithBodyAndErrorType() throws Exception {
    try (FilterVm vm = vm(config("fail", ""))) {
      LambdaRoundTrip.Result result = LambdaRoundTrip.send(vm, post("/fail", "{}"));
      assertThat(result.status()).isEqualTo(502);
      assertThat(result.body()).contains(BuiltInFunctions.FAIL_MESSAGE);
      assertThat(result.response().message().header("x-lambdagate-function-error"))
          .isEqualTo("Unhandled");
    }
    try (FilterVm vm = vm(config("fail", ",\"functionErrorStatus\":200"))) {
      LambdaRoundTrip.Result kept = LambdaRoundTrip.send(vm, post("/fail", "{}"));
      assertThat(kept.status()).isEqualTo(200);
      assertThat(kept.body()).contains(BuiltInFunctions.FAIL_MESSAGE);
    }
  }

  @Test
  void throttlingIs429WithRetryAfter() throws Exception {
    emulator.throttle().throttleNext(1);
    try (FilterVm vm = vm(config("echo", ""))) {
      LambdaRoundTrip.Result result = LambdaRoundTrip.send(vm, post("/echo", "{}"));
      assertThat(result.status()).isEqualTo(429);
      assertThat(result.response().message().header("retry-after")).isNotNull();
      assertThat(result.response().message().header("x-amzn-errortype"))
          .startsWith("TooManyRequestsException");
      LambdaRoundTrip.Result next = LambdaRoundTrip.send(vm, post("/echo", "{}"));
      assertThat(next.status()).isEqualTo(200);
    }
  }

  @Test
  void asyncIs202WithEmptyBodyAndDryRunIs204() throws Exception {
    try (FilterVm vm = vm(config("echo", ",\"invocationMode\":\"Async\""))) {
      LambdaRoundTrip.Result result = LambdaRoundTrip.send(vm, post("/echo", "{}"));
      assertThat(result.status()).isEqualTo(202);
      assertThat(result.body()).isEmpty();
      assertThat(result.forwarded().header("x-amz-invocation-type")).isEqualTo("Event");
    }
    try (FilterVm vm = vm(config("echo", ",\"invocationMode\":\"DryRun\""))) {
      LambdaRoundTrip.Result result = LambdaRoundTrip.send(vm, post("/echo", "{}"));
      assertThat(result.status()).isEqualTo(204);
      assertThat(result.body()).isEmpty();
    }
  }

  @Test
  void wrongSecretIs403FromLambdaSurfacedToTheClient() throws Exception {
    try (FilterVm vm = vm(config("echo", "", "not-the-secret"))) {
      LambdaRoundTrip.Result result = LambdaRoundTrip.send(vm, post("/echo", "{}"));
      assertThat(result.answeredByFilter()).isFalse();
      assertThat(result.status()).isEqualTo(403);
      assertThat(result.response().message().header("x-amzn-errortype"))
          .startsWith("InvalidSignatureException");
      ErrorReplyAssertions.assertGenericError(result.body(), "lambda_api_error", "Forbidden");
      assertThat(result.body()).doesNotContain("not-the-secret");
      assertThat(log).noneMatch(l -> l.contains("not-the-secret"));
    }
  }
}
