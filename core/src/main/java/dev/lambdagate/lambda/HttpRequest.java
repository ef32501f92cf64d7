package dev.lambdagate.lambda;

/**
 * A client's HTTP request as the filter sees it, in plain data.
 *
 * <p>{@code headers} holds the regular header fields in the order received; the filter puts the
 * request's authority there as {@code host}. HTTP/2 pseudo-headers (names starting with ':') do not
 * belong here; event builders skip any that slip in.
 */
public final class HttpRequest {

  private final String method;
  private final String path;
  private final HeaderList headers;
  private final RequestBody body;
  private final String sourceIp;
  private final String protocol;

  /**
   * @param method e.g. {@code POST}
   * @param path the request target with its query string, e.g. {@code /echo?x=1}
   * @param headers the regular headers; not copied
   * @param body the whole body, or null for none; not copied
   * @param sourceIp the client's address, or null when unknown
   * @param protocol e.g. {@code HTTP/1.1} or {@code HTTP/2}, or null for {@code HTTP/1.1}
   */
  public HttpRequest(
      String method,
      String path,
      HeaderList headers,
      byte[] body,
      String sourceIp,
      String protocol) {
    this(method, path, headers, body == null ? null : RequestBody.of(body), sourceIp, protocol);
  }

  /**
   * A request whose body is read piece by piece when the event is built (e.g. from the host's
   * buffer); {@code body} null for none.
   */
  public HttpRequest(
      String method,
      String path,
      HeaderList headers,
      RequestBody body,
      String sourceIp,
      String protocol) {
    if (method == null || path == null || headers == null) {
      throw new IllegalArgumentException("a request needs a method, a path and headers");
    }
    this.method = method;
    this.path = path;
    this.headers = headers;
    this.body = body == null ? RequestBody.EMPTY : body;
    this.sourceIp = sourceIp;
    this.protocol = protocol == null ? "HTTP/1.1" : protocol;
  }

  /** A request over HTTP/1.1. */
  public HttpRequest(String method, String path, HeaderList headers, byte[] body, String sourceIp) {
    this(method, path, headers, body, sourceIp, null);
  }

  public String method() {
    return method;
  }

  /** The path with its query string, as received. */
  public String path() {
    return path;
  }

  /** The path without the query string, still percent-encoded. */
  public String rawPath() {
    int q = path.indexOf('?');
    return q < 0 ? path : path.substring(0, q);
  }

  /** The query string without the '?', still percent-encoded; empty when there is none. */
  public String rawQuery() {
    int q = path.indexOf('?');
    return q < 0 ? "" : path.substring(q + 1);
  }

  public HeaderList headers() {
    return headers;
  }

  /** The body; empty, never null. */
  public RequestBody body() {
    return body;
  }

  /** The body's length in bytes. */
  public int bodyLength() {
    return body.length();
  }

  /** The client's address, or null when unknown. */
  public String sourceIp() {
    return sourceIp;
  }

  public String protocol() {
    return protocol;
  }
}
