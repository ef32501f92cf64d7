package dev.lambdagate.lambda;

/**
 * Facts about a request that event builders cannot derive from it: the time it was received (the
 * filter reads the clock; these classes never do) and its id.
 */
public final class EventContext {

  private final long requestTimeEpochMillis;
  private final String requestId;

  /**
   * @param requestTimeEpochMillis when the request arrived, in milliseconds since 1970-01-01T00:00Z
   * @param requestId an id for the request (e.g. Envoy's {@code x-request-id}), or null
   */
  public EventContext(long requestTimeEpochMillis, String requestId) {
    this.requestTimeEpochMillis = requestTimeEpochMillis;
    this.requestId = requestId;
  }

  public long requestTimeEpochMillis() {
    return requestTimeEpochMillis;
  }

  /** The request id, or null. */
  public String requestId() {
    return requestId;
  }
}
