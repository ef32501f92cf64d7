package dev.lambdagate.sdk;

import dev.lambdagate.json.Utf8;
import dev.lambdagate.lambda.HeaderList;

/**
 * The proxy-wasm 0.2.1 wire form of a header map: a little-endian {@code u32} pair count, then a
 * {@code u32} key length and {@code u32} value length per pair, then each key and value followed by
 * a NUL byte. Plain Java, so it is tested on the JVM.
 */
public final class HeaderMapCodec {
  /**
   * Header names most requests and responses carry (Envoy hands names over in lower case): decoding
   * returns these very strings instead of a new one per header per request.
   */
  private static final String[] COMMON_NAMES = {
    ":method",
    ":path",
    ":authority",
    ":scheme",
    ":status",
    "host",
    "accept",
    "accept-encoding",
    "accept-language",
    "authorization",
    "content-type",
    "content-length",
    "content-encoding",
    "cookie",
    "date",
    "user-agent",
    "x-forwarded-for",
    "x-forwarded-proto",
    "x-request-id",
    "x-envoy-expected-rq-timeout-ms",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
    "x-amzn-trace-id",
    "x-amz-function-error",
    "x-amz-executed-version",
    "x-amz-log-result",
    "x-amzn-requestid"
  };

  private static final byte[][] COMMON_NAME_BYTES = new byte[COMMON_NAMES.length][];

  static {
    for (int i = 0; i < COMMON_NAMES.length; i++) {
      COMMON_NAME_BYTES[i] = Utf8.encode(COMMON_NAMES[i]);
    }
  }

  private HeaderMapCodec() {}

  /** The name in {@code data[pos, pos + length)}: a shared string if it is a common one. */
  private static String name(byte[] data, int pos, int length) {
    for (int k = 0; k < COMMON_NAME_BYTES.length; k++) {
      byte[] candidate = COMMON_NAME_BYTES[k];
      if (candidate.length == length && candidate[0] == data[pos]) {
        int i = 1;
        while (i < length && candidate[i] == data[pos + i]) {
          i++;
        }
        if (i == length) {
          return COMMON_NAMES[k];
        }
      }
    }
    return Utf8.decodeString(data, pos, length);
  }

  public static byte[] encode(HeaderList headers) {
    int count = headers.size();
    byte[][] keys = new byte[count][];
    byte[][] vals = new byte[count][];
    int size = 4 + count * 8;
    for (int i = 0; i < count; i++) {
      keys[i] = Utf8.encode(headers.name(i));
      vals[i] = Utf8.encode(headers.value(i));
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
    return decode(data, 0, data.length);
  }

  /** Decodes the map held in {@code data[offset, offset + size)}. */
  public static HeaderList decode(byte[] data, int offset, int size) {
    if (size < 4) {
      return new HeaderList(0);
    }
    int count = readInt(data, offset);
    if (count < 0 || 4L + 8L * count > size) {
      throw new IllegalArgumentException(
          "malformed header map: " + count + " pairs in " + size + " bytes");
    }
    int end = offset + size;
    HeaderList headers = new HeaderList(count);
    int lengths = offset + 4;
    int pos = offset + 4 + count * 8;
    for (int i = 0; i < count; i++) {
      int keyLength = readInt(data, lengths);
      int valueLength = readInt(data, lengths + 4);
      lengths += 8;
      if (keyLength < 0 || valueLength < 0 || (long) pos + keyLength + valueLength + 2 > end) {
        throw new IllegalArgumentException("malformed header map: pair " + i + " overruns");
      }
      String key = keyLength == 0 ? "" : name(data, pos, keyLength);
      pos += keyLength + 1;
      String value = Utf8.decodeString(data, pos, valueLength);
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
