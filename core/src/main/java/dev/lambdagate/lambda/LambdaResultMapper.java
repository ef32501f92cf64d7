package dev.lambdagate.lambda;

import dev.lambdagate.config.LambdaConfig;
import dev.lambdagate.config.PayloadTransformMode;
import dev.lambdagate.json.Utf8;

/**
 * Maps what the Invoke call returned (status, headers, body) to the client's response.
 *
 * <ul>
 *   <li>Function error ({@code X-Amz-Function-Error} present): the configured {@code
 *       functionErrorStatus} (200 keeps Lambda's status), Lambda's body (the error object) and
 *       {@code x-lambdagate-function-error: <header value>}; a function that ran out of time
 *       (Lambda's {@code Task timed out after …} / {@code Sandbox.Timedout} error) gets 504
 *       instead, unless {@code functionErrorStatus} is 200;
 *   <li>202 (Async) and 204 (DryRun): that status with an empty body;
 *   <li>other 2xx: in {@code None} mode the payload as it is with Lambda's content type, otherwise
 *       what {@link ResponseUnwrapper} makes of it;
 *   <li>anything else is a Lambda API error (403 signature or access, 404 no such function, 413,
 *       429, 5xx, ...): the status is kept with {@code x-amzn-errortype}, {@code retry-after} and
 *       {@code x-amzn-requestid} when Lambda sent them, but the body is the filter's generic error
 *       ({@code lambda_api_error}, see {@link ErrorResponse}): Lambda's message names the account,
 *       the role and the function's ARN, which is for the log ({@link HttpResponse#errorDetail()}),
 *       not for the client.
 * </ul>
 *
 * Lambda's other response headers are not passed to the client. Header names are written in lower
 * case.
 */
public final class LambdaResultMapper {

  /**
   * Response header telling the client the function failed; its value is Lambda's (e.g. {@code
   * Unhandled}).
   */
  public static final String FUNCTION_ERROR_HEADER = "x-lambdagate-function-error";

  private static final String[] API_ERROR_HEADERS = {
    "x-amzn-errortype", "retry-after", "x-amzn-requestid"
  };

  /** Code of the reply to a Lambda API error (the status is Lambda's). */
  public static final String LAMBDA_API_ERROR = "lambda_api_error";

  /** How much of Lambda's error message the log line keeps. */
  private static final int API_ERROR_DETAIL_BYTES = 512;

  /** Status of a function error that is Lambda's timeout: the function did not answer in time. */
  public static final int FUNCTION_TIMEOUT_STATUS = 504;

  /** How Lambda's runtimes say a function ran out of time (older, then newer runtimes). */
  private static final byte[][] TIMEOUT_MARKERS = {
    Utf8.encode("Task timed out after "), Utf8.encode("\"Sandbox.Timedout\"")
  };

  private LambdaResultMapper() {}

  /** Maps a result with the backend's transform mode and function error status. */
  public static HttpResponse map(
      LambdaConfig config, int lambdaStatus, HeaderList lambdaHeaders, byte[] body) {
    return map(
        lambdaStatus,
        lambdaHeaders,
        body,
        config.payloadTransformMode(),
        config.functionErrorStatus());
  }

  /**
   * @param lambdaStatus the Invoke response status
   * @param lambdaHeaders the Invoke response headers
   * @param body the Invoke response body; may be null
   * @param mode the backend's payload transform mode
   * @param functionErrorStatus status for a function error; 200 keeps Lambda's
   */
  public static HttpResponse map(
      int lambdaStatus,
      HeaderList lambdaHeaders,
      byte[] body,
      PayloadTransformMode mode,
      int functionErrorStatus) {
    boolean success = lambdaStatus >= 200 && lambdaStatus < 300;
    String functionError = lambdaHeaders.get("x-amz-function-error");
    if (success && functionError != null) {
      HeaderList headers = new HeaderList(2);
      copy(lambdaHeaders, "content-type", headers);
      if (!headers.contains("content-type")) {
        headers.add("content-type", "application/json");
      }
      if (HeaderNames.isSafeValue(functionError)) {
        headers.add(FUNCTION_ERROR_HEADER, functionError);
      }
      int status = functionErrorStatus == 200 ? lambdaStatus : functionErrorStatus;
      if (functionErrorStatus != 200 && isTimeout(body)) {
        status = FUNCTION_TIMEOUT_STATUS;
      }
      return new HttpResponse(status, headers, body);
    }
    if (lambdaStatus == 202 || lambdaStatus == 204) {
      return new HttpResponse(lambdaStatus, new HeaderList(0), null);
    }
    if (success) {
      if (mode == PayloadTransformMode.NONE) {
        HeaderList headers = new HeaderList(1);
        copy(lambdaHeaders, "content-type", headers);
        return new HttpResponse(lambdaStatus, headers, body);
      }
      return ResponseUnwrapper.unwrap(mode, body == null ? new byte[0] : body);
    }
    HeaderList headers = new HeaderList(API_ERROR_HEADERS.length + 1);
    headers.add("content-type", "application/json");
    for (String name : API_ERROR_HEADERS) {
      copy(lambdaHeaders, name, headers);
    }
    String type = lambdaHeaders.get("x-amzn-errortype");
    String detail =
        "Lambda answered "
            + lambdaStatus
            + (type == null ? "" : " " + type)
            + ": "
            + (body == null
                ? "(no body)"
                : Utf8.decodeString(
                    body,
                    0,
                    body.length < API_ERROR_DETAIL_BYTES ? body.length : API_ERROR_DETAIL_BYTES));
    return new HttpResponse(
        lambdaStatus,
        headers,
        ErrorResponse.body(LAMBDA_API_ERROR, ErrorResponse.message(lambdaStatus), null),
        LAMBDA_API_ERROR,
        detail);
  }

  /** Whether an Invoke result with this status is a Lambda API error (its body is replaced). */
  public static boolean isApiError(int lambdaStatus) {
    return lambdaStatus < 200 || lambdaStatus >= 300;
  }

  /** Copies the first header named {@code lowerCaseName}, if any and if safe, under that name. */
  private static void copy(HeaderList from, String lowerCaseName, HeaderList to) {
    String value = from.get(lowerCaseName);
    if (value != null && HeaderNames.isSafeValue(value)) {
      to.add(lowerCaseName, value);
    }
  }

  /** Whether a function error's body is Lambda's timeout error. */
  static boolean isTimeout(byte[] body) {
    if (body == null) {
      return false;
    }
    for (byte[] marker : TIMEOUT_MARKERS) {
      if (indexOf(body, marker) >= 0) {
        return true;
      }
    }
    return false;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0, last = haystack.length - needle.length; i <= last; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
