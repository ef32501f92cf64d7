package dev.lambdagate.harness.emulator.lambda;

import dev.lambdagate.harness.emulator.json.JavaScriptJson;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an invocation returns to the Invoke caller: normally status 200 and the function's JSON
 * result as payload. A function error is status 200 too, with header {@code X-Amz-Function-Error}
 * and an error object as payload ({@link #unhandledError}).
 *
 * <p>Immutable and thread-safe (the payload array is not copied; treat it as read-only).
 *
 * @param status HTTP status of the Invoke response
 * @param headers extra response headers, e.g. {@code X-Amz-Function-Error}
 * @param payload the response body
 */
public record FunctionResult(int status, Map<String, String> headers, byte[] payload) {

  /** The header that marks a function error. */
  public static final String FUNCTION_ERROR_HEADER = "X-Amz-Function-Error";

  public FunctionResult {
    headers = Map.copyOf(headers);
    payload = payload == null ? new byte[0] : payload;
  }

  /** A successful result with a JSON payload. */
  public static FunctionResult ok(String json) {
    return new FunctionResult(200, Map.of(), json.getBytes(StandardCharsets.UTF_8));
  }

  /** A successful result with raw payload bytes. */
  public static FunctionResult ok(byte[] payload) {
    return new FunctionResult(200, Map.of(), payload);
  }

  /**
   * An unhandled function error the way the Node.js runtime reports one: status 200, {@code
   * X-Amz-Function-Error: Unhandled}, body {@code
   * {"errorMessage":...,"errorType":...,"stackTrace":[...]}}.
   */
  public static FunctionResult unhandledError(
      String errorType, String errorMessage, List<String> stackTrace) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("errorMessage", errorMessage);
    error.put("errorType", errorType);
    error.put("stackTrace", List.copyOf(stackTrace));
    return new FunctionResult(
        200,
        Map.of(FUNCTION_ERROR_HEADER, "Unhandled"),
        JavaScriptJson.stringify(error).getBytes(StandardCharsets.UTF_8));
  }

  /** The payload decoded as UTF-8. */
  public String payloadText() {
    return new String(payload, StandardCharsets.UTF_8);
  }
}
