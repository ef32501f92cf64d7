package dev.lambdagate.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** {@link Sha256} against the JDK's SHA-256 and HmacSHA256 as oracles. */
class Sha256Test {
  private static byte[] random(SplittableRandom random, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    return bytes;
  }

  @Test
  void everyLengthAroundTheBlockBoundariesInOneUpdate() throws Exception {
    SplittableRandom random = new SplittableRandom(256);
    Sha256 sha = new Sha256();
    for (int length = 0; length < 300; length++) {
      byte[] data = random(random, length);
      byte[] expected = MessageDigest.getInstance("SHA-256").digest(data);
      assertThat(sha.update(data, 0, length).digest()).isEqualTo(expected);
      assertThat(Sha256.hash(data, 0, length)).isEqualTo(expected);
    }
  }

  @Test
  void chunkedUpdatesOfRandomSizesGiveTheSameDigest() throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    byte[] data = random(random, 200_000);
    byte[] expected = MessageDigest.getInstance("SHA-256").digest(data);
    Sha256 sha = new Sha256();
    for (int round = 0; round < 20; round++) {
      int off = 0;
      while (off < data.length) {
        int n = Math.min(data.length - off, random.nextInt(round < 10 ? 70 : 5000));
        sha.update(data, off, n);
        off += n;
      }
      assertThat(sha.digest()).isEqualTo(expected);
    }
  }

  @Test
  void resetFromAnotherStateCarriesItsPendingBytes() throws Exception {
    byte[] data = "The quick brown fox jumps over the lazy dog".getBytes("UTF-8");
    Sha256 prefix = new Sha256().update(data, 0, 10);
    Sha256 copy = new Sha256();
    copy.reset(prefix);
    copy.update(data, 10, data.length - 10);
    assertThat(Hex.encode(copy.digest()))
        .isEqualTo("d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592");
    assertThat(Hex.encode(new Sha256().update(data).digest()))
        .isEqualTo("d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592");
  }

  @Test
  void hmacMatchesTheJdkForShortAndLongKeys() throws Exception {
    SplittableRandom random = new SplittableRandom(3);
    for (int keyLength : new int[] {0, 1, 32, 63, 64, 65, 200}) {
      byte[] key = random(random, keyLength);
      byte[] data = random(random, 100 + keyLength);
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(keyLength == 0 ? new byte[1] : key, "HmacSHA256"));
      if (keyLength == 0) {
        // The JDK refuses an empty key; HMAC with an empty key equals HMAC with one zero byte.
        key = new byte[0];
      }
      assertThat(Sha256.hmac(key, data)).isEqualTo(mac.doFinal(data));
    }
  }
}
