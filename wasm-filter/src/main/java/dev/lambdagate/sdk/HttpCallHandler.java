package dev.lambdagate.sdk;

/**
 * Receives the response of one HTTP call-out. {@link Dispatcher#httpCall} registers it for the
 * call's token when it starts the call. A handler passed directly serves a call made on behalf of
 * no particular stream (for example one STS call that several waiting streams share): the effective
 * context during its callback is the root context the host delivered the response to. A stream's
 * call-out ({@link Dispatcher#httpCall(HttpContext, String, HeaderList, byte[], int)}) reaches
 * {@link HttpContext#onHttpCallResponse} with the stream effective. Called on the VM's single
 * thread.
 */
public interface HttpCallHandler {
  /**
   * The call-out completed or failed ({@code headers == 0}: no response, e.g. a connection failure
   * or the timeout). Read the response with {@link Host#headers} on {@link
   * AbiConstants#MAP_HTTP_CALL_RESPONSE_HEADERS} and {@link Host#buffer} on {@link
   * AbiConstants#BUFFER_HTTP_CALL_RESPONSE_BODY}.
   */
  void onHttpCallResponse(int token, int headers, int bodySize, int trailers);
}
