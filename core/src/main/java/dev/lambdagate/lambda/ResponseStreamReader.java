package dev.lambdagate.lambda;

import dev.lambdagate.eventstream.EventStreamDecoder;
import dev.lambdagate.eventstream.EventStreamException;
import dev.lambdagate.eventstream.EventStreamMessage;
import dev.lambdagate.json.JsonObject;
import dev.lambdagate.json.JsonParseException;
import dev.lambdagate.json.JsonParser;
import dev.lambdagate.json.JsonString;
import dev.lambdagate.json.JsonType;
import dev.lambdagate.json.JsonValue;

/**
 * Turns the body of an {@code InvokeWithResponseStream} answer (an AWS event stream) into the
 * client's response while it arrives: each {@code PayloadChunk}'s bytes go to the {@link Sink} as
 * soon as their event is complete, nothing else is kept, so memory stays at one event however long
 * the response runs.
 *
 * <p>When Lambda's {@code Content-Type} is {@value #HTTP_INTEGRATION_CONTENT_TYPE} (a function
 * using {@code awslambda.HttpResponseStream.from(stream, metadata)}), the payload starts with a
 * JSON prelude — {@code statusCode}, {@code headers}, {@code cookies}, read exactly as a
 * transform-mode result is ({@link ResponseUnwrapper}) — followed by eight NUL bytes; the response
 * head comes from it. Otherwise the head is 200 with Lambda's content type.
 *
 * <p>The stream ends with {@code InvokeComplete}; its {@code ErrorCode} (a function error after the
 * head may already be sent), an {@code exception} or {@code error} message, a framing or checksum
 * error, or an upstream end before {@code InvokeComplete} is a {@link StreamFailure}.
 *
 * <p>Not thread-safe: one reader per stream.
 */
public final class ResponseStreamReader implements EventStreamDecoder.Listener {
  /** Lambda's content type for a stream that starts with an HTTP-integration prelude. */
  public static final String HTTP_INTEGRATION_CONTENT_TYPE =
      "application/vnd.awslambda.http-integration-response";

  /** The largest prelude accepted: headers and cookies of one response. */
  public static final int MAX_PRELUDE_BYTES = 64 * 1024;

  /** The largest event accepted (Lambda's chunks are far smaller). */
  public static final int MAX_EVENT_BYTES = 1024 * 1024;

  private static final int DELIMITER_LENGTH = 8;

  /** Where the response goes. */
  public interface Sink {
    /** The response head, exactly once, before any body byte. */
    void head(int status, HeaderList headers);

    /** The next body bytes (a slice of a buffer reused afterwards: copy what is kept). */
    void body(byte[] data, int offset, int length);
  }

  /** The stream cannot complete as a normal response; {@link #code()} says why. */
  public static final class StreamFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final String code;

    StreamFailure(String code, String detail) {
      super(detail);
      this.code = code;
    }

