package dev.lambdagate.filter;

import dev.lambdagate.lambda.ErrorResponse;
import dev.lambdagate.lambda.HttpResponse;
import java.nio.charset.StandardCharsets;
import dev.lambdagate.sdk.HeaderList;
import dev.lambdagate.sdk.Host;

/** Answers the current request from the filter with a short JSON error. */
final class LocalReplies {
  private LocalReplies() {}

  /** Sends {@code {"error":code,"message":message}} with {@code status}; logs why. */
  static void send(int status, String code, String message) {
    FilterLog.warn("answered " + status + " " + code + ": " + message);
    HeaderList headers = new HeaderList(1);
    headers.add("content-type", "application/json");
    Host.sendLocalResponse(status, "lambdagate_" + code, ErrorResponse.body(code, message),
        headers);
  }

  /** Sends a reply built by the feature code (its body already the JSON error). */
  static void send(HttpResponse reply) {
    FilterLog.warn("answered " + reply.status() + ": "
        + new String(reply.body(), StandardCharsets.UTF_8));
    HeaderList headers = new HeaderList(reply.headers().size() + 1);
    for (int i = 0; i < reply.headers().size(); i++) {
      headers.add(reply.headers().name(i), reply.headers().value(i));
    }
    if (headers.get("content-type") == null) {
      headers.add("content-type", "application/json");
    }
    Host.sendLocalResponse(reply.status(), "lambdagate_local_reply", reply.body(), headers);
  }
}
