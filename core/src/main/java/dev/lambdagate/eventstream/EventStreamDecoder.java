package dev.lambdagate.eventstream;

/**
 * Decodes the AWS event-stream framing ({@code application/vnd.amazon.eventstream}) incrementally:
 * bytes are fed as they arrive, in pieces of any size, and each complete message goes to the
 * listener as soon as its last byte is in.
 *
 * <p>A message is: total length (4 bytes, big-endian), headers length (4), CRC-32 of those eight
 * bytes (4), the headers, the payload, and the CRC-32 of everything before it (4). Both checksums
 * are checked, the lengths must be consistent, and a message may not exceed {@link
 * #maxMessageBytes}: the decoder holds at most one message, in one buffer it reuses, so its memory
 * is flat however long the stream runs. Any violation is an {@link EventStreamException}, after
 * which the decoder refuses further input (a byte stream cannot be resynchronised).
 *
 * <p>Not thread-safe: one decoder per stream.
 */
public final class EventStreamDecoder {
  /** Prelude (12 bytes) plus the message CRC (4): the smallest possible message. */
  static final int MIN_MESSAGE_BYTES = 16;

  /** The event-stream specification's limits: 16 MiB per message, 128 KiB of headers. */
  public static final int SPEC_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  static final int MAX_HEADERS_BYTES = 128 * 1024;

  /** Receives each decoded message. */
  public interface Listener {
    /**
     * One complete, checked message. The message object and its payload buffer are reused for the
     * next message.
     */
    void onMessage(EventStreamMessage message) throws EventStreamException;
  }

  private final int maxMessageBytes;
  private final EventStreamMessage message = new EventStreamMessage();
  private byte[] buffer = new byte[256];
  private int filled;
  private int expected = -1;
  private boolean failed;

  /**
   * @param maxMessageBytes the largest message accepted (at most {@link #SPEC_MAX_MESSAGE_BYTES})
   */
  public EventStreamDecoder(int maxMessageBytes) {
    if (maxMessageBytes < MIN_MESSAGE_BYTES || maxMessageBytes > SPEC_MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException("maxMessageBytes out of range: " + maxMessageBytes);
    }
    this.maxMessageBytes = maxMessageBytes;
  }

  /**
   * Feeds the next {@code length} bytes of the stream; every message they complete goes to {@code
   * listener} before this returns.
   *
   * @throws EventStreamException when the bytes are not a valid event stream (or the decoder failed
   *     before)
   */
  public void feed(byte[] data, int offset, int length, Listener listener)
      throws EventStreamException {
    if (failed) {
      throw new EventStreamException("the event stream already failed");
    }
    int i = offset;
    int end = offset + length;
    while (i < end) {
      int want = (expected < 0 ? 12 : expected) - filled;
      int take = want < end - i ? want : end - i;
      ensureCapacity(filled + take);
      System.arraycopy(data, i, buffer, filled, take);
      filled += take;
      i += take;
      if (filled < (expected < 0 ? 12 : expected)) {
        return;
      }
      if (expected < 0) {
        expected = checkPrelude();
      } else {
        deliver(listener);
        filled = 0;
        expected = -1;
      }
    }
  }

  /** Whether the bytes fed so far end exactly at a message boundary. */
  public boolean atMessageBoundary() {
    return filled == 0 && expected < 0 && !failed;
  }

  private int checkPrelude() throws EventStreamException {
    int total = readInt(buffer, 0);
    int headers = readInt(buffer, 4);
    if (Crc32.of(buffer, 0, 8) != readInt(buffer, 8)) {
      throw fail("prelude checksum mismatch");
    }
    if (total < MIN_MESSAGE_BYTES || total > maxMessageBytes) {
      throw fail(
          "message length "
              + Integer.toUnsignedString(total)
              + " is outside "
              + MIN_MESSAGE_BYTES
              + ".."
              + maxMessageBytes);
    }
    if (headers < 0 || headers > MAX_HEADERS_BYTES || headers > total - MIN_MESSAGE_BYTES) {
      throw fail("headers length " + Integer.toUnsignedString(headers) + " does not fit");
    }
    return total;
  }

