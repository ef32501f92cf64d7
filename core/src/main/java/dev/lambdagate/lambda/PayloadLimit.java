package dev.lambdagate.lambda;

import dev.lambdagate.config.InvocationMode;

/**
 * Refuses, before invoking, a payload Lambda would reject with 413 RequestTooLargeException:
 * answering locally spares the round trip and the time spent buffering and signing it.
 */
public final class PayloadLimit {

  private PayloadLimit() {}

  /**
   * A 413 {@code payload_too_large} reply when {@code payloadBytes} exceeds the limit of {@code
   * mode}, or null when the payload fits. Callers may check the client's {@code content-length}
   * first and then the payload actually built.
   */
  public static HttpResponse check(long payloadBytes, InvocationMode mode) {
    int limit = mode.payloadLimitBytes();
    if (payloadBytes <= limit) {
      return null;
    }
    return ErrorResponse.of(
        413,
        ErrorResponse.PAYLOAD_TOO_LARGE,
        "the request payload of "
            + payloadBytes
            + " bytes exceeds the limit "
            + limit
            + " bytes for "
            + mode.configName()
            + " invocations");
  }

  /**
   * The 413 {@code payload_too_large} reply for an event that grew past the limit of {@code mode}
   * while it was built (building stops there, so its full size is not known).
   */
  public static HttpResponse eventTooLarge(InvocationMode mode) {
    int limit = mode.payloadLimitBytes();
    return ErrorResponse.of(
        413,
        ErrorResponse.PAYLOAD_TOO_LARGE,
        "the event built from the request exceeds"
            + " the limit "
            + limit
            + " bytes for "
            + mode.configName()
            + " invocations");
  }
}
