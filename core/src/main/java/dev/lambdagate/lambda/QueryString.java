package dev.lambdagate.lambda;

import dev.lambdagate.json.NameOrder;
import dev.lambdagate.json.Utf8;
import java.util.Arrays;

/**
 * The parameters of a query string, percent-decoded, in order; a name may repeat.
 *
 * <p>{@code a=1&b&a=2} gives (a, 1), (b, ""), (a, 2). Empty segments ({@code &&}) are skipped.
 * {@code %XX} escapes are decoded as UTF-8 (malformed sequences become U+FFFD) and a malformed
 * escape is kept as written. {@code +} stays {@code +}: it means a space only in HTML form
 * encoding, and API Gateway leaves it alone too.
 */
final class QueryString {

  private String[] names = new String[4];
  private String[] values = new String[4];
  private int size;

  /** Per parameter, whether it is the first of its name; null until {@link #link}. */
  private boolean[] firstOfName;

  /** Per parameter, the index of the next one of its name, or -1; null until {@link #link}. */
  private int[] nextOfName;

  private QueryString() {}

  static QueryString parse(String rawQuery) {
    QueryString q = new QueryString();
    int length = rawQuery.length();
    int start = 0;
    for (int i = 0; i <= length; i++) {
      if (i == length || rawQuery.charAt(i) == '&') {
        if (i > start) {
          int eq = indexOf(rawQuery, '=', start, i);
          if (eq < 0) {
            q.add(decode(rawQuery, start, i), "");
          } else {
            q.add(decode(rawQuery, start, eq), decode(rawQuery, eq + 1, i));
          }
        }
        start = i + 1;
      }
    }
    return q;
  }

  private void add(String name, String value) {
    if (size == names.length) {
      names = Arrays.copyOf(names, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    names[size] = name;
    values[size] = value;
    size++;
  }

  int size() {
    return size;
  }

  String name(int i) {
    return names[i];
  }

  String value(int i) {
    return values[i];
  }

  /** Whether parameter {@code i} is the first one with its name. */
  boolean isFirstOfName(int i) {
    link();
    return firstOfName[i];
  }

  /** The index of the next parameter named like parameter {@code i}, or -1. */
  int nextOfName(int i) {
    link();
    return nextOfName[i];
  }

  /** The value of the last parameter named like parameter {@code i}. */
  String lastValueOfName(int i) {
    link();
    int last = i;
    while (nextOfName[last] >= 0) {
      last = nextOfName[last];
    }
    return values[last];
  }

  /**
   * The values of every parameter named like parameter {@code i} (which must be the first), joined
   * with ','.
   */
  String joinedValuesOfName(int i) {
    link();
    if (nextOfName[i] < 0) {
      return values[i];
    }
    StringBuilder sb = new StringBuilder(values[i]);
    for (int j = nextOfName[i]; j >= 0; j = nextOfName[j]) {
      sb.append(',').append(values[j]);
    }
    return sb.toString();
  }

  /**
   * Links each parameter to the next of the same name, once. The parameters are sorted by name
   * (then position), so a query of n parameters costs n log n comparisons, whatever its names: a
   * client picks them, so neither pairwise comparison (quadratic) nor hashing (whose collisions a
   * client can also pick) would bound it.
   */
  private void link() {
    if (nextOfName != null) {
      return;
    }
    int[] order = NameOrder.of(names, size);
    int[] next = new int[size];
    boolean[] first = new boolean[size];
    for (int k = 0; k < size; k++) {
      int i = order[k];
      first[i] = k == 0 || !names[order[k - 1]].equals(names[i]);
      next[i] = k + 1 < size && names[order[k + 1]].equals(names[i]) ? order[k + 1] : -1;
    }
    firstOfName = first;
    nextOfName = next;
  }

  /**
   * The first {@code c} in {@code s} from {@code start} up to {@code end}, or -1. Bounded, unlike
   * {@link String#indexOf(int, int)}: searching on to the end of the query for every parameter made
   * a query of many bare names ({@code a&a&a...}) quadratic.
   */
  private static int indexOf(String s, char c, int start, int end) {
    for (int k = start; k < end; k++) {
      if (s.charAt(k) == c) {
        return k;
      }
    }
    return -1;
  }

  static String decode(String s, int start, int end) {
    int percent = indexOf(s, '%', start, end);
    if (percent < 0) {
      return s.substring(start, end);
    }
    byte[] bytes = Utf8.encode(s.substring(start, end));
    byte[] out = new byte[bytes.length];
    int n = 0;
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) >= 0 && hex(bytes[i + 2]) >= 0) {
        out[n++] = (byte) (hex(bytes[i + 1]) << 4 | hex(bytes[i + 2]));
        i += 2;
      } else {
        out[n++] = b;
      }
    }
    return Utf8.decodeString(out, 0, n);
  }

  private static int hex(byte b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    if (b >= 'a' && b <= 'f') {
      return b - 'a' + 10;
    }
    if (b >= 'A' && b <= 'F') {
      return b - 'A' + 10;
    }
    return -1;
  }
}
