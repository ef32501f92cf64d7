package dev.lambdagate.controlplane.model;

import java.net.URI;

/**
 * Scheme, host and port of an AWS API endpoint ({@code https://lambda.us-east-1.amazonaws.com},
 * {@code http://127.0.0.1:9001}).
 */
public record Endpoint(boolean tls, String host, int port) {

  /** {@code https://host} on 443. */
  public static Endpoint https(String host) {
    return new Endpoint(true, host, 443);
  }

  /**
   * Parses an {@code http://} or {@code https://} URL with a host, an optional port and no path
   * other than {@code /}, no query, no fragment, no user information.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static Endpoint parse(String url) {
    boolean tls;
    if (url.regionMatches(true, 0, "https://", 0, 8)) {
      tls = true;
    } else if (url.regionMatches(true, 0, "http://", 0, 7)) {
      tls = false;
    } else {
      throw new IllegalArgumentException("must start with http:// or https://");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (Exception e) {
      throw new IllegalArgumentException("is not a valid URL");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("must not contain user information");
    }
    String path = uri.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/"))
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("must not have a path, query or fragment");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("must have a host");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = uri.getPort();
    if (port == 0 || port > 65535) {
      throw new IllegalArgumentException("has an invalid port");
    }
    return new Endpoint(
        tls, host.toLowerCase(java.util.Locale.ROOT), port < 0 ? (tls ? 443 : 80) : port);
  }

  /** The URL form, without a default port. */
  public String url() {
    return (tls ? "https://" : "http://") + authority();
  }

  /** Host (an IPv6 address in brackets), plus the port when it is not the scheme's default. */
  public String authority() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return port == (tls ? 443 : 80) ? h : h + ":" + port;
  }
}
