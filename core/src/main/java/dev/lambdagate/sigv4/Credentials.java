package dev.lambdagate.sigv4;

/**
 * AWS credentials: an access key id, its secret key and, for temporary credentials (STS, IRSA), a
 * session token. Immutable, hence thread-safe.
 *
 * <p>{@link #toString()} never reveals the secret key or the session token, and shows only the
 * first four characters of the access key id (enough to tell {@code AKIA} long-term keys from
 * {@code ASIA} temporary ones), so credentials can appear in log lines and error messages.
 */
public final class Credentials {
  private final String accessKeyId;
  private final String secretAccessKey;
  private final String sessionToken;

  /**
   * @param accessKeyId access key id, not empty
   * @param secretAccessKey secret access key, not empty
   * @param sessionToken session token of temporary credentials; null or empty when there is none
   */
  public Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
    if (accessKeyId == null || accessKeyId.isEmpty()) {
      throw new IllegalArgumentException("accessKeyId must not be empty");
    }
    if (secretAccessKey == null || secretAccessKey.isEmpty()) {
      throw new IllegalArgumentException("secretAccessKey must not be empty");
    }
    this.accessKeyId = accessKeyId;
    this.secretAccessKey = secretAccessKey;
    // Configuration sources say "no token" both as null and as "": one spelling from here on.
    this.sessionToken = sessionToken == null || sessionToken.isEmpty() ? null : sessionToken;
  }

  /** Long-term credentials, without a session token. */
  public static Credentials of(String accessKeyId, String secretAccessKey) {
    return new Credentials(accessKeyId, secretAccessKey, null);
  }

  public String accessKeyId() {
    return accessKeyId;
  }

  public String secretAccessKey() {
    return secretAccessKey;
  }

  /** The session token, or null for long-term credentials. */
  public String sessionToken() {
    return sessionToken;
  }

  public boolean hasSessionToken() {
    return sessionToken != null;
  }

  @Override
  public String toString() {
    String shownId = accessKeyId.length() > 4 ? accessKeyId.substring(0, 4) + "..." : "<redacted>";
    return "Credentials[accessKeyId="
        + shownId
        + ", secretAccessKey=<redacted>, sessionToken="
        + (sessionToken == null ? "none" : "<redacted>")
        + "]";
  }
}
