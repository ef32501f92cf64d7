package dev.lambdagate.json;

/** A JSON string; its value is always well-formed UTF-16 (no unpaired surrogates). */
public final class JsonString extends JsonValue {

    private final String value;

    private JsonString(String value) {
        this.value = value;
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
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonString && value.equals(((JsonString) o).value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
