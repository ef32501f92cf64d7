package dev.lambdagate.sigv4;

/**
 * The working memory of {@link SigV4Signer#sign(String, String, java.util.List, String,
 * Credentials, long, SigningBuffers, boolean)}: canonical request, string to sign and digests as
 * reusable byte arrays, and the timestamp of the last second signed in. A caller that signs many
 * requests keeps one and passes it every time, so signing allocates (almost) nothing per request;
 * the arrays grow to the largest request seen and stay.
 *
 * <p>Not thread-safe: one per thread (the filter keeps one per Wasm VM). Holds no secret beyond the
 * call that uses it: the digest and HMAC scratch are overwritten by the next signature.
 */
public final class SigningBuffers {
  final CanonicalRequestWriter canonical = new CanonicalRequestWriter();
  final Sha256 digest = new Sha256();
  final byte[] canonicalHash = new byte[Sha256.DIGEST_LENGTH];
  final byte[] innerHash = new byte[Sha256.DIGEST_LENGTH];
  final byte[] mac = new byte[Sha256.DIGEST_LENGTH];
  byte[] stringToSign = new byte[160];
  char[] authorization = new char[256];

  /** The signer's own headers for the request being signed: names and values. */
  final String[] addedNames = new String[3];

  final String[] addedValues = new String[3];

  /** The last second formatted, and its {@code x-amz-date} and date stamp: one format a second. */
  private long amzDateSeconds = Long.MIN_VALUE;

  private String amzDate;
  private String dateStamp;

  public SigningBuffers() {}

  /** {@link AmzDate#format} of {@code epochSeconds}, formatted once per second. */
  String amzDate(long epochSeconds) {
    update(epochSeconds);
    return amzDate;
  }

  /** The date stamp ({@code yyyyMMdd}) of {@code epochSeconds}, formatted once per second. */
  String dateStamp(long epochSeconds) {
    update(epochSeconds);
    return dateStamp;
  }

  private void update(long epochSeconds) {
    if (epochSeconds != amzDateSeconds) {
      String formatted = AmzDate.format(epochSeconds);
      String stamp = formatted.substring(0, AmzDate.DATE_STAMP_LENGTH);
      amzDate = formatted;
      // Same day as before: keep the old date stamp string, so the signing key's cache check
      // compares the same instance.
      if (dateStamp == null || !dateStamp.equals(stamp)) {
        dateStamp = stamp;
      }
      amzDateSeconds = epochSeconds;
    }
  }
}
