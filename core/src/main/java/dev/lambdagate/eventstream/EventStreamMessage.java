package dev.lambdagate.eventstream;

/**
 * One decoded event-stream message, as {@link EventStreamDecoder} hands it out: the string headers
 * that AWS services use to say what the message is, and the payload as a slice of the decoder's
 * buffer. The decoder reuses this object and its buffer for the next message, so a listener copies
 * what it keeps.
 */
public final class EventStreamMessage {
  String messageType;
  String eventType;
  String contentType;
  String exceptionType;
  String errorCode;
  String errorMessage;
  byte[] buffer;
  int payloadOffset;
  int payloadLength;

  void clear() {
    messageType = null;
    eventType = null;
    contentType = null;
    exceptionType = null;
    errorCode = null;
    errorMessage = null;
  }

  /** {@code :message-type}: {@code event}, {@code exception} or {@code error}; null if absent. */
  public String messageType() {
    return messageType;
  }

  /** {@code :event-type} of an event, e.g. {@code PayloadChunk}; null if absent. */
  public String eventType() {
    return eventType;
  }

  /** {@code :content-type}; null if absent. */
  public String contentType() {
    return contentType;
  }

  /** {@code :exception-type} of an exception message; null if absent. */
  public String exceptionType() {
    return exceptionType;
  }

  /** {@code :error-code} of an error message; null if absent. */
  public String errorCode() {
    return errorCode;
  }

  /** {@code :error-message} of an error message; null if absent. */
  public String errorMessage() {
    return errorMessage;
  }

  /** The array holding the payload (the decoder's; valid until the next message). */
  public byte[] payloadBuffer() {
    return buffer;
  }

  /** Where the payload starts in {@link #payloadBuffer()}. */
  public int payloadOffset() {
    return payloadOffset;
  }

  /** The payload's length in bytes. */
  public int payloadLength() {
    return payloadLength;
  }

  /** A copy of the payload. */
  public byte[] payload() {
    byte[] copy = new byte[payloadLength];
    System.arraycopy(buffer, payloadOffset, copy, 0, payloadLength);
    return copy;
  }
}
