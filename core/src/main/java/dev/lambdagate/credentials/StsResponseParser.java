package dev.lambdagate.credentials;

import dev.lambdagate.json.Utf8;
import dev.lambdagate.sigv4.Credentials;

/**
 * Reads STS's XML answers to {@code AssumeRoleWithWebIdentity}, {@code AssumeRole} and {@code
 * GetSessionToken}: {@code <*Response><*Result><Credentials>} with AccessKeyId, SecretAccessKey,
 * SessionToken and Expiration (children in any order), or {@code
 * <ErrorResponse><Error><Code>/<Message>} (a bare {@code <Error>} root is accepted too). Stateless.
 */
public final class StsResponseParser {
  private StsResponseParser() {}

  /**
   * @param httpStatus the response's HTTP status
   * @param body the response body
   * @return the credentials, or the error STS reported
   * @throws IllegalArgumentException when the body is neither (not XML, a success without
   *     credentials, an unparseable expiration, ...), saying what is wrong; never quoting a secret
   */
  public static StsResponse parse(int httpStatus, byte[] body) {
    String text = Utf8.decodeString(body, 0, body.length);
    XmlElement root;
    try {
      root = XmlElement.parse(text);
    } catch (IllegalArgumentException e) {
      if (httpStatus < 200 || httpStatus > 299) {
        // An error page from something in between (a proxy, a load balancer): say what it was.
        return StsResponse.error("HTTP" + httpStatus, snippet(text));
      }
      throw new IllegalArgumentException("STS response is " + e.getMessage());
    }
    XmlElement error = root.name().equals("Error") ? root : root.child("Error");
    if (error != null) {
      return StsResponse.error(error.childText("Code"), error.childText("Message"));
    }
    if (httpStatus < 200 || httpStatus > 299) {
      return StsResponse.error("HTTP" + httpStatus, "<" + root.name() + "> without an <Error>");
    }
    XmlElement result = null;
    if (root.name().endsWith("Response")) {
      String action = root.name().substring(0, root.name().length() - "Response".length());
      result = root.child(action + "Result");
    }
    if (result == null) {
      throw new IllegalArgumentException(
          "STS response <" + root.name() + "> has neither a Result nor an Error element");
    }
    XmlElement credentials = result.child("Credentials");
    if (credentials == null) {
      throw new IllegalArgumentException("STS response has no <Credentials>");
    }
    String accessKeyId = required(credentials, "AccessKeyId");
    String secret = required(credentials, "SecretAccessKey");
    String token = required(credentials, "SessionToken");
    String expiration = required(credentials, "Expiration");
    long expirationMillis;
    try {
      expirationMillis = IsoInstant.parseMillis(expiration);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "STS response has an invalid <Expiration>: " + e.getMessage());
    }
    return StsResponse.success(
        new ExpiringCredentials(new Credentials(accessKeyId, secret, token), expirationMillis));
  }

  private static String required(XmlElement credentials, String name) {
    String value = credentials.childText(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("STS response has no <" + name + "> in <Credentials>");
    }
    return value;
  }

  private static String snippet(String text) {
    String trimmed = text.trim();
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < trimmed.length() && out.length() < 120; i++) {
      char c = trimmed.charAt(i);
      out.append(c < 0x20 ? ' ' : c);
    }
    return out.toString();
  }
}
