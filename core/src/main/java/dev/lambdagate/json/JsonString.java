package dev.lambdagate.json;

/** A JSON string; its value is always well-formed UTF-16 (no unpaired surrogates). */
public final class JsonString extends JsonValue {

  /** The value; for a string parsed from a large text, decoded from {@link #utf8} on first use. */
  private String value;

  /** The value as UTF-8, when the string was parsed into bytes; else null. */
  private final byte[] utf8;

  private JsonString(String value) {
    this.value = value;
    this.utf8 = null;
  }

  private JsonString(byte[] utf8) {
    this.utf8 = utf8;
  }

  /**
   * A string whose value is the well-formed UTF-8 {@code utf8} (not copied): how the parser keeps a
   * large string (a function result's body, say) without a UTF-16 copy.
   */
  static JsonString ofUtf8(byte[] utf8) {
    return new JsonString(utf8);
  }

  public static JsonString of(String value) {
    if (value == null) {
      throw new IllegalArgumentException("a JSON string needs a value; use JsonNull");
    }
    return new JsonString(value);
  }

  @Override
  public JsonType type() {
    return JsonType.STRING;
  }

  public String value() {
    if (value == null) {
      value = Utf8.decodeString(utf8, 0, utf8.length);
    }
    return value;
  }

  /**
   * The value as UTF-8. For a string the parser kept as bytes this is that array itself, not a
   * copy: callers must not change it.
   */
  public byte[] utf8() {
    return utf8 != null ? utf8 : Utf8.encode(value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JsonString && value().equals(((JsonString) o).value());
  }

  @Override
  public int hashCode() {
    return value().hashCode();
  }
}
