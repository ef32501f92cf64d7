package dev.lambdagate.harness.emulator;

import static dev.lambdagate.harness.emulator.LambdaSignatureTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lambdagate.harness.emulator.lambda.BuiltInFunctions;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Invoke semantics: names, qualifiers, built-in functions, invocation types, limits. */
class LambdaInvokeTest {

  static final String SEED_REQUEST = "{\"key1\":\"value1\", \"key2\":\"value2\"}";
  static final String SEED_RESPONSE =
      "{\"statusCode\":200,\"body\":\"Response from AWS Lambda. Here's the request "
          + "you just sent me: {\\\"key1\\\":\\\"value1\\\",\\\"key2\\\":\\\"value2\\\"}\"}";

  private final SettableClock clock = SettableClock.at("2026-01-01T12:00:00Z");
  private LambdaEmulator lambda;
  private LambdaClient client;

  @BeforeEach
  void start() throws Exception {
    lambda =
        LambdaEmulator.start(
            LambdaEmulatorConfig.builder().clock(clock).slowDelay(Duration.ofMillis(300)).build());
    client = new LambdaClient(lambda, clock);
  }

  @AfterEach
  void stop() {
    lambda.close();
  }

  @Test
  void seedEchoExchangeIsByteForByte() {
    HttpResponse<byte[]> response = client.invoke("echo", SEED_REQUEST);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(SignedHttp.text(response)).isEqualTo(SEED_RESPONSE);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(response.headers().firstValue("X-Amz-Executed-Version")).contains("$LATEST");
    assertThat(UUID.fromString(response.headers().firstValue("x-amzn-RequestId").orElseThrow()))
        .isNotNull();
    assertThat(response.headers().firstValue("X-Amz-Function-Error")).isEmpty();
  }