  private void deliver(Listener listener) throws EventStreamException {
    int total = expected;
    if (Crc32.of(buffer, 0, total - 4) != readInt(buffer, total - 4)) {
      throw fail("message checksum mismatch");
    }
    int headersEnd = 12 + readInt(buffer, 4);
    message.clear();
    readHeaders(12, headersEnd);
    message.buffer = buffer;
    message.payloadOffset = headersEnd;
    message.payloadLength = total - 4 - headersEnd;
    listener.onMessage(message);
  }

  private void readHeaders(int at, int end) throws EventStreamException {
    while (at < end) {
      int nameLength = buffer[at++] & 0xff;
      if (nameLength == 0 || at + nameLength + 1 > end) {
        throw fail("malformed header name");
      }
      int nameStart = at;
      at += nameLength;
      int type = buffer[at++];
      int valueLength;
      switch (type) {
        case 0, 1 -> valueLength = 0; // true, false
        case 2 -> valueLength = 1; // byte
        case 3 -> valueLength = 2; // short
        case 4 -> valueLength = 4; // int
        case 5, 8 -> valueLength = 8; // long, timestamp
        case 9 -> valueLength = 16; // uuid
        case 6, 7 -> { // bytes, string: 2-byte length first
          if (at + 2 > end) {
            throw fail("malformed header value");
          }
          valueLength = ((buffer[at] & 0xff) << 8) | (buffer[at + 1] & 0xff);
          at += 2;
        }
        default -> throw fail("unknown header value type " + type);
      }
      if (at + valueLength > end) {
        throw fail("header value runs past the headers");
      }
      if (type == 7) {
        store(nameStart, nameLength, at, valueLength);
      }
      at += valueLength;
    }
  }

  /** Keeps the string headers AWS uses to describe a message; others are skipped. */
  private void store(int nameStart, int nameLength, int valueStart, int valueLength) {
    if (nameLength < 2 || buffer[nameStart] != ':') {
      return;
    }
    if (nameIs(nameStart, nameLength, ":message-type")) {
      message.messageType = ascii(valueStart, valueLength);
    } else if (nameIs(nameStart, nameLength, ":event-type")) {
      message.eventType = ascii(valueStart, valueLength);
    } else if (nameIs(nameStart, nameLength, ":content-type")) {
      message.contentType = ascii(valueStart, valueLength);
    } else if (nameIs(nameStart, nameLength, ":exception-type")) {
      message.exceptionType = ascii(valueStart, valueLength);
    } else if (nameIs(nameStart, nameLength, ":error-code")) {
      message.errorCode = ascii(valueStart, valueLength);
    } else if (nameIs(nameStart, nameLength, ":error-message")) {
      message.errorMessage = ascii(valueStart, valueLength);
    }
  }

  private boolean nameIs(int start, int length, String name) {
    if (length != name.length()) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (buffer[start + i] != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Header values here are ASCII tokens; anything else is replaced, never decoded as UTF-8. */
  private String ascii(int start, int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      int b = buffer[start + i] & 0xff;
      chars[i] = b < 0x80 ? (char) b : '?';
    }
    return new String(chars);
  }

  private void ensureCapacity(int needed) {
    if (needed > buffer.length) {
      int size = buffer.length;
      while (size < needed) {
        size *= 2;
      }
      byte[] bigger = new byte[size < maxMessageBytes ? size : maxMessageBytes];
      System.arraycopy(buffer, 0, bigger, 0, filled);
      buffer = bigger;
    }
  }

  private EventStreamException fail(String reason) {
    failed = true;
    return new EventStreamException("invalid event stream: " + reason);
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24)
        | ((b[at + 1] & 0xff) << 16)
        | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }
}
