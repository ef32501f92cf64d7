package dev.lambdagate.filter;

import dev.lambdagate.sdk.Action;

/**
 * What one request does once its backend is known (signing, Lambda invocation). Same phases and
 * return values as {@link dev.lambdagate.sdk.HttpContext}; every phase continues by default.
 */
interface StreamHandler {
  default Action onRequestHeaders(int headerCount, boolean endOfStream) {
    return Action.CONTINUE;
  }

  default Action onRequestBody(int bodySize, boolean endOfStream) {
    return Action.CONTINUE;
  }

  default Action onResponseHeaders(int headerCount, boolean endOfStream) {
    return Action.CONTINUE;
  }

  default Action onResponseBody(int bodySize, boolean endOfStream) {
    return Action.CONTINUE;
  }

  default void onHttpCallResponse(int token, int headers, int bodySize, int trailers) {}
}