    /**
     * {@code function_error} (the function failed; {@code InvokeComplete.ErrorCode}), {@code
     * lambda_stream_error} (Lambda sent an exception or error message) or {@code
     * lambda_response_invalid} (framing, checksum, prelude, or the stream ended early).
     */
    public String code() {
      return code;
    }
  }

  private final EventStreamDecoder decoder = new EventStreamDecoder(MAX_EVENT_BYTES);
  private final Sink sink;
  private final String contentType;
  private final boolean httpIntegration;
  private byte[] prelude;
  private int preludeLength;
  private boolean headSent;
  private boolean complete;
  private StreamFailure failure;

  /**
   * @param lambdaContentType the {@code Content-Type} of Lambda's answer (the function's stream
   *     content type), or null
   */
  public ResponseStreamReader(String lambdaContentType, Sink sink) {
    this.sink = sink;
    this.httpIntegration =
        lambdaContentType != null
            && HeaderNames.equalsIgnoreCase(lambdaContentType, HTTP_INTEGRATION_CONTENT_TYPE);
    this.contentType =
        lambdaContentType == null || lambdaContentType.isEmpty()
            ? "application/octet-stream"
            : lambdaContentType;
    this.prelude = httpIntegration ? new byte[256] : null;
  }

  /** Feeds the next bytes of Lambda's answer body. */
  public void feed(byte[] data, int offset, int length) throws StreamFailure {
    if (failure != null) {
      throw failure;
    }
    try {
      decoder.feed(data, offset, length, this);
    } catch (EventStreamException e) {
      throw fail(ErrorResponse.LAMBDA_RESPONSE_INVALID, e.getMessage());
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Lambda's answer ended: the stream must have completed. A response without a payload gets its
   * head here.
   */
  public void finish() throws StreamFailure {
    if (failure != null) {
      throw failure;
    }
    if (!complete) {
      throw fail(
          ErrorResponse.LAMBDA_RESPONSE_INVALID,
          decoder.atMessageBoundary()
              ? "the response stream ended before InvokeComplete"
              : "the response stream ended inside an event");
    }
    if (!headSent) {
      if (httpIntegration && preludeLength > 0) {
        throw fail(
            ErrorResponse.LAMBDA_RESPONSE_INVALID,
            "the HTTP integration prelude has no end (8 NUL bytes)");
      }
      sendHead(
          200,
          HeaderList.of(
              "content-type", httpIntegration ? "application/octet-stream" : contentType));
    }
  }

  /** Whether the head has gone to the sink (after which a failure can only reset the stream). */
  public boolean headSent() {
    return headSent;
  }

  @Override
  public void onMessage(EventStreamMessage m) throws EventStreamException {
    if (failure != null) {
      return;
    }
    if (complete) {
      failure =
          new StreamFailure(ErrorResponse.LAMBDA_RESPONSE_INVALID, "an event after InvokeComplete");
      return;
    }
    String type = m.messageType();
    if ("exception".equals(type) || "error".equals(type)) {
      String name = "exception".equals(type) ? m.exceptionType() : m.errorCode();
      failure =
          new StreamFailure(
              "lambda_stream_error",
              "Lambda ended the stream with " + type + " " + (name == null ? "(unnamed)" : name));
      return;
    }
    if ("PayloadChunk".equals(m.eventType())) {
      payload(m.payloadBuffer(), m.payloadOffset(), m.payloadLength());
    } else if ("InvokeComplete".equals(m.eventType())) {
      complete = true;
      String errorCode = completeErrorCode(m);
      if (errorCode != null) {
        failure = new StreamFailure("function_error", "the function failed: " + errorCode);
      }
    }
    // Other event types are skipped: new event kinds must not break existing streams.
  }

  private void payload(byte[] data, int offset, int length) {
    if (headSent) {
      if (length > 0) {
        sink.body(data, offset, length);
      }
      return;
    }
    if (!httpIntegration) {
      sendHead(200, HeaderList.of("content-type", contentType));
      if (length > 0) {
        sink.body(data, offset, length);
      }
      return;
    }
    for (int i = offset, end = offset + length; i < end; i++) {
      if (preludeLength == MAX_PRELUDE_BYTES) {
        failure =
            new StreamFailure(
                ErrorResponse.LAMBDA_RESPONSE_INVALID,
                "the HTTP integration prelude is longer than " + MAX_PRELUDE_BYTES + " bytes");
        return;
      }
      if (preludeLength == prelude.length) {
        byte[] bigger = new byte[prelude.length * 2];
        System.arraycopy(prelude, 0, bigger, 0, preludeLength);
        prelude = bigger;
      }
      prelude[preludeLength++] = data[i];
      if (data[i] == 0 && endsWithDelimiter()) {
        if (!headFromPrelude(preludeLength - DELIMITER_LENGTH)) {
          return;
        }
        prelude = null;
        if (i + 1 < end) {
          sink.body(data, i + 1, end - i - 1);
        }
        return;
      }
    }
  }

  private boolean endsWithDelimiter() {
    if (preludeLength < DELIMITER_LENGTH) {
      return false;
    }
    for (int i = preludeLength - DELIMITER_LENGTH; i < preludeLength; i++) {
      if (prelude[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** Status and headers from the prelude JSON, as a transform-mode result's are read. */
  private boolean headFromPrelude(int jsonLength) {
    HttpResponse head = ResponseUnwrapper.unwrapStreamHead(prelude, 0, jsonLength);
    if (head.errorCode() != null) {
      failure =
          new StreamFailure(
              ErrorResponse.LAMBDA_RESPONSE_INVALID,
              "the HTTP integration prelude: " + head.errorDetail());
      return false;
    }
    sendHead(head.status(), head.headers());
    return true;
  }

  private void sendHead(int status, HeaderList headers) {
    headSent = true;
    sink.head(status, headers);
  }

  private static String completeErrorCode(EventStreamMessage m) {
    if (m.payloadLength() == 0) {
      return null;
    }
    try {
      JsonValue root = JsonParser.parse(m.payloadBuffer(), m.payloadOffset(), m.payloadLength());
      if (root.type() != JsonType.OBJECT) {
        return null;
      }
      JsonValue code = ((JsonObject) root).get("ErrorCode");
      if (code != null && code.type() == JsonType.STRING) {
        String text = ((JsonString) code).value();
        return text.isEmpty() ? null : text;
      }
      return null;
    } catch (JsonParseException e) {
      return "(InvokeComplete is not JSON)";
    }
  }

  private StreamFailure fail(String code, String detail) {
    failure = new StreamFailure(code, detail);
    return failure;
  }
}
