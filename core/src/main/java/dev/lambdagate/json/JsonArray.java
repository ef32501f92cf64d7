package dev.lambdagate.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A JSON array. */
public final class JsonArray extends JsonValue {

  private final List<JsonValue> items;

  /** Takes ownership of {@code items}: the caller must not modify the list afterwards. */
  JsonArray(ArrayList<JsonValue> items) {
    this.items = items;
  }

  /** A JSON array holding a copy of {@code items}. */
  public static JsonArray copyOf(List<? extends JsonValue> items) {
    ArrayList<JsonValue> copy = new ArrayList<>(items.size());
    for (JsonValue item : items) {
      if (item == null) {
        throw new IllegalArgumentException("JSON array items must not be null; use JsonNull");
      }
      copy.add(item);
    }
    return new JsonArray(copy);
  }

  @Override
  public JsonType type() {
    return JsonType.ARRAY;
  }

  public int size() {
    return items.size();
  }

  public JsonValue get(int index) {
    return items.get(index);
  }

  /** The items in order (read-only). */
  public List<JsonValue> items() {
    return Collections.unmodifiableList(items);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JsonArray && items.equals(((JsonArray) o).items);
  }

  @Override
  public int hashCode() {
    return items.hashCode();
  }
}
