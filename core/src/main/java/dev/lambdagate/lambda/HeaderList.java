package dev.lambdagate.lambda;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * HTTP header fields in order, as name/value pairs; a name may repeat (pseudo headers such as
 * {@code :path} included, as proxy-wasm exchanges them). Lookups ignore ASCII case. Stored in one
 * flat array so that a request's headers cost a single allocation. The one header list of the
 * filter: the feature code builds and reads it, and the Wasm-facing {@code sdk} encodes it for the
 * host and decodes the host's maps into it.
 *
 * <p>Not thread-safe. Whoever builds a list hands it over and does not change it afterwards; only
 * the owner of a list read from the host edits it ({@link #set}, {@link #remove}).
 */
public final class HeaderList {

  /** name0, value0, name1, value1, ... */
  private String[] pairs;

  private int size;

  public HeaderList() {
    this(8);
  }

  /** An empty list with room for {@code capacity} headers. */
  public HeaderList(int capacity) {
    pairs = new String[(capacity < 1 ? 1 : capacity) * 2];
  }

  /** A list of the given names and values: {@code of("content-type", "text/plain", "x-a", "1")}. */
  public static HeaderList of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("expected name/value pairs");
    }
    HeaderList list = new HeaderList(namesAndValues.length / 2);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      list.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return list;
  }

  /** Appends a header. */
  public HeaderList add(String name, String value) {
    if (name == null || value == null) {
      throw new IllegalArgumentException("a header needs a name and a value");
    }
    if (size * 2 == pairs.length) {
      pairs = Arrays.copyOf(pairs, pairs.length * 2);
    }
    pairs[size * 2] = name;
    pairs[size * 2 + 1] = value;
    size++;
    return this;
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** The name of header {@code index}, as given. */
  public String name(int index) {
    checkIndex(index);
    return pairs[index * 2];
  }

  /** The value of header {@code index}. */
  public String value(int index) {
    checkIndex(index);
    return pairs[index * 2 + 1];
  }

  /** The value of the first header named {@code name} (any case), or null. */
  public String get(String name) {
    for (int i = 0; i < size; i++) {
      if (HeaderNames.equalsIgnoreCase(pairs[i * 2], name)) {
        return pairs[i * 2 + 1];
      }
    }
    return null;
  }

  /** Replaces every header named {@code name} (any case) with one, added at the end. */
  public void set(String name, String value) {
    remove(name);
    add(name, value);
  }

  /** Removes every header named {@code name} (any case); returns how many were removed. */
  public int remove(String name) {
    int kept = 0;
    for (int i = 0; i < size; i++) {
      if (!HeaderNames.equalsIgnoreCase(pairs[i * 2], name)) {
        pairs[kept * 2] = pairs[i * 2];
        pairs[kept * 2 + 1] = pairs[i * 2 + 1];
        kept++;
      }
    }
    int removed = size - kept;
    for (int i = kept * 2; i < size * 2; i++) {
      pairs[i] = null;
    }
    size = kept;
    return removed;
  }

  /** Whether a header named {@code name} (any case) is present. */
  public boolean contains(String name) {
    return get(name) != null;
  }

  /** The values of every header named {@code name} (any case), in order. */
  public List<String> getAll(String name) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      if (HeaderNames.equalsIgnoreCase(pairs[i * 2], name)) {
        values.add(pairs[i * 2 + 1]);
      }
    }
    return values;
  }

  private void checkIndex(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("header " + index + " of " + size);
    }
  }

  /** Lists are equal when they hold the same names and values in the same order. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof HeaderList)) {
      return false;
    }
    HeaderList other = (HeaderList) o;
    if (size != other.size) {
      return false;
    }
    for (int i = 0; i < size * 2; i++) {
      if (!pairs[i].equals(other.pairs[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = size;
    for (int i = 0; i < size * 2; i++) {
      h = h * 31 + pairs[i].hashCode();
    }
    return h;
  }

  /** {@code [name: value, name: value]}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(pairs[i * 2]).append(": ").append(pairs[i * 2 + 1]);
    }
    return sb.append(']').toString();
  }
}
