package dev.lambdagate.json;

/**
 * A JSON number, kept as its source text so that no floating-point parsing or printing is ever
 * needed; integers that fit in a {@code long} also carry their value.
 */
public final class JsonNumber extends JsonValue {

  private final String text;
  private final boolean isLong;
  private final long longValue;

  JsonNumber(String text, boolean isLong, long longValue) {
    this.text = text;
    this.isLong = isLong;
    this.longValue = longValue;
  }

  public static JsonNumber of(long value) {
    return new JsonNumber(Long.toString(value), true, value);
  }

  @Override
  public JsonType type() {
    return JsonType.NUMBER;
  }

  /** The number exactly as written in the JSON text, e.g. {@code "-1.5e3"}. */
  public String text() {
    return text;
  }

  /**
   * Whether the number is written as an integer (no fraction, no exponent) that fits in a {@code
   * long}. {@code 200.0} and {@code 2e2} are not: they are kept as text only.
   */
  public boolean isLong() {
    return isLong;
  }

  /**
   * The value of an integer number; throws {@link IllegalStateException} unless {@link #isLong()}.
   */
  public long longValue() {
    if (!isLong) {
      throw new IllegalStateException("not an integer that fits in a long: " + text);
    }
    return longValue;
  }

  /** Whether the number is an integer that fits in an {@code int}. */
  public boolean isInt() {
    return isLong && longValue >= Integer.MIN_VALUE && longValue <= Integer.MAX_VALUE;
  }

  /** Numbers are equal when their source text is equal ({@code 1.0} and {@code 1} differ). */
  @Override
  public boolean equals(Object o) {
    return o instanceof JsonNumber && text.equals(((JsonNumber) o).text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
