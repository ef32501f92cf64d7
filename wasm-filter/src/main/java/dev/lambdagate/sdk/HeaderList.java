package dev.lambdagate.sdk;

import java.util.ArrayList;
import java.util.List;

/**
 * An ordered list of header name/value pairs, as proxy-wasm exchanges them (pseudo headers such
 * as {@code :path} included). Names are compared ignoring ASCII case; Envoy already hands them
 * over in lower case. Not thread-safe.
 */
public final class HeaderList {
  private final ArrayList<String> names;
  private final ArrayList<String> values;

  public HeaderList() {
    this(16);
  }

  public HeaderList(int expected) {
    names = new ArrayList<>(expected);
    values = new ArrayList<>(expected);
  }

  public int size() {
    return names.size();
  }

  public String name(int i) {
    return names.get(i);
  }

  public String value(int i) {
    return values.get(i);
  }

  public void add(String name, String value) {
    names.add(name);
    values.add(value);
  }

  /** The first value of {@code name}, or null. */
  public String get(String name) {
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase(name)) {
        return values.get(i);
      }
    }
    return null;
  }

  /** Replaces every value of {@code name} with one value (added at the end if absent). */
  public void set(String name, String value) {
    remove(name);
    add(name, value);
  }

  /** Removes every header called {@code name}; returns how many were removed. */
  public int remove(String name) {
    int removed = 0;
    for (int i = names.size() - 1; i >= 0; i--) {
      if (names.get(i).equalsIgnoreCase(name)) {
        names.remove(i);
        values.remove(i);
        removed++;
      }
    }
    return removed;
  }

  /** The pairs as a list of two-element arrays, for code that wants plain data. */
  public List<String[]> pairs() {
    List<String[]> pairs = new ArrayList<>(names.size());
    for (int i = 0; i < names.size(); i++) {
      pairs.add(new String[] {names.get(i), values.get(i)});
    }
    return pairs;
  }
}
