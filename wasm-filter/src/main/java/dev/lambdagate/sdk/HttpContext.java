package dev.lambdagate.sdk;

/**
 * The context of one HTTP stream. Every callback continues by default, so a subclass overrides only
 * the phases it acts on; callbacks return {@link Action#CONTINUE} or {@link Action#PAUSE}.
 */
public abstract class HttpContext {
  private final int contextId;
  private String requestId;
  private boolean requestIdRead;

  protected HttpContext(int contextId) {
    this.contextId = contextId;
  }

  public final int contextId() {
    return contextId;
  }

  /**
   * Reads {@code x-request-id} now, while the request headers are surely there, for a later {@link
   * #requestId()}; makes nothing up yet (most requests never need an id).
   */
  public final void captureRequestId() {
    if (requestId == null && !requestIdRead) {
      requestIdRead = true;
      String header = null;
      try {
        header = Host.header(AbiConstants.MAP_REQUEST_HEADERS, "x-request-id");
      } catch (RuntimeException e) {
        // Request headers not readable here: requestId() makes one up.
      }
      if (RequestIds.isPlausible(header)) {
        requestId = header;
      }
    }
  }

  /**
   * The id that names this request in error replies and log lines ({@link RequestIds}): the {@code
   * x-request-id} captured by {@link #captureRequestId()} (read now if it was not), else one made
   * up once and kept.
   */
  public final String requestId() {
    captureRequestId();
    if (requestId == null) {
      requestId = RequestIds.generate();
    }
    return requestId;
  }

  public Action onRequestHeaders(int headers, boolean endOfStream) {
    return Action.CONTINUE;
  }

  public Action onRequestBody(int bodySize, boolean endOfStream) {
    return Action.CONTINUE;
  }

  public Action onRequestTrailers(int trailers) {
    return Action.CONTINUE;
  }

  public Action onResponseHeaders(int headers, boolean endOfStream) {
    return Action.CONTINUE;
  }

  public Action onResponseBody(int bodySize, boolean endOfStream) {
    return Action.CONTINUE;
  }

  public Action onResponseTrailers(int trailers) {
    return Action.CONTINUE;
  }

  /** A call-out this context made (see {@link Dispatcher#httpCall}) completed or failed. */
  public void onHttpCallResponse(int token, int headers, int bodySize, int trailers) {}

  /**
   * A callback of this stream threw: the stream was answered {@code 500 filter_error} (see {@link
   * Dispatcher}). For metrics; must not throw.
   */
  public void onFilterError() {}

  public void onLog() {}

  public void onDone() {}

  public void onDelete() {}
}
