package dev.lambdagate.controlplane.provision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What lambdagate added to an object it shares with others (labels, annotations, optional fields),
 * recorded in one of its annotations as a comma-separated list, so that exactly those go away when
 * the GatewayParameters stops asking for them, and nothing another tool or the API server added is
 * touched. Stateless; thread-safe.
 */
final class ManagedKeys {
  private ManagedKeys() {}

  /** The entries of a recorded list ({@code a,b}); empty for null or blank. */
  static List<String> parse(String csv) {
    if (csv == null || csv.isBlank()) {
      return List.of();
    }
    return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** The list to record, or null (the annotation is removed) when there is nothing. */
  static String format(Collection<String> keys) {
    return keys.isEmpty() ? null : String.join(",", keys);
  }

  /**
   * Writes into merge-patch map {@code target}: {@code extra}, then {@code ours} (which wins on a
   * shared key), and null for each key of {@code recorded} that neither holds any longer.
   *
   * @return the list to record: {@code extra}'s keys that {@code ours} does not override
   */
  static String merge(
      ObjectNode target, Map<String, String> extra, Map<String, String> ours, String recorded) {
    for (String key : parse(recorded)) {
      if (!extra.containsKey(key) && !ours.containsKey(key)) {
        target.putNull(key);
      }
    }
    extra.forEach(target::put);
    ours.forEach(target::put);
    return format(extra.keySet().stream().filter(k -> !ours.containsKey(k)).sorted().toList());
  }

  /** Puts {@code value} under {@code key}, or null (removal, in a merge patch) when it is null. */
  static void putOrNull(ObjectNode target, String key, String value) {
    if (value == null) {
      target.putNull(key);
    } else {
      target.put(key, value);
    }
  }

  /**
   * Sets {@code value} at JSON pointer {@code pointer} ({@code /spec/template/spec/affinity}; array
   * elements by index), creating missing objects on the way.
   */
  static void setAt(ObjectNode root, String pointer, JsonNode value) {
    String[] parts = pointer.substring(1).split("/");
    JsonNode node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode next =
          node.isArray() ? node.get(Integer.parseInt(parts[i])) : ((ObjectNode) node).get(parts[i]);
      if (next == null || next.isNull()) {
        next = JsonNodeFactory.instance.objectNode();
        ((ObjectNode) node).set(parts[i], next);
      }
      node = next;
    }
    ((ObjectNode) node).set(parts[parts.length - 1], value == null ? NullNode.instance : value);
  }

  /** Removes what is at {@code pointer}, if its parent is an object. */
  static void removeAt(JsonNode root, String pointer) {
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = slash <= 0 ? root : root.at(pointer.substring(0, slash));
    if (parent instanceof ObjectNode o) {
      o.remove(pointer.substring(slash + 1));
    }
  }

  /** Removes null members everywhere (a created object carries no removals). */
  static void stripNulls(JsonNode node) {
    if (node instanceof ObjectNode o) {
      o.properties().removeIf(e -> e.getValue().isNull());
      o.forEach(ManagedKeys::stripNulls);
    } else if (node != null && node.isArray()) {
      node.forEach(ManagedKeys::stripNulls);
    }
  }
}
