package dev.lambdagate.eventstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * The decoder against frames written by the AWS SDK's own event-stream encoder ({@code
 * software.amazon.eventstream}), fed whole, byte by byte and in random pieces.
 */
class EventStreamDecoderTest {

  record Decoded(String messageType, String eventType, String contentType, byte[] payload) {}

  static byte[] event(String eventType, byte[] payload) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":event-type", HeaderValue.fromString(eventType));
    headers.put(":content-type", HeaderValue.fromString("application/octet-stream"));
    headers.put(":message-type", HeaderValue.fromString("event"));
    return encode(new Message(headers, payload));
  }

  static byte[] encode(Message message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    message.encode(out);
    return out.toByteArray();
  }

  static List<Decoded> decodeInPieces(byte[] stream, int[] pieces) throws EventStreamException {
    EventStreamDecoder decoder = new EventStreamDecoder(1024 * 1024);
    List<Decoded> out = new ArrayList<>();
    int at = 0;
    int p = 0;
    while (at < stream.length) {
      int n = Math.min(pieces[p++ % pieces.length], stream.length - at);
      decoder.feed(
          stream,
          at,
          n,
          m -> out.add(new Decoded(m.messageType(), m.eventType(), m.contentType(), m.payload())));
      at += n;
    }
    assertThat(decoder.atMessageBoundary()).isTrue();
    return out;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  @Test
  void decodesSdkEncodedEventsFedInAnyPieces() throws Exception {
    byte[] first = "hello ".getBytes(StandardCharsets.UTF_8);
    byte[] second = new byte[70_000];
    new Random(7).nextBytes(second);
    byte[] complete = "{}".getBytes(StandardCharsets.UTF_8);
    byte[] stream =
        concat(
            event("PayloadChunk", first),
            event("PayloadChunk", second),
            event("PayloadChunk", new byte[0]),
            event("InvokeComplete", complete));

    for (int[] pieces :
        new int[][] {{stream.length}, {1}, {3, 11, 4096}, {12}, {13, 1, 17}, {65536}}) {
      List<Decoded> decoded = decodeInPieces(stream, pieces);
      assertThat(decoded)
          .extracting(Decoded::eventType)
          .containsExactly("PayloadChunk", "PayloadChunk", "PayloadChunk", "InvokeComplete");
      assertThat(decoded).extracting(Decoded::messageType).containsOnly("event");
      assertThat(decoded.get(0).contentType()).isEqualTo("application/octet-stream");
      assertThat(decoded.get(0).payload()).isEqualTo(first);
      assertThat(decoded.get(1).payload()).isEqualTo(second);
      assertThat(decoded.get(2).payload()).isEmpty();
      assertThat(decoded.get(3).payload()).isEqualTo(complete);
    }
  }

  @Test
  void skipsHeaderTypesItDoesNotKeep() throws Exception {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put("flag", HeaderValue.fromBoolean(true));
    headers.put("off", HeaderValue.fromBoolean(false));
    // No byte or short headers: eventstream 1.0.1 writes their type but not their value (its
    // encoder's bug; AWS services do not send them). The decoder's handling of them is below.
    headers.put("i", HeaderValue.fromInteger(3));
    headers.put("l", HeaderValue.fromLong(4));
    headers.put("bytes", HeaderValue.fromByteArray(new byte[] {1, 2, 3}));
    headers.put("t", HeaderValue.fromTimestamp(Instant.ofEpochSecond(1_700_000_000)));
    headers.put("u", HeaderValue.fromUuid(UUID.randomUUID()));
    headers.put(":message-type", HeaderValue.fromString("exception"));
    headers.put(":exception-type", HeaderValue.fromString("ServiceException"));
    byte[] payload = "{\"message\":\"boom\"}".getBytes(StandardCharsets.UTF_8);
    List<Decoded> decoded = new ArrayList<>();
    List<String> exceptionTypes = new ArrayList<>();
    new EventStreamDecoder(4096)
        .feed(
            encode(new Message(headers, payload)),
            0,
            encode(new Message(headers, payload)).length,
            m -> {
              decoded.add(
                  new Decoded(m.messageType(), m.eventType(), m.contentType(), m.payload()));
              exceptionTypes.add(m.exceptionType());
            });
    assertThat(decoded).hasSize(1);
    assertThat(decoded.get(0).messageType()).isEqualTo("exception");
    assertThat(exceptionTypes).containsExactly("ServiceException");
    assertThat(decoded.get(0).payload()).isEqualTo(payload);
  }

  @Test
  void byteAndShortHeadersAreSkippedByTheirSpecifiedWidth() throws Exception {
    // Written by hand: name "b", type 2, one byte; name "s", type 3, two bytes; then a string.
    byte[] headers = {
      1, 'b', 2, 9, 1, 's', 3, 0, 7, 11, ':', 'e', 'v', 'e', 'n', 't', '-', 't', 'y', 'p', 'e', 7,
      0, 1, 'X'
    };
    byte[] payload = {42};
    int total = 12 + headers.length + payload.length + 4;
    byte[] frame = new byte[total];
    java.nio.ByteBuffer.wrap(frame).putInt(total).putInt(headers.length);
    java.nio.ByteBuffer.wrap(frame, 8, 4).putInt(Crc32.of(frame, 0, 8));
    System.arraycopy(headers, 0, frame, 12, headers.length);
    System.arraycopy(payload, 0, frame, 12 + headers.length, payload.length);
    java.nio.ByteBuffer.wrap(frame, total - 4, 4).putInt(Crc32.of(frame, 0, total - 4));
    List<String> eventTypes = new ArrayList<>();
    new EventStreamDecoder(4096).feed(frame, 0, total, m -> eventTypes.add(m.eventType()));
    assertThat(eventTypes).containsExactly("X");
  }

  @Test
  void everySingleBitFlipIsRefused() {
    byte[] frame = event("PayloadChunk", "abc".getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < frame.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] corrupt = frame.clone();
        corrupt[i] ^= (byte) (1 << bit);
        int at = i;
        assertThatThrownBy(
                () -> new EventStreamDecoder(4096).feed(corrupt, 0, corrupt.length, m -> {}))
            .as("bit %d of byte %d", bit, at)
            .isInstanceOf(EventStreamException.class);
      }
    }
  }

  @Test
  void aMessageOverTheLimitIsRefusedFromItsPrelude() {
    byte[] frame = event("PayloadChunk", new byte[5000]);
    EventStreamDecoder decoder = new EventStreamDecoder(4096);
    // Only the 12-byte prelude is needed to refuse it: nothing of the payload is buffered.
    assertThatThrownBy(() -> decoder.feed(frame, 0, 12, m -> {}))
        .isInstanceOf(EventStreamException.class)
        .hasMessageContaining("message length 5")
        .hasMessageContaining("4096");
    assertThatThrownBy(() -> decoder.feed(frame, 12, 1, m -> {}))
        .hasMessageContaining("already failed");
  }

  @Test
  void aTruncatedStreamIsNotAtABoundary() throws Exception {
    byte[] frame = event("PayloadChunk", "abc".getBytes(StandardCharsets.UTF_8));
    EventStreamDecoder decoder = new EventStreamDecoder(4096);
    decoder.feed(frame, 0, frame.length - 1, m -> {});
    assertThat(decoder.atMessageBoundary()).isFalse();
  }

  @Test
  void memoryStaysAtOneMessage() throws Exception {
    // 20 MiB of 64 KiB chunks through a decoder limited to 128 KiB per message.
    byte[] chunk = new byte[64 * 1024];
    byte[] frame = event("PayloadChunk", chunk);
    EventStreamDecoder decoder = new EventStreamDecoder(128 * 1024);
    long[] total = {0};
    for (int i = 0; i < 320; i++) {
      decoder.feed(frame, 0, frame.length, m -> total[0] += m.payloadLength());
    }
    assertThat(total[0]).isEqualTo(20L * 1024 * 1024);
  }
}
