package dev.lambdagate.lambda;

/**
 * ASCII-only handling of HTTP header names and values (no locale, no regular expressions, no
 * Unicode case tables in the Wasm module). Stateless, hence thread-safe.
 */
public final class HeaderNames {

  private HeaderNames() {}

  public static boolean equalsIgnoreCase(String a, String b) {
    int length = a.length();
    if (length != b.length()) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y && toLower(x) != toLower(y)) {
        return false;
      }
    }
    return true;
  }

  static boolean startsWithIgnoreCase(String s, String lowerCasePrefix) {
    int length = lowerCasePrefix.length();
    if (s.length() < length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (toLower(s.charAt(i)) != lowerCasePrefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** {@code s} with ASCII upper-case letters lowered; the same instance when nothing changes. */
  static String toLowerCase(String s) {
    int length = s.length();
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        char[] chars = s.toCharArray();
        for (int j = i; j < length; j++) {
          chars[j] = toLower(chars[j]);
        }
        return new String(chars);
      }
    }
    return s;
  }

  static char toLower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }

  /** Whether {@code name} is an RFC 9110 token, the only valid form of a header name. */
  static boolean isToken(String name) {
    int length = name.length();
    if (length == 0) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code value} can be a header value: no CR, LF or NUL, which would let a value start a
   * new header line.
   */
  static boolean isSafeValue(String value) {
    int length = value.length();
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code name} is a hop-by-hop header (RFC 9110 section 7.6.1 and the usual proxy
   * extras): it describes one connection and must not be forwarded.
   */
  static boolean isHopByHop(String name) {
    switch (toLowerCase(name)) {
      case "connection":
      case "keep-alive":
      case "proxy-connection":
      case "transfer-encoding":
      case "te":
      case "trailer":
      case "upgrade":
      case "proxy-authorization":
      case "proxy-authenticate":
        return true;
      default:
        return false;
    }
  }
}
