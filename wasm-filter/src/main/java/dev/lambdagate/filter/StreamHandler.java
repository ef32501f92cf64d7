package dev.lambdagate.filter;

import dev.lambdagate.sdk.AbiConstants;

/**
 * What one request does once its backend is known (signing, Lambda invocation). Same phases
 * and return values as {@link dev.lambdagate.sdk.HttpContext}; every phase continues by default.
 */
interface StreamHandler {
  default int onRequestHeaders(int headerCount, boolean endOfStream) {
    return AbiConstants.ACTION_CONTINUE;
  }

  default int onRequestBody(int bodySize, boolean endOfStream) {
    return AbiConstants.ACTION_CONTINUE;
  }

  default int onResponseHeaders(int headerCount, boolean endOfStream) {
    return AbiConstants.ACTION_CONTINUE;
  }

  default int onResponseBody(int bodySize, boolean endOfStream) {
    return AbiConstants.ACTION_CONTINUE;
  }

  default void onHttpCallResponse(int token, int headers, int bodySize, int trailers) {}
}
