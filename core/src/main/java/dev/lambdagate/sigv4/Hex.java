package dev.lambdagate.sigv4;

/**
 * Lower-case hexadecimal encoding, the form SigV4 uses for every hash and for the signature.
 * Stateless, hence thread-safe.
 */
public final class Hex {
  private static final char[] DIGITS = {
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'
  };

  private Hex() {}

  /** The lower-case hex form of every byte of {@code bytes}. */
  public static String encode(byte[] bytes) {
    return encode(bytes, 0, bytes.length);
  }

  /** The lower-case hex form of {@code len} bytes of {@code bytes} from {@code off}. */
  public static String encode(byte[] bytes, int off, int len) {
    if (off < 0 || len < 0 || off > bytes.length - len) {
      throw new IndexOutOfBoundsException("off=" + off + " len=" + len + " size=" + bytes.length);
    }
    // One char[] and one String: no StringBuilder growth on the per-request path.
    char[] out = new char[len * 2];
    for (int i = 0; i < len; i++) {
      int b = bytes[off + i];
      out[2 * i] = DIGITS[(b >>> 4) & 0xf];
      out[2 * i + 1] = DIGITS[b & 0xf];
    }
    return new String(out);
  }

  /** Writes the lower-case hex form of {@code bytes} into {@code out} from {@code p}. */
  static int writeTo(byte[] bytes, byte[] out, int p) {
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i];
      out[p++] = (byte) DIGITS[(b >>> 4) & 0xf];
      out[p++] = (byte) DIGITS[b & 0xf];
    }
    return p;
  }

  /** Writes the lower-case hex form of {@code bytes} into {@code out} from {@code p}. */
  static int writeTo(byte[] bytes, char[] out, int p) {
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i];
      out[p++] = DIGITS[(b >>> 4) & 0xf];
      out[p++] = DIGITS[b & 0xf];
    }
    return p;
  }

  /** Appends the lower-case hex form of every byte of {@code bytes} to {@code out}. */
  static void appendTo(StringBuilder out, byte[] bytes) {
    for (byte value : bytes) {
      out.append(DIGITS[(value >>> 4) & 0xf]).append(DIGITS[value & 0xf]);
    }
  }
}
