package dev.lambdagate.lambda;

import dev.lambdagate.json.JsonWriter;

/**
 * The filter's own error replies: a short JSON body {@code {"error":"<code>","message":"<text>"}}
 * with {@code content-type: application/json}. Messages never carry credentials.
 */
public final class ErrorResponse {

    /** Code of the 500 reply for a backend the control plane could not build. */
    public static final String BACKEND_INVALID = "backend_invalid";
    /** Code of the 502 reply for a Lambda result that cannot be turned into a response. */
    public static final String LAMBDA_RESPONSE_INVALID = "lambda_response_invalid";
    /** Code of the 413 reply for a payload over Lambda's limit. */
    public static final String PAYLOAD_TOO_LARGE = "payload_too_large";

    private ErrorResponse() {
    }

    /** A reply with the given status, error code and message. */
    public static HttpResponse of(int status, String code, String message) {
        return new HttpResponse(status, HeaderList.of("content-type", "application/json"), body(code, message));
    }

    /** The JSON body {@code {"error":code,"message":message}} as UTF-8. */
    public static byte[] body(String code, String message) {
        return new JsonWriter(32 + code.length() + message.length())
                .beginObject()
                .name("error").value(code)
                .name("message").value(message)
                .endObject()
                .toUtf8();
    }

    /** 500 {@code backend_invalid} with the control plane's explanation. */
    public static HttpResponse backendInvalid(String message) {
        return of(500, BACKEND_INVALID, message);
    }

    /** 502 {@code lambda_response_invalid}, saying why the result could not be used. */
    public static HttpResponse lambdaResponseInvalid(String why) {
        return of(502, LAMBDA_RESPONSE_INVALID, why);
    }
}
