package dev.lambdagate.json;

/** JSON {@code true} or {@code false}. */
public final class JsonBoolean extends JsonValue {

  public static final JsonBoolean TRUE = new JsonBoolean(true);
  public static final JsonBoolean FALSE = new JsonBoolean(false);

  private final boolean value;

  private JsonBoolean(boolean value) {
    this.value = value;
  }

  public static JsonBoolean of(boolean value) {
    return value ? TRUE : FALSE;
  }

  @Override
  public JsonType type() {
    return JsonType.BOOLEAN;
  }

  public boolean value() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JsonBoolean && value == ((JsonBoolean) o).value;
  }

  @Override
  public int hashCode() {
    return value ? 1231 : 1237;
  }
}
