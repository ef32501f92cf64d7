package dev.lambdagate.lambda;

import dev.lambdagate.json.JsonWriter;

/**
 * The filter's own error replies. The client gets a short, generic JSON body with {@code
 * content-type: application/json}:
 *
 * <pre>{"error":"&lt;code&gt;","message":"&lt;HTTP reason phrase&gt;","requestId":"&lt;id&gt;"}
 * </pre>
 *
 * The code is a fixed token ({@code payload_too_large}, {@code backend_invalid}, ...) and the
 * message the status's reason phrase: neither names a namespace, Secret, ServiceAccount, host,
 * exception or STS error. What actually went wrong is the reply's {@link
 * HttpResponse#errorDetail()}, which the filter writes to its log under the same request id.
 * Messages never carry credentials.
 */
public final class ErrorResponse {

  /** Code of the 500 reply for a backend the control plane could not build. */
  public static final String BACKEND_INVALID = "backend_invalid";

  /** Code of the 502 reply for a Lambda result that cannot be turned into a response. */
  public static final String LAMBDA_RESPONSE_INVALID = "lambda_response_invalid";

  /** Code of the 413 reply for a payload over Lambda's limit. */
  public static final String PAYLOAD_TOO_LARGE = "payload_too_large";

  private ErrorResponse() {}

  /**
   * A reply with the given status and code; {@code detail} is kept for the log, the body has no
   * request id yet (see {@link #withRequestId}).
   */
  public static HttpResponse of(int status, String code, String detail) {
    return new HttpResponse(
        status,
        HeaderList.of("content-type", "application/json"),
        body(code, message(status), null),
        code,
        detail);
  }

  /** {@code error} (made by {@link #of}) with its body naming {@code requestId}. */
  public static HttpResponse withRequestId(HttpResponse error, String requestId) {
    return new HttpResponse(
        error.status(),
        error.headers(),
        body(error.errorCode(), message(error.status()), requestId),
        error.errorCode(),
        error.errorDetail());
  }

  /**
   * The JSON body {@code {"error":code,"message":message,"requestId":requestId}} as UTF-8; {@code
   * requestId} is left out when null.
   */
  public static byte[] body(String code, String message, String requestId) {
    JsonWriter w =
        new JsonWriter(
                48
                    + code.length()
                    + message.length()
                    + (requestId == null ? 0 : requestId.length()))
            .beginObject()
            .name("error")
            .value(code)
            .name("message")
            .value(message);
    if (requestId != null) {
      w.name("requestId").value(requestId);
    }
    return w.endObject().toUtf8();
  }

  /** The generic message of an error status: its HTTP reason phrase. */
  public static String message(int status) {
    switch (status) {
      case 400:
        return "Bad Request";
      case 403:
        return "Forbidden";
      case 404:
        return "Not Found";
      case 413:
        return "Payload Too Large";
      case 429:
        return "Too Many Requests";
      case 500:
        return "Internal Server Error";
      case 502:
        return "Bad Gateway";
      case 503:
        return "Service Unavailable";
      case 504:
        return "Gateway Timeout";
      default:
        return status >= 500 ? "Server Error" : "Request Error";
    }
  }

  /** 500 {@code backend_invalid}; the control plane's explanation is the detail. */
  public static HttpResponse backendInvalid(String detail) {
    return of(500, BACKEND_INVALID, detail);
  }

  /** 502 {@code lambda_response_invalid}; why the result could not be used is the detail. */
  public static HttpResponse lambdaResponseInvalid(String why) {
    return of(502, LAMBDA_RESPONSE_INVALID, why);
  }
}
