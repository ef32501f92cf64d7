package dev.lambdagate.config;

/**
 * Where an AWS API is reached: scheme, host and port of a URL such as {@code
 * https://lambda.us-east-1.amazonaws.com} or {@code http://localhost:9001}.
 */
public final class Endpoint {

  private final boolean tls;
  private final String host;
  private final int port;
  private final String authority;

  private Endpoint(boolean tls, String host, int port) {
    this.tls = tls;
    this.host = host;
    this.port = port;
    // A default port is left out, as AWS SDKs do, so the Host header matches what AWS expects.
    this.authority = port == (tls ? 443 : 80) ? host : host + ":" + port;
  }

  /** {@code https://host} on port 443. */
  public static Endpoint https(String host) {
    return new Endpoint(true, host, 443);
  }

  /**
   * Parses an {@code http://} or {@code https://} URL that has a host, optionally a port, and no
   * path other than {@code /}, no query, no fragment and no user information.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static Endpoint parse(String url) {
    boolean tls;
    int rest;
    if (url.regionMatches(true, 0, "https://", 0, 8)) {
      tls = true;
      rest = 8;
    } else if (url.regionMatches(true, 0, "http://", 0, 7)) {
      tls = false;
      rest = 7;
    } else {
      throw new IllegalArgumentException("must start with http:// or https://");
    }
    int authorityEnd = rest;
    while (authorityEnd < url.length() && "/?#".indexOf(url.charAt(authorityEnd)) < 0) {
      authorityEnd++;
    }
    String tail = url.substring(authorityEnd);
    if (!tail.isEmpty() && !tail.equals("/")) {
      throw new IllegalArgumentException("must not have a path, query or fragment");
    }
    return parseAuthority(url.substring(rest, authorityEnd), tls);
  }

  /**
   * Parses {@code host[:port]} as the authority of a URL with the given scheme.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  static Endpoint parseAuthority(String authority, boolean tls) {
    if (authority.indexOf('@') >= 0) {
      throw new IllegalArgumentException("must not contain user information");
    }
    String host;
    String portText = null;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("has an unterminated IPv6 address");
      }
      host = authority.substring(0, close + 1);
      for (int i = 1; i < close; i++) {
        char c = authority.charAt(i);
        if (!(isHexDigit(c) || c == ':' || c == '.')) {
          throw new IllegalArgumentException("has an invalid IPv6 address");
        }
      }
      if (close + 1 < authority.length()) {
        if (authority.charAt(close + 1) != ':') {
          throw new IllegalArgumentException("has an invalid host");
        }
        portText = authority.substring(close + 2);
      }
    } else {
      int colon = authority.indexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
      if (colon >= 0) {
        portText = authority.substring(colon + 1);
      }
      if (host.isEmpty()) {
        throw new IllegalArgumentException("must have a host");
      }
      if (host.length() > 253) {
        throw new IllegalArgumentException("has a host longer than 253 characters");
      }
      for (int i = 0; i < host.length(); i++) {
        char c = host.charAt(i);
        if (!(isLetterOrDigit(c) || c == '-' || c == '.' || c == '_')) {
          throw new IllegalArgumentException(
              "has an invalid host: only letters, digits, '-', '.' and '_' are allowed");
        }
      }
    }
    int port = tls ? 443 : 80;
    if (portText != null) {
      port = parsePort(portText);
    }
    return new Endpoint(tls, toLowerCase(host), port);
  }

  private static int parsePort(String text) {
    if (text.isEmpty() || text.length() > 5) {
      throw new IllegalArgumentException("has an invalid port");
    }
    int port = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("has an invalid port");
      }
      port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("has a port outside 1-65535");
    }
    return port;
  }

  private static boolean isLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static boolean isHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static String toLowerCase(String s) {
    char[] chars = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        if (chars == null) {
          chars = s.toCharArray();
        }
        chars[i] = (char) (c + ('a' - 'A'));
      }
    }
    return chars == null ? s : new String(chars);
  }

  /** Whether the endpoint is reached over TLS ({@code https}). */
  public boolean isTls() {
    return tls;
  }

  /** The host name or address in lower case; an IPv6 address keeps its brackets. */
  public String host() {
    return host;
  }

  /**
   * The host as a socket address takes it: {@link #host()} with an IPv6 address's brackets removed
   * (Envoy's {@code socket_address.address}, a JDK {@code InetSocketAddress}).
   */
  public String address() {
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  /** The port, explicit or the scheme's default. */
  public int port() {
    return port;
  }

  /**
   * {@code host} or {@code host:port} (the port only when not the scheme's default): the Host
   * header.
   */
  public String authority() {
    return authority;
  }

  /** The endpoint as a URL without a path, e.g. {@code https://lambda.us-east-1.amazonaws.com}. */
  public String url() {
    return (tls ? "https://" : "http://") + authority;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Endpoint)) {
      return false;
    }
    Endpoint other = (Endpoint) o;
    return tls == other.tls && port == other.port && host.equals(other.host);
  }

  @Override
  public int hashCode() {
    return (host.hashCode() * 31 + port) * 2 + (tls ? 1 : 0);
  }

  @Override
  public String toString() {
    return url();
  }
}
