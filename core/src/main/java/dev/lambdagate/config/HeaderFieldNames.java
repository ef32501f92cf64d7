package dev.lambdagate.config;

/** HTTP header names in configuration: RFC 9110 tokens, compared in lower case. */
final class HeaderFieldNames {

  private HeaderFieldNames() {}

  /**
   * {@code name} in lower case, or null when it is not a token (empty, a pseudo-header, spaces,
   * ...). ASCII only: String.toLowerCase would pull Unicode case tables into the module.
   */
  static String lowerCaseToken(String name) {
    if (name.isEmpty()) {
      return null;
    }
    char[] chars = name.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      char c = chars[i];
      if (c >= 'A' && c <= 'Z') {
        chars[i] = (char) (c + ('a' - 'A'));
      } else if (!((c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) {
        return null;
      }
    }
    return new String(chars);
  }
}
