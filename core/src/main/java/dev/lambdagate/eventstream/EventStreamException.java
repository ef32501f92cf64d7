package dev.lambdagate.eventstream;

/**
 * The bytes are not a valid AWS event stream: a checksum does not match, a length is impossible, a
 * header is malformed or a message is larger than the decoder accepts. The stream cannot be
 * resynchronised after this: the caller ends it.
 */
public final class EventStreamException extends Exception {
  private static final long serialVersionUID = 1L;

  public EventStreamException(String message) {
    super(message);
  }
}
