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
 * works in its own {@link SigningBuffers} (a fresh one unless the caller passes the one it keeps
 * for its thread), so calls never share a digest or buffer.
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
    return sign(
        method,
        pathAndQuery,
        headers,
        payloadHash,
        credentials,
        epochSeconds,
        new SigningBuffers(),
        true);
  }

  /**
   * Signs one request, as {@link #sign(String, String, List, String, Credentials, long)}, working
   * in {@code buffers}: a caller that keeps one {@link SigningBuffers} per thread signs without
   * building the canonical request or string to sign as strings.
   *
   * @param buffers working memory, used by one thread at a time
   * @param withTexts whether the result carries the canonical request and string to sign (for
   *     diagnostics); when false, {@link SigningResult#canonicalRequest()} and {@link
   *     SigningResult#stringToSign()} are null
   */
  public SigningResult sign(
      String method,
      String pathAndQuery,
      List<Header> headers,
      String payloadHash,
      Credentials credentials,
      long epochSeconds,
      SigningBuffers buffers,
      boolean withTexts) {
    int n = headers.size();
    String[] names = new String[n];
    String[] values = new String[n];
    for (int i = 0; i < n; i++) {
      names[i] = headers.get(i).name();
      values[i] = headers.get(i).value();
    }
    return sign(
        method,
        pathAndQuery,
        names,
        values,
        n,
        payloadHash,
        credentials,
        epochSeconds,
        buffers,
        withTexts);
  }

  /**
   * Signs one request whose headers are the first {@code headerCount} entries of {@code
   * headerNames} and {@code headerValues} (pseudo headers allowed: never signed), as {@link
   * #sign(String, String, List, String, Credentials, long, SigningBuffers, boolean)}: the form a
   * caller with its own header storage uses to sign without building {@link Header} objects.
   *
   * @throws IllegalArgumentException as the list form, and for an empty name or a null value
   */
  public SigningResult sign(
      String method,
      String pathAndQuery,
      String[] headerNames,
      String[] headerValues,
      int headerCount,
      String payloadHash,
      Credentials credentials,
      long epochSeconds,
      SigningBuffers buffers,
      boolean withTexts) {
    String amzDate = buffers.amzDate(epochSeconds);
    String dateStamp = buffers.dateStamp(epochSeconds);

    boolean sendContentHash =
        s3Like
            || PayloadHash.UNSIGNED_PAYLOAD.equals(payloadHash)
            || hasPayloadHashHeader(headerNames, headerCount);
    String[] addedNames = buffers.addedNames;
    String[] addedValues = buffers.addedValues;
    int added = 0;
    addedNames[added] = X_AMZ_DATE;
    addedValues[added++] = amzDate;
    if (sendContentHash) {
      addedNames[added] = X_AMZ_CONTENT_SHA256;
      addedValues[added++] = payloadHash;
    }
    if (credentials.hasSessionToken()) {
      addedNames[added] = X_AMZ_SECURITY_TOKEN;
      addedValues[added++] = credentials.sessionToken();
    }

    CanonicalRequestWriter canonical = buffers.canonical;
    try {
      canonical.write(
          method,
          pathAndQuery,
          headerNames,
          headerValues,
          headerCount,
          excluded,
          addedNames,
          addedValues,
          added,
          payloadHash,
          s3Like);
    } finally {
      for (int i = 0; i < added; i++) {
        addedValues[i] = null; // keep no token alive in the buffers
      }
    }

    SigningKey key = signingKey(dateStamp, credentials.secretAccessKey());
    Sha256 digest = buffers.digest;
    digest.reset();
    digest.update(canonical.bytes, 0, canonical.length);
    digest.doFinal(buffers.canonicalHash, 0);

    // AWS4-HMAC-SHA256 \n amzDate \n scope \n hex(hash(canonical request))
    int stsLength = ALGORITHM.length() + 1 + AmzDate.LENGTH + 1 + key.scopeBytes.length + 1 + 64;
    if (buffers.stringToSign.length < stsLength) {
      buffers.stringToSign = new byte[stsLength];
    }
    byte[] sts = buffers.stringToSign;
    int p = writeAscii(ALGORITHM, sts, 0);
    sts[p++] = '\n';
    p = writeAscii(amzDate, sts, p);
    sts[p++] = '\n';
    System.arraycopy(key.scopeBytes, 0, sts, p, key.scopeBytes.length);
    p += key.scopeBytes.length;
    sts[p++] = '\n';
    p = Hex.writeTo(buffers.canonicalHash, sts, p);

    key.macInto(digest, sts, 0, p, buffers.innerHash, buffers.mac);

    // AWS4-HMAC-SHA256 Credential=<key id>/<scope>, SignedHeaders=<names>, Signature=<hex>
    String accessKeyId = credentials.accessKeyId();
    int authLength =
        ALGORITHM.length()
            + CREDENTIAL.length()
            + accessKeyId.length()
            + 1
            + key.scope.length()
            + SIGNED_HEADERS.length()
            + canonical.signedLength
            + SIGNATURE.length()
            + 64;
    if (buffers.authorization.length < authLength) {
      buffers.authorization = new char[authLength];
    }
    char[] auth = buffers.authorization;
    int a = copyChars(ALGORITHM, auth, 0);
    a = copyChars(CREDENTIAL, auth, a);
    a = copyChars(accessKeyId, auth, a);
    auth[a++] = '/';
    a = copyChars(key.scope, auth, a);
    a = copyChars(SIGNED_HEADERS, auth, a);
    int signedHeadersStart = a;
    byte[] signedBytes = canonical.signedHeaders;
    boolean ascii = true;
    for (int i = 0; i < canonical.signedLength; i++) {
      ascii &= signedBytes[i] >= 0;
      auth[a++] = (char) (signedBytes[i] & 0xff);
    }
    if (!ascii) { // header names are tokens, so ASCII; anything else is decoded properly
      String names = Utf8.decodeString(signedBytes, 0, canonical.signedLength);
      if (auth.length < signedHeadersStart + 3 * names.length() + SIGNATURE.length() + 64) {
        auth = java.util.Arrays.copyOf(auth, auth.length + 3 * names.length());
        buffers.authorization = auth;
      }
      a = copyChars(names, auth, signedHeadersStart);
    }
    int signedHeadersEnd = a;
    a = copyChars(SIGNATURE, auth, a);
    int signatureStart = a;
    a = Hex.writeTo(buffers.mac, auth, a);
    String authorization = new String(auth, 0, a);

    List<Header> toSet = new ArrayList<>(added + 1);
    toSet.add(new Header(X_AMZ_DATE, amzDate));
    if (sendContentHash) {
      toSet.add(new Header(X_AMZ_CONTENT_SHA256, payloadHash));
    }
    if (credentials.hasSessionToken()) {
      toSet.add(new Header(X_AMZ_SECURITY_TOKEN, credentials.sessionToken()));
    }
    toSet.add(new Header(AUTHORIZATION, authorization));
    String canonicalText =
        withTexts ? Utf8.decodeString(canonical.bytes, 0, canonical.length) : null;
    if (credentials.hasSessionToken()) {
      // The canonical request carries the session token: the kept buffer must not hold it on.
      Arrays.fill(canonical.bytes, 0, canonical.length, (byte) 0);
    }
    return new SigningResult(
        canonicalText,
        withTexts ? Utf8.decodeString(sts, 0, p) : null,
        authorization,
        signedHeadersStart,
        signedHeadersEnd,
        signatureStart,
        amzDate,
        Collections.unmodifiableList(toSet));
  }

  private static final String CREDENTIAL = " Credential=";
  private static final String SIGNED_HEADERS = ", SignedHeaders=";
  private static final String SIGNATURE = ", Signature=";

  /** Writes {@code text}, which is ASCII, into {@code out} from {@code p}. */
  private static int writeAscii(String text, byte[] out, int p) {
    for (int i = 0, n = text.length(); i < n; i++) {
      out[p++] = (byte) text.charAt(i);
    }
    return p;
  }

  private static int copyChars(String text, char[] out, int p) {
    int n = text.length();
    text.getChars(0, n, out, p);
    return p + n;
  }

  /** Whether {@code headers} has an {@code x-amz-content-sha256}, in any case. */
  private static boolean hasPayloadHashHeader(String[] names, int count) {
    for (int i = 0; i < count; i++) {
      String name = names[i];
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
