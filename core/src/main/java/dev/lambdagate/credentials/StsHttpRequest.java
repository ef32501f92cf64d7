package dev.lambdagate.credentials;

import dev.lambdagate.sigv4.Header;
import java.util.Collections;
import java.util.List;

/**
 * One STS call ready to send: the action (for messages), the request headers including {@code
 * :method}, {@code :path} and {@code :authority}, and the form body. Immutable. {@link #toString()}
 * shows neither the body (it holds the web identity token) nor headers.
 */
public final class StsHttpRequest {
  private final String action;
  private final List<Header> headers;
  private final byte[] body;

  StsHttpRequest(String action, List<Header> headers, byte[] body) {
    this.action = action;
    this.headers = Collections.unmodifiableList(headers);
    this.body = body;
  }

  /** {@code AssumeRoleWithWebIdentity}, {@code AssumeRole} or {@code GetSessionToken}. */
  public String action() {
    return action;
  }

  public List<Header> headers() {
    return headers;
  }

  /** The first value of a header (exact name), or null. */
  public String header(String name) {
    for (int i = 0; i < headers.size(); i++) {
      if (headers.get(i).name().equals(name)) {
        return headers.get(i).value();
      }
    }
    return null;
  }

  public byte[] body() {
    return body;
  }

  @Override
  public String toString() {
    return "StsHttpRequest[" + action + " to " + header(":authority") + "]";
  }
}
