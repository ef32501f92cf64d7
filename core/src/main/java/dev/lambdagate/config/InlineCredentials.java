package dev.lambdagate.config;

/**
 * AWS access keys given in the configuration ({@code credentials.accessKeyId}, {@code
 * secretAccessKey}, {@code sessionToken}). {@link #toString()} never shows the secret or the token.
 */
public final class InlineCredentials extends CredentialSource {

  private final String accessKeyId;
  private final String secretAccessKey;
  private final String sessionToken;

  /**
   * @param sessionToken null for long-lived keys
   */
  public InlineCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {
    if (accessKeyId == null || secretAccessKey == null) {
      throw new IllegalArgumentException("an access key id and a secret access key are required");
    }
    this.accessKeyId = accessKeyId;
    this.secretAccessKey = secretAccessKey;
    this.sessionToken = sessionToken;
  }

  public String accessKeyId() {
    return accessKeyId;
  }

  public String secretAccessKey() {
    return secretAccessKey;
  }

  /** The session token of temporary credentials, or null for long-lived keys. */
  public String sessionToken() {
    return sessionToken;
  }

  /** Shows only the first four characters of the access key id and whether there is a token. */
  @Override
  public String toString() {
    String shownId = accessKeyId.length() > 4 ? accessKeyId.substring(0, 4) + "..." : "...";
    return "InlineCredentials{accessKeyId="
        + shownId
        + ", secretAccessKey=<redacted>, sessionToken="
        + (sessionToken == null ? "none" : "<redacted>")
        + "}";
  }
}
