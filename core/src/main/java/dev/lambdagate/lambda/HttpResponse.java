package dev.lambdagate.lambda;

import dev.lambdagate.json.Utf8;

/** A response for the client, in plain data. */
public final class HttpResponse {

  private static final byte[] NO_BODY = new byte[0];

  private final int status;
  private final HeaderList headers;
  private final byte[] body;
  private final String errorCode;
  private final String errorDetail;

  /**
   * @param headers not copied
   * @param body not copied; null for none
   */
  public HttpResponse(int status, HeaderList headers, byte[] body) {
    this(status, headers, body, null, null);
  }

  /**
   * An error reply of the filter's own (see {@link ErrorResponse}).
   *
   * @param errorCode the error's code ({@code payload_too_large}, ...), or null for a response that
   *     is not one of the filter's errors
   * @param errorDetail what went wrong, for the log only (never sent to the client)
   */
  HttpResponse(int status, HeaderList headers, byte[] body, String errorCode, String errorDetail) {
    this.status = status;
    this.headers = headers == null ? new HeaderList(0) : headers;
    this.body = body == null ? NO_BODY : body;
    this.errorCode = errorCode;
    this.errorDetail = errorDetail;
  }

  /** The code of an error reply made by the filter, or null. */
  public String errorCode() {
    return errorCode;
  }

  /** Why the filter made this error reply, for its log; null when it is no such reply. */
  public String errorDetail() {
    return errorDetail;
  }

  public int status() {
    return status;
  }

  public HeaderList headers() {
    return headers;
  }

  /** The body; empty, never null. */
  public byte[] body() {
    return body;
  }

  /** The body decoded as UTF-8 (malformed bytes become U+FFFD); meant for logs and tests. */
  public String bodyText() {
    return Utf8.decodeString(body, 0, body.length);
  }

  @Override
  public String toString() {
    return "HttpResponse{" + status + ", " + headers + ", " + body.length + " bytes}";
  }
}
