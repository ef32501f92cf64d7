package dev.lambdagate.eventstream;

/**
 * CRC-32 (IEEE 802.3, the polynomial of {@code java.util.zip.CRC32} and of the AWS event-stream
 * checksums), table-driven. Our own because the filter is compiled by TeaVM, whose class library
 * has no {@code java.util.zip}; tested against the JDK's.
 */
public final class Crc32 {
  private static final int[] TABLE = table();

  private Crc32() {}

  /** The CRC of {@code length} bytes at {@code offset}. */
  public static int of(byte[] data, int offset, int length) {
    return update(0, data, offset, length);
  }

  /**
   * Continues {@code crc} (the value returned for the bytes before, or 0 for none) over {@code
   * length} more bytes.
   */
  public static int update(int crc, byte[] data, int offset, int length) {
    int c = ~crc;
    for (int i = offset, end = offset + length; i < end; i++) {
      c = TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
    }
    return ~c;
  }

  private static int[] table() {
    int[] t = new int[256];
    for (int n = 0; n < 256; n++) {
      int c = n;
      for (int k = 0; k < 8; k++) {
        c = (c & 1) != 0 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
      }
      t[n] = c;
    }
    return t;
  }
}
