package dev.lambdagate.lambda;

/**
 * Groups repeated request headers by name (ignoring case) the way events need them, scanning the
 * list instead of building maps: a request has few headers, and this allocates nothing unless
 * values must be joined.
 */
final class HeaderGroups {

  private HeaderGroups() {}

  /**
   * Whether header {@code i} should appear in an event: not a pseudo-header, and the first header
   * with its name.
   */
  static boolean startsGroup(HeaderList headers, int i) {
    String name = headers.name(i);
    if (name.startsWith(":")) {
      return false;
    }
    for (int j = 0; j < i; j++) {
      if (HeaderNames.equalsIgnoreCase(headers.name(j), name)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The values of every header named like header {@code i} (the first of them), joined with ','.
   */
  static String joinedValues(HeaderList headers, int i) {
    String name = headers.name(i);
    StringBuilder sb = null;
    for (int j = i + 1; j < headers.size(); j++) {
      if (HeaderNames.equalsIgnoreCase(headers.name(j), name)) {
        if (sb == null) {
          sb = new StringBuilder(headers.value(i));
        }
        sb.append(',').append(headers.value(j));
      }
    }
    return sb == null ? headers.value(i) : sb.toString();
  }

  /** The value of the last header named like header {@code i}. */
  static String lastValue(HeaderList headers, int i) {
    String name = headers.name(i);
    String value = headers.value(i);
    for (int j = i + 1; j < headers.size(); j++) {
      if (HeaderNames.equalsIgnoreCase(headers.name(j), name)) {
        value = headers.value(j);
      }
    }
    return value;
  }
}
