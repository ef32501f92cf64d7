package dev.lambdagate.credentials;

import dev.lambdagate.json.Utf8;
import dev.lambdagate.sigv4.Credentials;

/**
 * The shared-data form of fetched credentials: {@code v1\n<obtained millis>\n<expiration
 * millis>\n<access key id>\n<secret>\n<session token>}. Shared data never leaves the proxy's
 * memory; it is never logged.
 */
public final class SharedCredentialsCodec {
  private static final String VERSION = "v1";

  private SharedCredentialsCodec() {}

  /** What another VM stored: the credentials and when they were obtained. */
  public static final class Stored {
    private final long obtainedMillis;
    private final ExpiringCredentials credentials;

    Stored(long obtainedMillis, ExpiringCredentials credentials) {
      this.obtainedMillis = obtainedMillis;
      this.credentials = credentials;
    }

    public long obtainedMillis() {
      return obtainedMillis;
    }

    public ExpiringCredentials credentials() {
      return credentials;
    }
  }

  public static byte[] encode(long obtainedMillis, ExpiringCredentials credentials) {
    Credentials c = credentials.credentials();
    String text =
        VERSION
            + "\n"
            + obtainedMillis
            + "\n"
            + credentials.expirationMillis()
            + "\n"
            + c.accessKeyId()
            + "\n"
            + c.secretAccessKey()
            + "\n"
            + (c.sessionToken() == null ? "" : c.sessionToken());
    return Utf8.encode(text);
  }

  /** The stored credentials, or null when {@code value} is absent or not in this form. */
  public static Stored decode(byte[] value) {
    if (value == null || value.length == 0) {
      return null;
    }
    String text = Utf8.decodeString(value, 0, value.length);
    String[] parts = new String[6];
    int start = 0;
    for (int i = 0; i < 5; i++) {
      int nl = text.indexOf('\n', start);
      if (nl < 0) {
        return null;
      }
      parts[i] = text.substring(start, nl);
      start = nl + 1;
    }
    parts[5] = text.substring(start);
    if (!VERSION.equals(parts[0]) || parts[3].isEmpty() || parts[4].isEmpty()) {
      return null;
    }
    try {
      long obtained = Long.parseLong(parts[1]);
      long expiration = Long.parseLong(parts[2]);
      return new Stored(
          obtained,
          new ExpiringCredentials(new Credentials(parts[3], parts[4], parts[5]), expiration));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
