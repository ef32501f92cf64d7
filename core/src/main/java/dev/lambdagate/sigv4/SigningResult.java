package dev.lambdagate.sigv4;

import java.util.List;

/**
 * What {@link SigV4Signer#sign} produced for one request: the headers to put on it, and the
 * intermediate texts (canonical request, string to sign) for diagnostics and tests. Immutable,
 * hence thread-safe.
 *
 * <p>{@link #toString()} shows neither the authorization value nor the session token.
 */
public final class SigningResult {
  private final String canonicalRequest;
  private final String stringToSign;
  private final String authorization;

  /** Where the signed header names and the signature sit in {@link #authorization}. */
  private final int signedHeadersStart;

  private final int signedHeadersEnd;
  private final int signatureStart;

  private final String amzDate;
  private final List<Header> headersToSet;

  SigningResult(
      String canonicalRequest,
      String stringToSign,
      String authorization,
      int signedHeadersStart,
      int signedHeadersEnd,
      int signatureStart,
      String amzDate,
      List<Header> headersToSet) {
    this.canonicalRequest = canonicalRequest;
    this.stringToSign = stringToSign;
    this.authorization = authorization;
    this.signedHeadersStart = signedHeadersStart;
    this.signedHeadersEnd = signedHeadersEnd;
    this.signatureStart = signatureStart;
    this.amzDate = amzDate;
    this.headersToSet = headersToSet;
  }

  /** The canonical request text that was hashed; null if the signer was asked not to keep it. */
  public String canonicalRequest() {
    return canonicalRequest;
  }

  /**
   * {@code AWS4-HMAC-SHA256\n<amzDate>\n<scope>\n<hex sha256 of the canonical request>}; null if
   * the signer was asked not to keep it.
   */
  public String stringToSign() {
    return stringToSign;
  }

  /** The signature, 64 lower-case hex digits. */
  public String signature() {
    return authorization.substring(signatureStart);
  }

  /**
   * The {@code Authorization} header value: {@code AWS4-HMAC-SHA256 Credential=<key id>/<scope>,
   * SignedHeaders=<names>, Signature=<signature>}.
   */
  public String authorization() {
    return authorization;
  }

  /** The signing time, {@code yyyyMMdd'T'HHmmss'Z'}; also the value of {@code x-amz-date}. */
  public String amzDate() {
    return amzDate;
  }

  /** The signed header names, lower case, sorted, joined with {@code ;}. */
  public String signedHeaders() {
    return authorization.substring(signedHeadersStart, signedHeadersEnd);
  }

  /**
   * Every header the caller must set on the request, each replacing any header of the same name:
   * {@code x-amz-date}, {@code x-amz-content-sha256} (when sent: see {@link SigV4Signer}), {@code
   * x-amz-security-token} (credentials with a session token) and {@code authorization}, in that
   * order. Names are lower case. Unmodifiable.
   */
  public List<Header> headersToSet() {
    return headersToSet;
  }

  @Override
  public String toString() {
    return "SigningResult[amzDate=" + amzDate + ", signedHeaders=" + signedHeaders() + "]";
  }
}
