package dev.lambdagate.lambda;

import dev.lambdagate.config.PayloadTransformMode;
import dev.lambdagate.json.JsonWriter;

/**
 * Builds the Invoke payload (the JSON event) for a request in the configured {@link
 * PayloadTransformMode}.
 */
public final class InvokePayload {

  private InvokePayload() {}

  /**
   * The payload as a new array: the request body itself in {@code None} mode, otherwise the mode's
   * JSON event. For tests and small payloads; the filter uses {@link #write}.
   */
  public static byte[] build(PayloadTransformMode mode, HttpRequest request, EventContext context) {
    if (mode == PayloadTransformMode.NONE) {
      byte[] body = new byte[request.bodyLength()];
      request.body().read(0, body, 0, body.length);
      return body;
    }
    return write(mode, request, context, new byte[0], Integer.MAX_VALUE - 64).toUtf8();
  }

  /**
   * Writes the JSON event of a transform mode ({@code Envoy}, {@code ApiGatewayV1}, {@code
   * ApiGatewayV2}) into {@code buffer}, or into a larger array when the event needs more room: the
   * returned writer holds the event ({@link JsonWriter#buffer()}, {@link JsonWriter#length()}) so
   * that the caller can keep the buffer for the next event. The body is read from {@link
   * HttpRequest#body()} piece by piece and never held whole.
   *
   * @param maxBytes the largest event accepted (Lambda's payload limit)
   * @throws JsonWriter.SizeLimitExceeded when the event would be larger than {@code maxBytes};
   *     nothing beyond that limit is allocated
   * @throws IllegalArgumentException for {@code None} mode, whose payload is the body itself
   */
  public static JsonWriter write(
      PayloadTransformMode mode,
      HttpRequest request,
      EventContext context,
      byte[] buffer,
      int maxBytes) {
    boolean base64 = BodyEncoding.isBase64(request);
    int capacity = BodyEncoding.eventCapacity(request, base64, maxBytes);
    // A reused buffer grows in few steps (powers of two, capped at the limit), so that events
    // a few bytes larger than the last do not each leave a multi-megabyte array behind.
    JsonWriter w =
        new JsonWriter(
                buffer.length >= capacity ? buffer : new byte[grownCapacity(capacity, maxBytes)])
            .maxBytes(maxBytes);
    switch (mode) {
      case ENVOY:
        EnvoyEvent.write(w, request, base64);
        break;
      case API_GATEWAY_V1:
        ApiGatewayV1Event.write(w, request, context, base64);
        break;
      case API_GATEWAY_V2:
        ApiGatewayV2Event.write(w, request, context, base64);
        break;
      default:
        throw new IllegalArgumentException(mode + " mode has no event: the body is the payload");
    }
    return w;
  }

  /** The next power of two from {@code needed}, at most {@code limit}. */
  public static int grownCapacity(int needed, int limit) {
    int capacity = Integer.highestOneBit(needed);
    if (capacity < needed) {
      capacity <<= 1;
    }
    return capacity > limit || capacity <= 0 ? limit : capacity;
  }
}
