package dev.lambdagate.sdk;

import dev.lambdagate.lambda.HeaderList;
import java.nio.charset.StandardCharsets;

/**
 * The proxy-wasm 0.2.1 wire form of a header map: a little-endian {@code u32} pair count, then a
 * {@code u32} key length and {@code u32} value length per pair, then each key and value followed by
 * a NUL byte. Plain Java, so it is tested on the JVM.
 */
public final class HeaderMapCodec {
  private HeaderMapCodec() {}

  public static byte[] encode(HeaderList headers) {
    int count = headers.size();
    byte[][] keys = new byte[count][];
    byte[][] vals = new byte[count][];
    int size = 4 + count * 8;
    for (int i = 0; i < count; i++) {
      keys[i] = headers.name(i).getBytes(StandardCharsets.UTF_8);
      vals[i] = headers.value(i).getBytes(StandardCharsets.UTF_8);
      size += keys[i].length + vals[i].length + 2;
    }
    byte[] out = new byte[size];
    writeInt(out, 0, count);
    int lengths = 4;
    int data = 4 + count * 8;
    for (int i = 0; i < count; i++) {
      writeInt(out, lengths, keys[i].length);
      writeInt(out, lengths + 4, vals[i].length);
      lengths += 8;
      System.arraycopy(keys[i], 0, out, data, keys[i].length);
      data += keys[i].length + 1;
      System.arraycopy(vals[i], 0, out, data, vals[i].length);
      data += vals[i].length + 1;
    }
    return out;
  }

  public static HeaderList decode(byte[] data) {
    if (data.length < 4) {
      return new HeaderList(0);
    }
    int count = readInt(data, 0);
    if (count < 0 || 4L + 8L * count > data.length) {
      throw new IllegalArgumentException(
          "malformed header map: " + count + " pairs in " + data.length + " bytes");
    }
    HeaderList headers = new HeaderList(count);
    int lengths = 4;
    int pos = 4 + count * 8;
    for (int i = 0; i < count; i++) {
      int keyLength = readInt(data, lengths);
      int valueLength = readInt(data, lengths + 4);
      lengths += 8;
      if (keyLength < 0
          || valueLength < 0
          || (long) pos + keyLength + valueLength + 2 > data.length) {
        throw new IllegalArgumentException("malformed header map: pair " + i + " overruns");
      }
      String key = new String(data, pos, keyLength, StandardCharsets.UTF_8);
      pos += keyLength + 1;
      String value = new String(data, pos, valueLength, StandardCharsets.UTF_8);
      pos += valueLength + 1;
      headers.add(key, value);
    }
    return headers;
  }

  static int readInt(byte[] b, int i) {
    return (b[i] & 0xff)
        | (b[i + 1] & 0xff) << 8
        | (b[i + 2] & 0xff) << 16
        | (b[i + 3] & 0xff) << 24;
  }

  static void writeInt(byte[] b, int i, int v) {
    b[i] = (byte) v;
    b[i + 1] = (byte) (v >>> 8);
    b[i + 2] = (byte) (v >>> 16);
    b[i + 3] = (byte) (v >>> 24);
  }
}
