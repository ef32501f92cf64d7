package dev.lambdagate.json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A JSON object whose members keep the order in which they appeared; names are unique. */
public final class JsonObject extends JsonValue {

  private final Map<String, JsonValue> members;

  /** Takes ownership of {@code members}: the caller must not modify the map afterwards. */
  JsonObject(LinkedHashMap<String, JsonValue> members) {
    this.members = members;
  }

  /** A JSON object holding a copy of {@code members}, in the map's iteration order. */
  public static JsonObject copyOf(Map<String, ? extends JsonValue> members) {
    LinkedHashMap<String, JsonValue> copy = new LinkedHashMap<>();
    for (Map.Entry<String, ? extends JsonValue> e : members.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new IllegalArgumentException("JSON object members need a name and a value");
      }
      copy.put(e.getKey(), e.getValue());
    }
    return new JsonObject(copy);
  }

  @Override
  public JsonType type() {
    return JsonType.OBJECT;
  }

  /** The value of member {@code name}, or null when there is no such member. */
  public JsonValue get(String name) {
    return members.get(name);
  }

  /** Whether a member named {@code name} exists (its value may be JSON null). */
  public boolean has(String name) {
    return members.containsKey(name);
  }

  public int size() {
    return members.size();
  }

  public boolean isEmpty() {
    return members.isEmpty();
  }

  /** Member names in document order (read-only). */
  public Set<String> names() {
    return Collections.unmodifiableSet(members.keySet());
  }

  /** Members in document order (read-only). */
  public Map<String, JsonValue> members() {
    return Collections.unmodifiableMap(members);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JsonObject && members.equals(((JsonObject) o).members);
  }

  @Override
  public int hashCode() {
    return members.hashCode();
  }
}