  @Test
  void emptyPayloadIsAnEmptyObjectEvent() {
    assertThat(SignedHttp.text(client.invoke("echo", "")))
        .isEqualTo("{\"statusCode\":200,\"body\":\"" + BuiltInFunctions.ECHO_BODY_PREFIX + "{}\"}");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "echo, , $LATEST",
    "echo%3A1, , 1",
    "echo%3Alive, , 1",
    "echo%3A%24LATEST, , $LATEST",
    "echo, live, 1",
    "echo:live, , 1",
    "123456789012%3Afunction%3Aecho, , $LATEST",
    "123456789012%3Afunction%3Aecho%3Alive, , 1",
    "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aecho, , $LATEST",
    "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aecho%3A1, , 1",
    "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aecho, live, 1",
    "arn:aws:lambda:us-east-1:123456789012:function:echo, , $LATEST",
  })
  void everyFunctionNameFormResolves(String encodedName, String qualifier, String executedVersion) {
    Map<String, String> query = qualifier == null ? Map.of() : Map.of("Qualifier", qualifier);

    HttpResponse<byte[]> response = client.invoke(encodedName, query, Map.of(), SEED_REQUEST);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(SignedHttp.text(response)).isEqualTo(SEED_RESPONSE);
    assertThat(response.headers().firstValue("X-Amz-Executed-Version")).contains(executedVersion);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "nope, , arn:aws:lambda:us-east-1:123456789012:function:nope",
    "echo%3A2, , arn:aws:lambda:us-east-1:123456789012:function:echo:2",
    "echo, dead, arn:aws:lambda:us-east-1:123456789012:function:echo:dead",
    "fail%3Alive, , arn:aws:lambda:us-east-1:123456789012:function:fail:live",
    "arn%3Aaws%3Alambda%3Aeu-west-1%3A123456789012%3Afunction%3Aecho, ,"
        + " arn:aws:lambda:eu-west-1:123456789012:function:echo",
    "999999999999%3Afunction%3Aecho, , arn:aws:lambda:us-east-1:999999999999:function:echo",
  })
  void unknownFunctionOrQualifierIsResourceNotFound(
      String encodedName, String qualifier, String arn) {
    Map<String, String> query = qualifier == null ? Map.of() : Map.of("Qualifier", qualifier);

    assertError(
        client.invoke(encodedName, query, Map.of(), "{}"),
        404,
        "ResourceNotFoundException",
        "{\"Message\":\"Function not found: " + arn + "\",\"Type\":\"User\"}");
  }

  @Test
  void conflictingQualifiersAreInvalid() {
    assertError(
        client.invoke("echo%3Alive", Map.of("Qualifier", "1"), Map.of(), "{}"),
        400,
        "InvalidParameterValueException",
        "{\"Type\":\"User\",\"message\":\"The derived qualifier from the "
            + "function name does not match the specified qualifier.\"}");
  }

  @Test
  void malformedFunctionNameIsValidationError() {
    HttpResponse<byte[]> response = client.invoke("bad%20name", "{}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("x-amzn-ErrorType")).contains("ValidationException");
    assertThat(SignedHttp.text(response))
        .startsWith(
            "{\"message\":\"1 validation error detected: "
                + "Value 'bad name' at 'functionName' failed to satisfy constraint");
  }

  @Test
  void nonJsonPayloadIsInvalidRequestContent() {
    HttpResponse<byte[]> response = client.invoke("echo", "hello");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("x-amzn-ErrorType"))
        .contains("InvalidRequestContentException");
    assertThat(SignedHttp.text(response))
        .isEqualTo(
            "{\"Type\":\"User\",\"message\":\"Could not parse request "
                + "body into json: Could not parse payload into json: Unrecognized token 'hello': was expecting "
                + "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')\\n at [Source: "
                + "(byte[])\\\"hello\\\"; line: 1, column: 6]\"}");
  }

  @Test
  void eventInvocationIsAcceptedWithEmptyBody() throws Exception {
    HttpResponse<byte[]> response =
        client.invoke("echo", Map.of(), Map.of("X-Amz-Invocation-Type", "Event"), "{}");

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.body()).isEmpty();
    assertThat(lambda.invocations().last().orElseThrow().verification().isValid()).isTrue();
  }

  @Test
  void dryRunIsNoContent() {
    HttpResponse<byte[]> response =
        client.invoke("echo", Map.of(), Map.of("X-Amz-Invocation-Type", "DryRun"), "{}");

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.body()).isEmpty();
  }

  @Test
  void unknownInvocationTypeIsValidationError() {
    HttpResponse<byte[]> response =
        client.invoke("echo", Map.of(), Map.of("X-Amz-Invocation-Type", "Later"), "{}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(SignedHttp.text(response))
        .contains("Member must satisfy enum value set: " + "[Event, RequestResponse, DryRun]");
  }

  @Test
  void syncPayloadLimitIsSixMebibytes() {
    String atLimit = jsonStringOfSize(6_291_456);
    HttpResponse<byte[]> ok = client.invoke("event-echo", atLimit);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).hasSize(6_291_456);

    assertError(
        client.invoke("event-echo", jsonStringOfSize(6_291_457)),
        413,
        "RequestTooLargeException",
        "{\"Type\":\"User\",\"message\":\"Request must be smaller than 6291456 bytes for the "
            + "InvokeFunction operation\"}");
  }

  @Test
  void asyncPayloadLimitIsOneMebibyte() {
    Map<String, String> event = Map.of("X-Amz-Invocation-Type", "Event");
    assertThat(client.invoke("echo", Map.of(), event, jsonStringOfSize(1_048_576)).statusCode())
        .isEqualTo(202);

    assertError(
        client.invoke("echo", Map.of(), event, jsonStringOfSize(1_048_577)),
        413,
        "RequestTooLargeException",
        "{\"Type\":\"User\",\"message\":\"Request must be smaller than 1048576 "
            + "bytes for the InvokeFunction operation\"}");
  }

  @Test
  void apigwReturnsAnApiGatewayShapedResult() throws Exception {
    HttpResponse<byte[]> response = client.invoke("apigw", "{}");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode result = new ObjectMapper().readTree(response.body());
    assertThat(result.get("statusCode").asInt()).isEqualTo(201);
    assertThat(result.get("headers").get("Content-Type").asText())
        .isEqualTo("text/plain; charset=utf-8");
    assertThat(result.get("multiValueHeaders").get("X-Multi")).hasSize(2);
    assertThat(result.get("cookies")).hasSize(2);
    assertThat(result.get("isBase64Encoded").asBoolean()).isTrue();
    assertThat(
            new String(
                Base64.getDecoder().decode(result.get("body").asText()), StandardCharsets.UTF_8))
        .isEqualTo(BuiltInFunctions.APIGW_BODY);
  }

  @Test
  void failReturnsAnUnhandledFunctionError() throws Exception {
    HttpResponse<byte[]> response = client.invoke("fail", "{}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Amz-Function-Error")).contains("Unhandled");
    assertThat(SignedHttp.text(response))
        .startsWith(
            "{\"errorMessage\":\""
                + BuiltInFunctions.FAIL_MESSAGE
                + "\",\"errorType\":\"Error\",\"stackTrace\":[\"Error: ");
    assertThat(lambda.invocations().last().orElseThrow().functionError()).isEqualTo("Unhandled");
  }

  @Test
  void slowSleepsThenEchoes() {
    long started = System.nanoTime();

    HttpResponse<byte[]> response = client.invoke("slow", SEED_REQUEST);

    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(SignedHttp.text(response)).isEqualTo(SEED_RESPONSE);
  }

  @Test
  void eventEchoReturnsTheEventUnchanged() {
    String event = "{ \"b\" : 1.50, \"a\" : [true, null] }";

    assertThat(SignedHttp.text(client.invoke("event-echo", event))).isEqualTo(event);
  }

  @Test
  void tailLogTypeAddsALogResult() {
    HttpResponse<byte[]> response =
        client.invoke("echo", Map.of(), Map.of("X-Amz-Log-Type", "Tail"), "{}");

    String log =
        new String(
            Base64.getDecoder()
                .decode(response.headers().firstValue("X-Amz-Log-Result").orElseThrow()),
            StandardCharsets.UTF_8);
    assertThat(log).startsWith("START RequestId: ").contains("REPORT RequestId: ");
  }

  @Test
  void otherPathsAreUnknownOperations() {
    SignedHttp.Outgoing signed =
        SignedHttp.sign(
            "GET",
            lambda.endpoint(),
            "/2015-03-31/functions",
            Map.of(),
            Map.of(),
            new byte[0],
            LambdaClient.TEST_KEY,
            "us-east-1",
            "lambda",
            clock.instant());

    assertThat(SignedHttp.send(signed).statusCode()).isEqualTo(404);
  }

  /** A JSON string literal whose encoding is exactly {@code size} bytes. */
  static String jsonStringOfSize(int size) {
    return "\"" + "x".repeat(size - 2) + "\"";
  }
}
