package dev.lambdagate.filter;

import dev.lambdagate.lambda.ErrorResponse;
import dev.lambdagate.lambda.HeaderList;
import dev.lambdagate.lambda.HttpResponse;
import dev.lambdagate.sdk.Dispatcher;
import dev.lambdagate.sdk.Host;
import dev.lambdagate.sdk.HttpContext;
import dev.lambdagate.sdk.RequestIds;

/**
 * Answers the current request from the filter with a short, generic JSON error ({@link
 * ErrorResponse}: code, reason phrase, request id) and writes what went wrong to the log under the
 * same request id. The details never reach the client.
 */
final class LocalReplies {
  private LocalReplies() {}

  /** Sends {@code status} with error {@code code}; {@code detail} goes to the log only. */
  static void send(int status, String code, String detail) {
    send(ErrorResponse.of(status, code, detail));
  }

  /**
   * Sends a reply built by the feature code: a filter error ({@link HttpResponse#errorCode()} set)
   * gets the request id and its detail is logged; any other reply is sent as it is.
   */
  static void send(HttpResponse reply) {
    HttpResponse out = withRequestId(reply);
    HeaderList headers = new HeaderList(out.headers().size() + 1);
    for (int i = 0; i < out.headers().size(); i++) {
      headers.add(out.headers().name(i), out.headers().value(i));
    }
    if (headers.get("content-type") == null) {
      headers.add("content-type", "application/json");
    }
    LambdagateHttpContext stream = LambdagateHttpContext.current();
    if (stream != null) {
      stream.recordLocalReply(out.status());
    }
    String code = out.errorCode() == null ? "local_reply" : out.errorCode();
    Host.sendLocalResponse(out.status(), "lambdagate_" + code, out.body(), headers);
  }

  /**
   * {@code reply} as the client gets it: a filter error gets the request id in its body and its
   * detail is logged with that id; any other response is returned unchanged.
   */
  static HttpResponse withRequestId(HttpResponse reply) {
    if (reply.errorCode() == null) {
      return reply;
    }
    String requestId = currentRequestId();
    FilterLog.warn(
        "request "
            + requestId
            + ": answered "
            + reply.status()
            + " "
            + reply.errorCode()
            + ": "
            + reply.errorDetail());
    return ErrorResponse.withRequestId(reply, requestId);
  }

  private static String currentRequestId() {
    HttpContext stream = Dispatcher.currentStream();
    return stream == null ? RequestIds.generate() : stream.requestId();
  }
}
