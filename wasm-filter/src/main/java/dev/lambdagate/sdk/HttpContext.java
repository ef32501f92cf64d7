package dev.lambdagate.sdk;

/**
 * The context of one HTTP stream. Every callback continues by default, so a subclass overrides
 * only the phases it acts on; callbacks return {@link AbiConstants#ACTION_CONTINUE} or
 * {@link AbiConstants#ACTION_PAUSE}.
 */
public abstract class HttpContext {
  private final int contextId;
  private String requestId;

  protected HttpContext(int contextId) {
    this.contextId = contextId;
  }

  public final int contextId() {
    return contextId;
  }

  /**
   * The id that names this request in error replies and log lines ({@link RequestIds}): read
   * from {@code x-request-id} on the first call and kept, so call it from a request callback
   * while the request headers are there; a later first call makes one up if they are gone.
   */
  public final String requestId() {
    if (requestId == null) {
      String header = null;
      try {
        header = Host.header(AbiConstants.MAP_REQUEST_HEADERS, "x-request-id");
      } catch (RuntimeException e) {
        // Request headers no longer readable here: a made-up id still pairs reply and log.
      }
      requestId = RequestIds.fromHeader(header);
    }
    return requestId;
  }

  public int onRequestHeaders(int headers, boolean endOfStream) {
    return AbiConstants.ACTION_CONTINUE;
  }

  public int onRequestBody(int bodySize, boolean endOfStream) {
    return AbiConstants.ACTION_CONTINUE;
  }

  public int onRequestTrailers(int trailers) {
    return AbiConstants.ACTION_CONTINUE;
  }

  public int onResponseHeaders(int headers, boolean endOfStream) {
    return AbiConstants.ACTION_CONTINUE;
  }

  public int onResponseBody(int bodySize, boolean endOfStream) {
    return AbiConstants.ACTION_CONTINUE;
  }

  public int onResponseTrailers(int trailers) {
    return AbiConstants.ACTION_CONTINUE;
  }

  /** A call-out this context made (see {@link Dispatcher#httpCall}) completed or failed. */
  public void onHttpCallResponse(int token, int headers, int bodySize, int trailers) {}

  public void onLog() {}

  public void onDone() {}

  public void onDelete() {}
}
