package dev.lambdagate.credentials;

import dev.lambdagate.sigv4.Credentials;

/**
 * Temporary credentials and when they expire (epoch milliseconds), as STS issues them. Immutable.
 * {@link #toString()} shows no secret, as {@link Credentials#toString()} does not.
 */
public final class ExpiringCredentials {
  private final Credentials credentials;
  private final long expirationMillis;

  public ExpiringCredentials(Credentials credentials, long expirationMillis) {
    if (credentials == null) {
      throw new IllegalArgumentException("credentials must not be null");
    }
    this.credentials = credentials;
    this.expirationMillis = expirationMillis;
  }

  public Credentials credentials() {
    return credentials;
  }

  /** When the credentials stop being accepted, milliseconds since the epoch. */
  public long expirationMillis() {
    return expirationMillis;
  }

  @Override
  public String toString() {
    return "ExpiringCredentials["
        + credentials
        + ", expires "
        + IsoInstant.format(expirationMillis)
        + "]";
  }
}
