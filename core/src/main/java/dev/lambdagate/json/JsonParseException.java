package dev.lambdagate.json;

/** JSON text that is not valid RFC 8259 JSON; {@link #offset()} says where the problem is. */
public final class JsonParseException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String reason;
  private final int offset;

  public JsonParseException(String reason, int offset) {
    super(reason + " at offset " + offset);
    this.reason = reason;
    this.offset = offset;
  }

  /** What is wrong, without the offset, e.g. {@code "leading zeros are not allowed"}. */
  public String reason() {
    return reason;
  }

  /** Byte offset of the problem from the start of the UTF-8 JSON text. */
  public int offset() {
    return offset;
  }
}
