package dev.lambdagate.sigv4;

import dev.lambdagate.json.Utf8;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Signs HTTP requests with AWS Signature Version 4 (header-based, {@code AWS4-HMAC-SHA256}) for one
 * service in one region.
 *
 * <p><b>Headers the signer owns.</b> The signer adds and signs {@code x-amz-date}, {@code
 * x-amz-security-token} (when the credentials carry a session token) and, when the request calls
 * for it, {@code x-amz-content-sha256} set to the payload hash it signs. Copies of these in the
 * caller's header list are ignored, as is any {@code authorization} header, which the signature
 * replaces; the caller sets {@link SigningResult#headersToSet()} on the request after signing.
 * Besides those, pseudo headers, {@link CanonicalRequest#ALWAYS_EXCLUDED} and the configured
 * excluded names are left unsigned; everything else in the list is signed. The caller passes {@code
 * host} explicitly (from {@code :authority} when the request has no {@code host}).
 *
 * <p><b>When {@code x-amz-content-sha256} is sent.</b> It is added (and signed) when any of these
 * holds; otherwise the request carries none, as AWS's SigV4 test suite expects:
 *
 * <ul>
 *   <li>the service is S3-like: S3 rejects a SigV4 request without it;
 *   <li>the payload hash is {@link PayloadHash#UNSIGNED_PAYLOAD}: a service learns that the body is
 *       not signed only from this header; without it, it hashes the body itself and the signature
 *       never matches;
 *   <li>the caller's list has one: whoever sent it meant the service to see it, and its value is
 *       replaced by the hash actually signed (a stale or forged value would make AWS reject the
 *       request, or vouch for a body that was not hashed).
 * </ul>
 *
 * <p><b>Thread safety.</b> Thread-safe. The configuration is immutable. The only mutable state is
 * the cache of the derived signing key, one immutable {@code SigningKey} held in a volatile field:
 * the key for the last (date stamp, secret key) signed with, region and service being fixed per
 * signer. Threads racing on a new day may each derive the key once; any of them may win. Each call
 * allocates its own SHA-256 state, so calls never share a digest.
 */
public final class SigV4Signer {
  /** The SigV4 algorithm name. */
  public static final String ALGORITHM = "AWS4-HMAC-SHA256";

  public static final String X_AMZ_DATE = "x-amz-date";
  public static final String X_AMZ_SECURITY_TOKEN = "x-amz-security-token";
  public static final String X_AMZ_CONTENT_SHA256 = "x-amz-content-sha256";
  public static final String AUTHORIZATION = "authorization";

  private final String service;
  private final String region;
  private final boolean s3Like;

  /** Lower case: the configured names, the always-excluded ones and the signer's own. */
  private final Set<String> excluded;

  private volatile SigningKey signingKey;

  /**
   * @param service signing name of the service ({@code lambda}, {@code execute-api}, {@code s3})
   * @param region signing region ({@code us-east-1})
   * @param excludedHeaders names of request headers not to sign, any case; may be empty
   * @param s3Like true for services that sign the path as sent: no normalisation, no second
   *     encoding, and always the {@code x-amz-content-sha256} header (S3 and its variants)
   */
  public SigV4Signer(
      String service, String region, Collection<String> excludedHeaders, boolean s3Like) {
    if (service == null || service.isEmpty()) {
      throw new IllegalArgumentException("service must not be empty");
    }
    if (region == null || region.isEmpty()) {
      throw new IllegalArgumentException("region must not be empty");
    }
    this.service = service;
    this.region = region;
    this.s3Like = s3Like;
    List<String> owned =
        new ArrayList<>(
            Arrays.asList(X_AMZ_DATE, X_AMZ_SECURITY_TOKEN, X_AMZ_CONTENT_SHA256, AUTHORIZATION));
    owned.addAll(CanonicalRequest.ALWAYS_EXCLUDED);
    this.excluded = CanonicalRequest.lowerCaseWith(excludedHeaders, owned);
  }

  public String service() {
    return service;
  }

  public String region() {
    return region;
  }

  public boolean s3Like() {
    return s3Like;
  }

  /**
   * Signs one request.
   *
   * @param method request method, as sent
   * @param pathAndQuery the request target as received ({@code :path}), e.g. {@code
   *     /foo/bar?b=2&a=1}, still percent-encoded
   * @param headers request headers in arrival order, {@code host} included; duplicates allowed. An
   *     {@code x-amz-content-sha256} among them asks for the header; its value is not used
   * @param payloadHash {@link PayloadHash#sha256Hex} of the body, {@link PayloadHash#EMPTY_SHA256}
   *     or {@link PayloadHash#UNSIGNED_PAYLOAD}
   * @param credentials the credentials to sign with
   * @param epochSeconds the signing time, seconds since 1970-01-01T00:00:00Z (AWS accepts 5 minutes
   *     of skew)
   * @throws IllegalArgumentException if there is no {@code host} header or the payload hash is
   *     malformed
   */
  public SigningResult sign(
      String method,
      String pathAndQuery,
      List<Header> headers,
      String payloadHash,
      Credentials credentials,
      long epochSeconds) {
    String amzDate = AmzDate.format(epochSeconds);
    String dateStamp = amzDate.substring(0, AmzDate.DATE_STAMP_LENGTH);

    Header dateHeader = new Header(X_AMZ_DATE, amzDate);
    Header contentHeader =
        s3Like || PayloadHash.UNSIGNED_PAYLOAD.equals(payloadHash) || hasPayloadHashHeader(headers)
            ? new Header(X_AMZ_CONTENT_SHA256, payloadHash)
            : null;
    Header tokenHeader =
        credentials.hasSessionToken()
            ? new Header(X_AMZ_SECURITY_TOKEN, credentials.sessionToken())
            : null;
    List<Header> added = new ArrayList<>(4);
    added.add(dateHeader);
    if (contentHeader != null) {
      added.add(contentHeader);
    }
    if (tokenHeader != null) {
      added.add(tokenHeader);
    }

    CanonicalRequest canonical =
        CanonicalRequest.build(method, pathAndQuery, headers, excluded, added, payloadHash, s3Like);

    SigningKey key = signingKey(dateStamp, credentials.secretAccessKey());
    Sha256 digest = new Sha256();
    byte[] canonicalBytes = Utf8.encode(canonical.text());
    digest.update(canonicalBytes, 0, canonicalBytes.length);
    byte[] canonicalHash = new byte[32];
    digest.doFinal(canonicalHash, 0);

    StringBuilder sts = new StringBuilder(ALGORITHM.length() + key.scope.length() + 96);
    sts.append(ALGORITHM).append('\n').append(amzDate).append('\n').append(key.scope).append('\n');
    Hex.appendTo(sts, canonicalHash);
    String stringToSign = sts.toString();

    String signature = Hex.encode(key.mac(digest, Utf8.encode(stringToSign)));

    String signedHeaders = canonical.signedHeaders();
    String authorization =
        new StringBuilder(
                ALGORITHM.length()
                    + credentials.accessKeyId().length()
                    + key.scope.length()
                    + signedHeaders.length()
                    + 120)
            .append(ALGORITHM)
            .append(" Credential=")
            .append(credentials.accessKeyId())
            .append('/')
            .append(key.scope)
            .append(", SignedHeaders=")
            .append(signedHeaders)
            .append(", Signature=")
            .append(signature)
            .toString();

    added.add(new Header(AUTHORIZATION, authorization));
    return new SigningResult(
        canonical.text(),
        stringToSign,
        signature,
        authorization,
        amzDate,
        signedHeaders,
        Collections.unmodifiableList(added));
  }

  /** Whether {@code headers} has an {@code x-amz-content-sha256}, in any case. */
  private static boolean hasPayloadHashHeader(List<Header> headers) {
    for (int i = 0, n = headers.size(); i < n; i++) {
      String name = headers.get(i).name();
      if (name.length() == X_AMZ_CONTENT_SHA256.length()
          && CanonicalRequest.lowerCaseAscii(name).equals(X_AMZ_CONTENT_SHA256)) {
        return true;
      }
    }
    return false;
  }

  /** The cached key if it is the one for this day and secret, else a freshly derived one. */
  private SigningKey signingKey(String dateStamp, String secretAccessKey) {
    SigningKey key = signingKey;
    if (key == null || !key.isFor(dateStamp, secretAccessKey)) {
      key =
          SigningKey.derive(
              dateStamp, region, service, secretAccessKey, key == null ? 1 : key.generation + 1);
      signingKey = key;
    }
    return key;
  }

  /** How many signing keys this signer has derived (approximate under concurrent use). */
  int keyDerivations() {
    SigningKey key = signingKey;
    return key == null ? 0 : key.generation;
  }

  @Override
  public String toString() {
    return "SigV4Signer[service=" + service + ", region=" + region + ", s3Like=" + s3Like + "]";
  }
}
