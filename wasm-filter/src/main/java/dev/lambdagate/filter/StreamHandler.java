package dev.lambdagate.filter;

import dev.lambdagate.sdk.Action;

/**
 * What one request does once its backend is known (signing, Lambda invocation). Same phases and
 * return values as {@link dev.lambdagate.sdk.HttpContext}; every phase continues by default except
 * the request's trailers, which each handler must decide: a request whose body ends with trailers
 * (HTTP/2) ends there, and no body callback sees its end of stream, so continuing by default would
 * send the held request on as the client wrote it.
 */
interface StreamHandler {
  default Action onRequestHeaders(int headerCount, boolean endOfStream) {
    return Action.CONTINUE;
  }

  default Action onRequestBody(int bodySize, boolean endOfStream) {
    return Action.CONTINUE;
  }

  /** The request's trailers: the request has ended, its whole body buffered if it had one. */
  Action onRequestTrailers(int trailerCount);

  default Action onResponseHeaders(int headerCount, boolean endOfStream) {
    return Action.CONTINUE;
  }

  default Action onResponseBody(int bodySize, boolean endOfStream) {
    return Action.CONTINUE;
  }

  default void onHttpCallResponse(int token, int headers, int bodySize, int trailers) {}
}
