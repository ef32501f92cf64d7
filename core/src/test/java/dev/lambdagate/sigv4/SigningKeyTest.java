package dev.lambdagate.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The precomputed-pad HMAC of {@link SigningKey} against the JDK's HmacSHA256 as an oracle. */
class SigningKeyTest {
  private static byte[] jdkHmac(byte[] key, byte[] data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data);
  }

  private static byte[] jdkSigningKey(String secret, String date, String region, String service)
      throws Exception {
    byte[] k = jdkHmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), bytes(date));
    k = jdkHmac(k, bytes(region));
    k = jdkHmac(k, bytes(service));
    return jdkHmac(k, bytes("aws4_request"));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void macEqualsHmacSha256UnderTheDerivedKeyForMessagesOfEveryLength() throws Exception {
    String secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    SigningKey key = SigningKey.derive("20150830", "us-east-1", "lambda", secret, 1);
    byte[] kSigning = jdkSigningKey(secret, "20150830", "us-east-1", "lambda");
    Sha256 scratch = new Sha256();
    SplittableRandom random = new SplittableRandom(64);
    for (int length = 0; length < 300; length++) {
      byte[] message = new byte[length];
      for (int i = 0; i < length; i++) {
        message[i] = (byte) random.nextInt(256);
      }
      // Reusing one scratch digest across calls is the point: it must carry nothing over.
      assertThat(key.mac(scratch, message)).isEqualTo(jdkHmac(kSigning, message));
    }
  }

  @Test
  void scopeAndIdentity() {
    SigningKey key = SigningKey.derive("20150830", "eu-west-1", "s3", "secret", 7);
    assertThat(key.scope).isEqualTo("20150830/eu-west-1/s3/aws4_request");
    assertThat(key.generation).isEqualTo(7);
    assertThat(key.isFor("20150830", "secret")).isTrue();
    assertThat(key.isFor("20150831", "secret")).isFalse();
    assertThat(key.isFor("20150830", "other")).isFalse();
  }

  @Test
  void nonAsciiSecretIsUsedAsUtf8() throws Exception {
    String secret = "s\u00e9cret\u1234";
    SigningKey key = SigningKey.derive("20240101", "us-east-1", "service", secret, 1);
    byte[] message = bytes("string to sign");
    assertThat(key.mac(new Sha256(), message))
        .isEqualTo(jdkHmac(jdkSigningKey(secret, "20240101", "us-east-1", "service"), message));
  }
}
