package dev.lambdagate.filter;

import dev.lambdagate.lambda.ErrorResponse;
import dev.lambdagate.lambda.HeaderList;
import dev.lambdagate.lambda.HttpResponse;
import dev.lambdagate.lambda.ResponseStreamReader;
import dev.lambdagate.sdk.AbiConstants;
import dev.lambdagate.sdk.Action;
import dev.lambdagate.sdk.Host;

/**
 * The response phase of one {@code InvokeWithResponseStream} call (Streaming mode): Lambda's event
 * stream becomes the client's response while it arrives.
 *
 * <p>Envoy's rules, which this follows: the response headers stay held (the headers callback
 * returned StopIteration) until the response head is known, which is at the HTTP-integration
 * prelude's end or at the first payload; until then each body callback sees everything buffered so
 * far (StopIterationAndBuffer), and only the bytes not yet decoded are fed. In the callback where
 * the head becomes known the headers are rewritten (status, the head's headers, no {@code
 * content-length}) — allowed because they have not been continued yet — and the body callback
 * returns Continue, which sends the headers and the decoded body together. From then on each body
 * callback sees only the new bytes; they are decoded and the buffer replaced in place by the
 * payload bytes they complete ({@code proxy_set_buffer_bytes}), and Continue passes them on.
 * Nothing of the response is kept between callbacks but the decoder's partial event.
 *
 * <p>Failures: before the head, the client gets the mapped error (502 {@code
 * lambda_response_invalid}, or {@code lambda.functionErrorStatus} for a function error) in place of
 * the stream. After the head, only a reset can tell the client the body is incomplete: {@code
 * proxy_close_stream} (Envoy resets the stream), counted in {@code stream_reset} and logged with
 * the failure's code and the request id, never Lambda's error details.
 *
 * <p>Memory: one input piece and one output buffer per VM (reused by every stream, as a VM runs one
 * callback at a time; the output grows to the largest callback's payload and stays), and per stream
 * the decoder's buffer of at most one event.
 *
 * <p>Not thread-safe: one per stream, used from the VM's thread.
 */
final class StreamedResponse implements ResponseStreamReader.Sink {
  private static final byte[] NO_BYTES = new byte[0];

  /** Per VM: the piece of Envoy's buffer being decoded. */
  private static final byte[] INPUT = new byte[LambdaStream.PIECE];

  /** Per VM: the payload bytes decoded in the running callback. */
  private static byte[] output = new byte[LambdaStream.PIECE];

  private final ResponseStreamReader reader;
  private final HeaderList lambdaHeaders;
  private final LambdagateHttpContext context;
  private final BackendStats stats;
  private final int functionErrorStatus;
  private int outputLength;

  /** Bytes at the front of Envoy's buffer already decoded (while the headers are held). */
  private int decoded;

  /** The stream has ended (failed or answered with an error): what still comes is dropped. */
  private boolean finished;

  /**
   * @param lambdaHeaders Lambda's response headers, removed when the head is set
   * @param lambdaContentType Lambda's {@code content-type}: the function's stream content type
   */
  StreamedResponse(
      HeaderList lambdaHeaders,
      String lambdaContentType,
      LambdagateHttpContext context,
      BackendStats stats,
      int functionErrorStatus) {
    this.lambdaHeaders = lambdaHeaders;
    this.context = context;
    this.stats = stats;
    this.functionErrorStatus = functionErrorStatus;
    // Some clients describe the framing itself; the function's content type is then unknown.
    String contentType =
        lambdaContentType != null && lambdaContentType.startsWith(EVENT_STREAM_CONTENT_TYPE)
            ? null
            : lambdaContentType;
    this.reader = new ResponseStreamReader(contentType, this);
  }

  /** The framing's own media type. */
  static final String EVENT_STREAM_CONTENT_TYPE = "application/vnd.amazon.eventstream";

  /**
   * A whole event stream already in memory (the answer to a call-out, which Envoy delivers whole)
   * as one response: the head and every payload byte, or the error the client gets instead.
   */
  static HttpResponse decodeWhole(
      byte[] data, int length, String lambdaContentType, int functionErrorStatus) {
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    int[] status = new int[1];
    HeaderList[] head = new HeaderList[1];
    ResponseStreamReader whole =
        new ResponseStreamReader(
            lambdaContentType != null && lambdaContentType.startsWith(EVENT_STREAM_CONTENT_TYPE)
                ? null
                : lambdaContentType,
            new ResponseStreamReader.Sink() {
              @Override
              public void head(int s, HeaderList headers) {
                status[0] = s;
                head[0] = headers;
              }

              @Override
              public void body(byte[] bytes, int offset, int count) {
                body.write(bytes, offset, count);
              }
            });
    try {
      whole.feed(data, 0, length);
      whole.finish();
    } catch (ResponseStreamReader.StreamFailure e) {
      int errorStatus = "function_error".equals(e.code()) ? functionErrorStatus : 502;
      return ErrorResponse.of(errorStatus, e.code(), e.getMessage());
    }
    HeaderList headers = new HeaderList(head[0].size());
    for (int i = 0; i < head[0].size(); i++) {
      String name = head[0].name(i);
      if (!name.equals("content-length") && !name.equals("transfer-encoding")) {
        headers.add(name, head[0].value(i));
      }
    }
    return new HttpResponse(status[0], headers, body.toByteArray());
  }

