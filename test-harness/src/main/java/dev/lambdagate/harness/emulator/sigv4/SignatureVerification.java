package dev.lambdagate.harness.emulator.sigv4;

import dev.lambdagate.harness.emulator.credentials.StoredCredential;

/**
 * The result of checking one request's SigV4 signature. Immutable and thread-safe.
 *
 * @param outcome what was found
 * @param detail a human-readable reason: the AWS error message for rejections, or a diagnostic
 *     saying what differed (never a secret)
 * @param credential the caller's credential when the access key was known, else null
 */
public record SignatureVerification(Outcome outcome, String detail, StoredCredential credential) {

  /** What a verification found. Each rejecting outcome maps to one AWS error code per service. */
  public enum Outcome {
    /** Signature computed by Aws4Signer equals the one sent. */
    VALID,
    /** No {@code Authorization} header. */
    MISSING_AUTHENTICATION,
    /** The header or {@code X-Amz-Date} is malformed or incomplete. */
    INCOMPLETE_SIGNATURE,
    /** The access key id is not in the credential store. */
    UNKNOWN_ACCESS_KEY,
    /** The session token is missing, wrong, or sent with a long-term key. */
    INVALID_SESSION_TOKEN,
    /** The session credentials have expired. */
    EXPIRED_SESSION_TOKEN,
    /** {@code X-Amz-Date} is too far from the emulator's clock. */
    SIGNATURE_EXPIRED,
    /** The credential scope names another date, region, service or terminator. */
    WRONG_CREDENTIAL_SCOPE,
    /**
     * SignedHeaders leaves out a header AWS requires signed ({@code host}, {@code x-amz-date}, or a
     * sent {@code x-amz-security-token} / {@code x-amz-content-sha256}); the detail says which.
     */
    REQUIRED_HEADER_UNSIGNED,
    /** The signature differs from the one Aws4Signer computes. */
    SIGNATURE_MISMATCH,
    /**
     * The request signs something Aws4Signer cannot reproduce (a header it never signs, such as
     * {@code user-agent}), so the signature cannot be checked; treated as a mismatch.
     */
    UNVERIFIABLE
  }

  /** True for {@link Outcome#VALID}. */
  public boolean isValid() {
    return outcome == Outcome.VALID;
  }

  static SignatureVerification valid(StoredCredential credential) {
    return new SignatureVerification(Outcome.VALID, "signature verified", credential);
  }

  static SignatureVerification rejected(
      Outcome outcome, String detail, StoredCredential credential) {
    return new SignatureVerification(outcome, detail, credential);
  }
}
