package dev.lambdagate.harness.emulator.credentials;

import java.time.Instant;
import java.util.Objects;

/**
 * One access key the emulators accept: a long-term key pair ({@code sessionToken} null) or STS
 * session credentials with their token and expiry.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never prints the secret or the token.
 *
 * @param accessKeyId the key id a request names in its credential scope
 * @param secretAccessKey the secret the signature must be made with
 * @param sessionToken the token that must accompany the key, or null for a long-term key
 * @param expiration when a session credential stops working, or null for never
 * @param principalArn who the key belongs to (an assumed-role ARN for STS-issued keys), or null
 */
public record StoredCredential(
    String accessKeyId,
    String secretAccessKey,
    String sessionToken,
    Instant expiration,
    String principalArn) {

  public StoredCredential {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    if (accessKeyId.isBlank() || secretAccessKey.isBlank()) {
      throw new IllegalArgumentException("access key id and secret must not be blank");
    }
  }

  /** A long-term key pair that never expires. */
  public static StoredCredential longTerm(String accessKeyId, String secretAccessKey) {
    return new StoredCredential(accessKeyId, secretAccessKey, null, null, null);
  }

  /** Session credentials, as STS issues them. */
  public static StoredCredential session(
      String accessKeyId,
      String secretAccessKey,
      String sessionToken,
      Instant expiration,
      String principalArn) {
    Objects.requireNonNull(sessionToken, "sessionToken");
    return new StoredCredential(
        accessKeyId, secretAccessKey, sessionToken, expiration, principalArn);
  }

  /**
   * Parses the command-line form {@code AKID:SECRET[:TOKEN]}. Secrets and tokens are base64 text,
   * which never contains a colon.
   *
   * @throws IllegalArgumentException naming the expected form, without echoing the secret
   */
  public static StoredCredential parse(String text) {
    String[] parts = text.split(":", 3);
    if (parts.length < 2
        || parts[0].isBlank()
        || parts[1].isBlank()
        || (parts.length == 3 && parts[2].isBlank())) {
      throw new IllegalArgumentException(
          "credentials must look like AKID:SECRET or AKID:SECRET:TOKEN");
    }
    return parts.length == 2
        ? longTerm(parts[0], parts[1])
        : new StoredCredential(parts[0], parts[1], parts[2], null, null);
  }

  /** True when this is a session credential (it needs its token). */
  public boolean hasSessionToken() {
    return sessionToken != null;
  }

  /** True when the credential has an expiry and {@code now} is at or past it. */
  public boolean isExpiredAt(Instant now) {
    return expiration != null && !now.isBefore(expiration);
  }

  @Override
  public String toString() {
    return "StoredCredential[accessKeyId="
        + accessKeyId
        + ", session="
        + hasSessionToken()
        + ", expiration="
        + expiration
        + ", principalArn="
        + principalArn
        + "]";
  }
}