  /** Lambda's headers arrived with end of stream: a stream without a single event. */
  void onEmptyStream() {
    fail(
        ErrorResponse.LAMBDA_RESPONSE_INVALID,
        "the response stream ended before InvokeComplete",
        0);
  }

  /** One body callback of Lambda's answer. */
  Action onBody(int bodySize, boolean endOfStream) {
    if (finished) {
      Host.setBuffer(AbiConstants.BUFFER_RESPONSE_BODY, 0, bodySize, NO_BYTES, 0, 0);
      return Action.CONTINUE;
    }
    boolean headWasSent = reader.headSent();
    int from = headWasSent ? 0 : decoded;
    stats.invokeResultBytes.increment(bodySize - from);
    outputLength = 0;
    try {
      for (int at = from; at < bodySize; ) {
        int n =
            Host.readBuffer(
                AbiConstants.BUFFER_RESPONSE_BODY,
                at,
                INPUT,
                0,
                Math.min(INPUT.length, bodySize - at));
        if (n <= 0) {
          break;
        }
        reader.feed(INPUT, 0, n);
        at += n;
      }
      if (endOfStream) {
        reader.finish();
      }
    } catch (ResponseStreamReader.StreamFailure e) {
      return fail(e.code(), e.getMessage(), bodySize);
    }
    if (!reader.headSent()) {
      decoded = bodySize;
      return Action.PAUSE; // Envoy buffers; the headers stay held until the head is known
    }
    Host.setBuffer(AbiConstants.BUFFER_RESPONSE_BODY, 0, bodySize, output, 0, outputLength);
    decoded = 0;
    if (endOfStream) {
      finished = true;
    }
    return Action.CONTINUE;
  }

  @Override
  public void head(int status, HeaderList headers) {
    context.recordResponse(status);
    int map = AbiConstants.MAP_RESPONSE_HEADERS;
    for (int i = 0; i < lambdaHeaders.size(); i++) {
      String name = lambdaHeaders.name(i);
      if (!name.startsWith(":")) {
        Host.removeHeader(map, name);
      }
    }
    Host.replaceHeader(map, ":status", Integer.toString(status));
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i);
      // The length is not known: the body is as long as the stream runs.
      if (!name.equals("content-length") && !name.equals("transfer-encoding")) {
        Host.addHeader(map, name, headers.value(i));
      }
    }
  }

  @Override
  public void body(byte[] data, int offset, int length) {
    int needed = outputLength + length;
    if (needed > output.length) {
      int size = output.length;
      while (size < needed) {
        size *= 2;
      }
      byte[] bigger = new byte[size];
      System.arraycopy(output, 0, bigger, 0, outputLength);
      output = bigger;
    }
    System.arraycopy(data, offset, output, outputLength, length);
    outputLength = needed;
  }

  private Action fail(String code, String detail, int bodySize) {
    finished = true;
    if (reader.headSent()) {
      // The status went with the head: only a reset tells the client the body is incomplete.
      stats.streamReset.increment();
      FilterLog.warn(
          "request "
              + context.requestId()
              + ": response stream reset after the head was sent: "
              + code
              + ": "
              + detail);
      Host.setBuffer(AbiConstants.BUFFER_RESPONSE_BODY, 0, bodySize, NO_BYTES, 0, 0);
      Host.closeStream(AbiConstants.STREAM_RESPONSE);
      return Action.PAUSE;
    }
    int status = "function_error".equals(code) ? functionErrorStatus : 502;
    HttpResponse error = LocalReplies.withRequestId(ErrorResponse.of(status, code, detail));
    head(error.status(), error.headers());
    byte[] body = error.body() == null ? NO_BYTES : error.body();
    Host.replaceHeader(
        AbiConstants.MAP_RESPONSE_HEADERS, "content-length", Integer.toString(body.length));
    Host.setBuffer(AbiConstants.BUFFER_RESPONSE_BODY, 0, bodySize, body, 0, body.length);
    return Action.CONTINUE;
  }
}
