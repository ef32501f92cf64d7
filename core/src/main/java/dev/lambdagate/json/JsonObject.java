package dev.lambdagate.json;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A JSON object whose members keep the order in which they appeared; names are unique.
 *
 * <p>Members are kept in two arrays in document order, with an index of them sorted by name for
 * lookups by binary search. There is no hash table: a document's author chooses its member names,
 * and with them their hash codes, so names that all share one hash would make every insertion into
 * a hash table (TeaVM's has no tree bins) a walk of all the names before it. Sorting costs {@code n
 * log n} comparisons whatever the names are.
 */
public final class JsonObject extends JsonValue {

  private final String[] names;
  private final JsonValue[] values;
  private final int size;

  /** Member indexes ordered by name (ties in document order). */
  private final int[] byName;

  /** The first member, in document order, whose name an earlier member has; -1 if none. */
  private final int firstRepeat;

  /**
   * Takes ownership of the arrays, whose first {@code size} elements are the members in document
   * order. Names may repeat: {@link #firstRepeat()} says where, for the parser to refuse the
   * document.
   */
  JsonObject(String[] names, JsonValue[] values, int size) {
    this.names = names;
    this.values = values;
    this.size = size;
    this.byName = NameOrder.of(names, size);
    int repeat = -1;
    for (int i = 1; i < byName.length; i++) {
      // Sorting is stable, so of two equal neighbours the second comes later in the document.
      if (names[byName[i]].equals(names[byName[i - 1]]) && (repeat < 0 || byName[i] < repeat)) {
        repeat = byName[i];
      }
    }
    this.firstRepeat = repeat;
  }

  /** A JSON object holding a copy of {@code members}, in the map's iteration order. */
  public static JsonObject copyOf(Map<String, ? extends JsonValue> members) {
    String[] names = new String[members.size()];
    JsonValue[] values = new JsonValue[members.size()];
    int n = 0;
    for (Map.Entry<String, ? extends JsonValue> e : members.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new IllegalArgumentException("JSON object members need a name and a value");
      }
      names[n] = e.getKey();
      values[n] = e.getValue();
      n++;
    }
    return new JsonObject(names, values, n);
  }

  /** The document-order index of the first member whose name repeats an earlier one, or -1. */
  int firstRepeat() {
    return firstRepeat;
  }

  @Override
  public JsonType type() {
    return JsonType.OBJECT;
  }

  /** The value of member {@code name}, or null when there is no such member. */
  public JsonValue get(String name) {
    int i = indexOf(name);
    return i < 0 ? null : values[i];
  }

  /** Whether a member named {@code name} exists (its value may be JSON null). */
  public boolean has(String name) {
    return indexOf(name) >= 0;
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** The name of member {@code i}, counted in document order from 0 (no copy, no view). */
  public String name(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("member " + i + " of " + size);
    }
    return names[i];
  }

  /** The value of member {@code i}, counted in document order from 0. */
  public JsonValue value(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("member " + i + " of " + size);
    }
    return values[i];
  }

  /** Member names in document order (read-only). */
  public Set<String> names() {
    return members().keySet();
  }

  /** Members in document order (read-only). */
  public Map<String, JsonValue> members() {
    return new MembersView();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JsonObject && members().equals(((JsonObject) o).members());
  }

  @Override
  public int hashCode() {
    return members().hashCode();
  }

  /** The document-order index of the first member named {@code name}, or -1. */
  private int indexOf(String name) {
    if (name == null) {
      return -1;
    }
    int low = 0;
    int high = byName.length - 1;
    int found = -1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int c = names[byName[mid]].compareTo(name);
      if (c < 0) {
        low = mid + 1;
      } else {
        if (c == 0) {
          found = byName[mid]; // keep looking left: the first of equal names
        }
        high = mid - 1;
      }
    }
    return found;
  }

  /** The members as a read-only map in document order, looked up by binary search. */
  private final class MembersView extends AbstractMap<String, JsonValue> {
    @Override
    public int size() {
      return size;
    }

    @Override
    public JsonValue get(Object key) {
      return key instanceof String ? JsonObject.this.get((String) key) : null;
    }

    @Override
    public boolean containsKey(Object key) {
      return key instanceof String && has((String) key);
    }

    @Override
    public Set<Map.Entry<String, JsonValue>> entrySet() {
      return new AbstractSet<Map.Entry<String, JsonValue>>() {
        @Override
        public int size() {
          return size;
        }

        @Override
        public Iterator<Map.Entry<String, JsonValue>> iterator() {
          return new Iterator<Map.Entry<String, JsonValue>>() {
            private int next;

            @Override
            public boolean hasNext() {
              return next < size;
            }

            @Override
            public Map.Entry<String, JsonValue> next() {
              if (next >= size) {
                throw new NoSuchElementException();
              }
              int i = next++;
              return new AbstractMap.SimpleImmutableEntry<>(names[i], values[i]);
            }
          };
        }
      };
    }
  }
}
