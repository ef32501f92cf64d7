package dev.lambdagate.sdk;

/**
 * Receives the response of a call-out made on behalf of no particular stream (for example one
 * STS call that several waiting streams share); see {@link Dispatcher#httpCall}. The effective
 * context during the callback is the root context the host delivered the response to.
 */
public interface HttpCallHandler {
  /**
   * The call-out completed or failed ({@code headers == 0}: no response, e.g. a connection
   * failure or the timeout). Read the response with {@link Host#headers} on
   * {@link AbiConstants#MAP_HTTP_CALL_RESPONSE_HEADERS} and {@link Host#buffer} on
   * {@link AbiConstants#BUFFER_HTTP_CALL_RESPONSE_BODY}.
   */
  void onHttpCallResponse(int token, int headers, int bodySize, int trailers);
}
