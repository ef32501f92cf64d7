package dev.lambdagate.harness.emulator.lambda;

import com.sun.net.httpserver.HttpExchange;
import dev.lambdagate.harness.emulator.json.JavaScriptJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * Writes an {@code InvokeWithResponseStream} answer: status 200, the response head, then one event
 * per piece ({@code PayloadChunk}) flushed as it is written, then {@code InvokeComplete}. Frames
 * are encoded by the AWS SDK's own event-stream codec ({@code software.amazon.eventstream}), so the
 * filter's decoder is checked against an independent encoder.
 *
 * <p>One per answer; not thread-safe.
 */
final class EventStreamReply implements ResponseStream {
  private final HttpExchange exchange;
  private final Map<String, String> headers;
  private final Duration delay;
  private String contentType = "application/octet-stream";
  private OutputStream out;
  private boolean wrote;

  /**
   * @param headers the answer's other headers ({@code X-Amz-Executed-Version}, request id)
   * @param delay the pause before each chunk after the first (the emulator's slow-stream mode)
   */
  EventStreamReply(HttpExchange exchange, Map<String, String> headers, Duration delay) {
    this.exchange = exchange;
    this.headers = headers;
    this.delay = delay;
  }

  @Override
  public void contentType(String contentType) {
    if (out != null) {
      throw new IllegalStateException("the content type is set before the first write");
    }
    this.contentType = contentType;
  }

  @Override
  public void write(byte[] bytes) throws IOException {
    if (wrote && !delay.isZero()) {
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted between chunks", e);
      }
    }
    wrote = true;
    event("PayloadChunk", bytes);
  }

  /** Ends the stream; {@code errorCode} non-null for a failed invocation. */
  void complete(String errorCode, String errorDetails) throws IOException {
    Map<String, String> complete = new LinkedHashMap<>();
    if (errorCode != null) {
      complete.put("ErrorCode", errorCode);
      complete.put("ErrorDetails", errorDetails == null ? "" : errorDetails);
    }
    String json = JavaScriptJson.stringify(complete);
    event("InvokeComplete", json.getBytes(StandardCharsets.UTF_8));
    out.close();
    exchange.close();
  }

  private void event(String type, byte[] payload) throws IOException {
    if (out == null) {
      headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(200, 0); // chunked: the length is not known
      out = exchange.getResponseBody();
    }
    Map<String, HeaderValue> eventHeaders = new LinkedHashMap<>();
    eventHeaders.put(":event-type", HeaderValue.fromString(type));
    eventHeaders.put(":content-type", HeaderValue.fromString("application/octet-stream"));
    eventHeaders.put(":message-type", HeaderValue.fromString("event"));
    new Message(eventHeaders, payload).encode(out);
    out.flush();
  }
}
