package dev.lambdagate.json;

/**
 * An immutable JSON value: one of {@link JsonObject}, {@link JsonArray}, {@link JsonString}, {@link
 * JsonNumber}, {@link JsonBoolean} or {@link JsonNull}.
 *
 * <p>The hierarchy is closed (the constructor is package-private) so that code can rely on {@link
 * #type()} to tell which subclass it holds.
 */
public abstract class JsonValue {

  JsonValue() {}

  /** Which of the six JSON kinds this value is. */
  public abstract JsonType type();

  /** The lower-case name of this value's kind ({@code "object"}, {@code "number"}, ...). */
  public final String typeName() {
    return type().jsonName();
  }

  /** This value as compact JSON text. */
  @Override
  public String toString() {
    return new JsonWriter().value(this).toString();
  }
}
