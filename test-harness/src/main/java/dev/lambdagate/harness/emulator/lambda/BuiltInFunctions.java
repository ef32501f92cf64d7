package dev.lambdagate.harness.emulator.lambda;

import dev.lambdagate.harness.emulator.json.JavaScriptJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The functions every Lambda emulator starts with. Each is stateless and thread-safe.
 *
 * <ul>
 *   <li>{@code echo} (alias {@code live} → version 1): the Node.js handler of the user guide,
 *       {@code async (event) => ({statusCode: 200, body: `Response from AWS Lambda. Here's the
 *       request you just sent me: ${JSON.stringify(event)}`})}, reproduced byte for byte;
 *   <li>{@code apigw}: a fixed API-Gateway-proxy-shaped result (201, headers, multi-value headers,
 *       cookies, base64 body);
 *   <li>{@code fail}: an unhandled function error;
 *   <li>{@code slow}: sleeps, then behaves like {@code echo};
 *   <li>{@code event-echo}: returns the event bytes unchanged.
 * </ul>
 */
public final class BuiltInFunctions {

  /** Prefix of the echo function's body. */
  public static final String ECHO_BODY_PREFIX =
      "Response from AWS Lambda. Here's the request you just sent me: ";

  /** The decoded body the apigw function returns (base64-encoded in its result). */
  public static final String APIGW_BODY = "Hello from the apigw function!\n";

  /** The errorMessage of the fail function. */
  public static final String FAIL_MESSAGE = "Something went wrong in the fail function";

  /** How long {@code slow} sleeps unless configured otherwise. */
  public static final Duration DEFAULT_SLOW_DELAY = Duration.ofSeconds(2);

  private BuiltInFunctions() {}

  /** All built-in functions, {@code slow} sleeping for {@code slowDelay}. */
  public static List<FunctionDefinition> all(Duration slowDelay) {
    return List.of(echo(), apigw(), fail(), slow(slowDelay), eventEcho());
  }

  /** {@code echo}, with alias {@code live} pointing at version 1. */
  public static FunctionDefinition echo() {
    return FunctionDefinition.of("echo", (event, context) -> FunctionResult.ok(echoResult(event)))
        .withAlias("live", FunctionDefinition.PUBLISHED_VERSION);
  }

  /** {@code apigw}: statusCode 201 with every field an API Gateway proxy integration reads. */
  public static FunctionDefinition apigw() {
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "text/plain; charset=utf-8");
    headers.put("X-Emulator-Function", "apigw");
    Map<String, Object> multiValueHeaders = new LinkedHashMap<>();
    multiValueHeaders.put("X-Multi", List.of("one", "two"));
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("statusCode", 201);
    result.put("headers", headers);
    result.put("multiValueHeaders", multiValueHeaders);
    result.put("cookies", List.of("session=abc123; Path=/; HttpOnly", "theme=dark; Path=/"));
    result.put(
        "body", Base64.getEncoder().encodeToString(APIGW_BODY.getBytes(StandardCharsets.UTF_8)));
    result.put("isBase64Encoded", true);
    String json = JavaScriptJson.stringify(result);
    return FunctionDefinition.of("apigw", (event, context) -> FunctionResult.ok(json));
  }

  /** {@code fail}: {@code X-Amz-Function-Error: Unhandled} with a Node.js-style error object. */
  public static FunctionDefinition fail() {
    return FunctionDefinition.of(
        "fail",
        (event, context) ->
            FunctionResult.unhandledError(
                "Error",
                FAIL_MESSAGE,
                List.of(
                    "Error: " + FAIL_MESSAGE,
                    "    at Runtime.handler (file:///var/task/index.mjs:2:11)",
                    "    at Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)")));
  }

  /** {@code slow}: sleeps {@code delay}, then answers like {@code echo}. */
  public static FunctionDefinition slow(Duration delay) {
    return FunctionDefinition.of(
        "slow",
        (event, context) -> {
          Thread.sleep(delay.toMillis());
          return FunctionResult.ok(echoResult(event));
        });
  }

  /** {@code event-echo}: the event, unchanged, as the payload. */
  public static FunctionDefinition eventEcho() {
    return FunctionDefinition.of("event-echo", (event, context) -> FunctionResult.ok(event));
  }

  /**
   * What the echo handler returns for {@code event}: the result object serialised as the Node.js
   * runtime does, with {@code JSON.stringify}.
   */
  public static String echoResult(byte[] event) throws Exception {
    Object parsed = JavaScriptJson.parse(event);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("statusCode", 200);
    result.put("body", ECHO_BODY_PREFIX + JavaScriptJson.stringify(parsed));
    return JavaScriptJson.stringify(result);
  }
}
