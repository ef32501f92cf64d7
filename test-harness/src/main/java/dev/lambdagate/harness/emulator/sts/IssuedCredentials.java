package dev.lambdagate.harness.emulator.sts;

import dev.lambdagate.harness.emulator.credentials.StoredCredential;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * Makes fresh temporary credentials shaped like STS's: an {@code ASIA} access key id of 20
 * characters, a 40-character secret, an opaque base64 session token, an expiry to the second.
 * Thread-safe ({@link SecureRandom} is).
 */
final class IssuedCredentials {

  private static final String KEY_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final SecureRandom RANDOM = new SecureRandom();

  private IssuedCredentials() {}

  static StoredCredential issue(Instant now, long lifetimeSeconds, String principalArn) {
    StringBuilder keyId = new StringBuilder("ASIA");
    for (int i = 0; i < 16; i++) {
      keyId.append(KEY_ID_ALPHABET.charAt(RANDOM.nextInt(KEY_ID_ALPHABET.length())));
    }
    String secret = Base64.getEncoder().encodeToString(randomBytes(30));
    String token = Base64.getEncoder().encodeToString(randomBytes(384));
    Instant expiration = now.truncatedTo(ChronoUnit.SECONDS).plusSeconds(lifetimeSeconds);
    return StoredCredential.session(keyId.toString(), secret, token, expiration, principalArn);
  }

  /** {@code AROA} plus 17 characters: the shape of a role's unique id. */
  static String roleId(String roleArn) {
    // Derived from the ARN so the same role always has the same id, as in IAM.
    StringBuilder id = new StringBuilder("AROA");
    long seed = roleArn.hashCode() * 0x9E3779B97F4A7C15L;
    for (int i = 0; i < 17; i++) {
      seed = seed * 6364136223846793005L + 1442695040888963407L;
      id.append(KEY_ID_ALPHABET.charAt((int) ((seed >>> 33) % KEY_ID_ALPHABET.length())));
    }
    return id.toString();
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
