package dev.lambdagate.json;

/**
 * Thrown by {@link JsonParser#parseMembers(byte[], int, int, String[], int[])} when the value of a
 * member it was asked to build is longer, as JSON text, than the limit it was given for it: the
 * value is checked but not built, so its size costs no memory.
 */
public final class JsonMemberTooLongException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String name;
  private final int limit;

  JsonMemberTooLongException(String name, int limit) {
    super("the value of " + JsonWriter.quote(name) + " is longer than " + limit + " bytes");
    this.name = name;
    this.limit = limit;
  }

  /** The member's name. */
  public String name() {
    return name;
  }

  /** The limit its value passed, in bytes of JSON text. */
  public int limit() {
    return limit;
  }
}
