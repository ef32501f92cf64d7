package dev.lambdagate.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link PayloadHash} and {@link Hex} against the JDK's SHA-256 as an oracle. */
class PayloadHashTest {
  private static String jdkSha256Hex(byte[] data, int off, int len) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    digest.update(data, off, len);
    StringBuilder hex = new StringBuilder();
    for (byte b : digest.digest()) {
      hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return hex.toString();
  }

  @Test
  void emptyBodyConstant() throws Exception {
    assertThat(PayloadHash.EMPTY_SHA256).isEqualTo(jdkSha256Hex(new byte[0], 0, 0));
    assertThat(PayloadHash.sha256Hex(new byte[0])).isEqualTo(PayloadHash.EMPTY_SHA256);
    assertThat(new PayloadHash().finish()).isEqualTo(PayloadHash.EMPTY_SHA256);
  }

  @Test
  void wholeSlicedAndChunkedBodiesMatchTheJdk() throws Exception {
    SplittableRandom random = new SplittableRandom(256);
    PayloadHash reused = new PayloadHash();
    for (int round = 0; round < 200; round++) {
      byte[] body = new byte[random.nextInt(3000)];
      for (int i = 0; i < body.length; i++) {
        body[i] = (byte) random.nextInt(256);
      }
      String expected = jdkSha256Hex(body, 0, body.length);
      assertThat(PayloadHash.sha256Hex(body)).isEqualTo(expected);

      int off = body.length == 0 ? 0 : random.nextInt(body.length);
      int len = body.length - off == 0 ? 0 : random.nextInt(body.length - off);
      assertThat(PayloadHash.sha256Hex(body, off, len)).isEqualTo(jdkSha256Hex(body, off, len));

      // finish() starts over, so one hasher serves body after body.
      for (int at = 0; at < body.length; ) {
        int chunk = Math.min(body.length - at, 1 + random.nextInt(200));
        reused.update(body, at, chunk);
        at += chunk;
      }
      assertThat(reused.finish()).isEqualTo(expected);
    }
  }

  @Test
  void hex() {
    byte[] bytes = {0, 1, 15, 16, (byte) 0x7f, (byte) 0x80, (byte) 0xab, (byte) 0xff};
    assertThat(Hex.encode(bytes)).isEqualTo("00010f107f80abff");
    assertThat(Hex.encode(bytes, 6, 2)).isEqualTo("abff");
    assertThat(Hex.encode(new byte[0])).isEmpty();
    StringBuilder out = new StringBuilder("x");
    Hex.appendTo(out, bytes);
    assertThat(out.toString()).isEqualTo("x00010f107f80abff");
    assertThatThrownBy(() -> Hex.encode(bytes, 7, 2)).isInstanceOf(IndexOutOfBoundsException.class);
  }
}
