package dev.lambdagate.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/** InvokeWithResponseStream answers, framed by the AWS SDK's encoder, read as they arrive. */
class ResponseStreamReaderTest {

  /** What reached the client, in order. */
  static final class Recorder implements ResponseStreamReader.Sink {
    final List<String> events = new ArrayList<>();
    int status;
    HeaderList headers;
    final ByteArrayOutputStream body = new ByteArrayOutputStream();

    @Override
    public void head(int status, HeaderList headers) {
      this.status = status;
      this.headers = headers;
      events.add("head");
    }

    @Override
    public void body(byte[] data, int offset, int length) {
      body.write(data, offset, length);
      events.add("body:" + new String(data, offset, length, StandardCharsets.ISO_8859_1));
    }
  }

  static byte[] frame(String messageType, String typeHeader, String type, byte[] payload) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":message-type", HeaderValue.fromString(messageType));
    headers.put(typeHeader, HeaderValue.fromString(type));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new Message(headers, payload).encode(out);
    return out.toByteArray();
  }

  static byte[] chunk(String text) {
    return chunk(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  static byte[] chunk(byte[] bytes) {
    return frame("event", ":event-type", "PayloadChunk", bytes);
  }

  static byte[] complete(String json) {
    return frame("event", ":event-type", "InvokeComplete", json.getBytes(StandardCharsets.UTF_8));
  }

  static void feed(ResponseStreamReader reader, byte[] frame) throws Exception {
    reader.feed(frame, 0, frame.length);
  }

  @Test
  void plainStreamSendsLambdasContentTypeThenEachChunkAsItArrives() throws Exception {
    Recorder client = new Recorder();
    ResponseStreamReader reader = new ResponseStreamReader("text/plain", client);
    assertThat(client.events).isEmpty();
    feed(reader, chunk("first "));
    // The first chunk reached the client before the function finished.
    assertThat(client.events).containsExactly("head", "body:first ");
    assertThat(client.status).isEqualTo(200);
    assertThat(client.headers.get("content-type")).isEqualTo("text/plain");
    feed(reader, chunk("second"));
    feed(reader, complete("{}"));
    reader.finish();
    assertThat(client.body.toString(StandardCharsets.ISO_8859_1)).isEqualTo("first second");
  }

  @Test
  void httpIntegrationPreludeSetsStatusHeadersAndCookiesEvenWhenSplitAcrossChunks()
      throws Exception {
    Recorder client = new Recorder();
    ResponseStreamReader reader =
        new ResponseStreamReader(ResponseStreamReader.HTTP_INTEGRATION_CONTENT_TYPE, client);
    String prelude =
        "{\"statusCode\":201,\"headers\":{\"Content-Type\":\"text/html\",\"X-Id\":\"7\"},"
            + "\"cookies\":[\"a=1\",\"b=2\"]}";
    feed(reader, chunk(prelude + "\0\0\0"));
    assertThat(client.events).isEmpty();
    feed(reader, chunk("\0\0\0\0\0<html>"));
    assertThat(client.events).containsExactly("head", "body:<html>");
    assertThat(client.status).isEqualTo(201);
    assertThat(client.headers.get("content-type")).isEqualTo("text/html");
    assertThat(client.headers.get("x-id")).isEqualTo("7");
    assertThat(client.headers.getAll("set-cookie")).containsExactly("a=1", "b=2");
    feed(reader, chunk("</html>"));
    feed(reader, complete("{}"));
    reader.finish();
    assertThat(client.body.toString(StandardCharsets.ISO_8859_1)).isEqualTo("<html></html>");
  }

  @Test
  void preludeWithoutContentTypeGivesBytes() throws Exception {
    Recorder client = new Recorder();
    ResponseStreamReader reader =
        new ResponseStreamReader(ResponseStreamReader.HTTP_INTEGRATION_CONTENT_TYPE, client);
    feed(reader, chunk("{\"statusCode\":200}\0\0\0\0\0\0\0\0"));
    feed(reader, complete("{}"));
    reader.finish();
    assertThat(client.headers.get("content-type")).isEqualTo("application/octet-stream");
    assertThat(client.body.size()).isZero();
  }

  @Test
  void functionErrorAfterTheHeadIsAFailureTheFilterMustResetOn() throws Exception {
    Recorder client = new Recorder();
    ResponseStreamReader reader = new ResponseStreamReader("text/plain", client);
    feed(reader, chunk("partial"));
    assertThatThrownBy(
            () -> feed(reader, complete("{\"ErrorCode\":\"Unhandled\",\"ErrorDetails\":\"boom\"}")))
        .isInstanceOfSatisfying(
            ResponseStreamReader.StreamFailure.class,
            f -> {
              assertThat(f.code()).isEqualTo("function_error");
              assertThat(f.getMessage()).contains("Unhandled");
            });
    assertThat(reader.headSent()).isTrue();
  }

  @Test
  void functionErrorBeforeAnyPayloadLeavesTheHeadUnsent() throws Exception {
    Recorder client = new Recorder();
    ResponseStreamReader reader = new ResponseStreamReader("text/plain", client);
    assertThatThrownBy(() -> feed(reader, complete("{\"ErrorCode\":\"Unhandled\"}")))
        .isInstanceOf(ResponseStreamReader.StreamFailure.class);
    assertThat(reader.headSent()).isFalse();
    assertThat(client.events).isEmpty();
  }

  @Test
  void exceptionMessageEndsTheStream() {
    Recorder client = new Recorder();
    ResponseStreamReader reader = new ResponseStreamReader("text/plain", client);
    byte[] exception = frame("exception", ":exception-type", "ServiceException", "{}".getBytes());
    assertThatThrownBy(() -> feed(reader, exception))
        .isInstanceOfSatisfying(
            ResponseStreamReader.StreamFailure.class,
            f -> {
              assertThat(f.code()).isEqualTo("lambda_stream_error");
              assertThat(f.getMessage()).contains("ServiceException");
            });
  }

  @Test
  void endingBeforeInvokeCompleteIsAFailure() throws Exception {
    Recorder client = new Recorder();
    ResponseStreamReader reader = new ResponseStreamReader("text/plain", client);
    feed(reader, chunk("partial"));
    assertThatThrownBy(reader::finish)
        .isInstanceOfSatisfying(
            ResponseStreamReader.StreamFailure.class,
            f -> assertThat(f.getMessage()).contains("before InvokeComplete"));
    byte[] half = chunk("x");
    ResponseStreamReader cut = new ResponseStreamReader("text/plain", new Recorder());
    cut.feed(half, 0, half.length - 3);
    assertThatThrownBy(cut::finish).hasMessageContaining("inside an event");
  }

  @Test
  void corruptFrameIsAFailure() {
    byte[] frame = chunk("abc");
    frame[frame.length - 1] ^= 1;
    ResponseStreamReader reader = new ResponseStreamReader("text/plain", new Recorder());
    assertThatThrownBy(() -> feed(reader, frame))
        .isInstanceOfSatisfying(
            ResponseStreamReader.StreamFailure.class,
            f -> {
              assertThat(f.code()).isEqualTo("lambda_response_invalid");
              assertThat(f.getMessage()).contains("checksum");
            });
  }

  @Test
  void preludeWithoutEndIsRefusedAtItsLimit() throws Exception {
    ResponseStreamReader reader =
        new ResponseStreamReader(
            ResponseStreamReader.HTTP_INTEGRATION_CONTENT_TYPE, new Recorder());
    byte[] big = new byte[ResponseStreamReader.MAX_PRELUDE_BYTES + 1];
    java.util.Arrays.fill(big, (byte) ' ');
    assertThatThrownBy(() -> feed(reader, chunk(big)))
        .hasMessageContaining("longer than " + ResponseStreamReader.MAX_PRELUDE_BYTES);
  }
}
