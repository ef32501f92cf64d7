package dev.lambdagate.sigv4;

/**
 * SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), written for the Wasm build.
 *
 * <p>Why not BouncyCastle's {@code SHA256Digest}: its constructor reaches {@code
 * CryptoServicesRegistrar}, whose static initialiser drags {@code BigInteger}, the standard DH/DSA
 * groups and property machinery into the module (about 100 KB of the Wasm module for code that
 * never runs on the request path). This class allocates nothing after construction, and whole
 * blocks are read straight from the caller's array.
 *
 * <p>Not thread-safe: one instance per thread (or per request). {@link #reset(Sha256)} copies the
 * state of another instance, which is how {@link SigningKey} starts every HMAC from precomputed pad
 * states.
 */
public final class Sha256 {
  /** Length of a digest in bytes. */
  public static final int DIGEST_LENGTH = 32;

  private static final int BLOCK = 64;

  private static final int[] K = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  };

  private int h0, h1, h2, h3, h4, h5, h6, h7;

  /** Bytes hashed so far. */
  private long count;

  /** A partial block waiting for more input: {@code count % 64} bytes. */
  private final byte[] buffer = new byte[BLOCK];

  public Sha256() {
    reset();
  }

  /** Starts over with the initial state. */
  public void reset() {
    h0 = 0x6a09e667;
    h1 = 0xbb67ae85;
    h2 = 0x3c6ef372;
    h3 = 0xa54ff53a;
    h4 = 0x510e527f;
    h5 = 0x9b05688c;
    h6 = 0x1f83d9ab;
    h7 = 0x5be0cd19;
    count = 0;
  }

  /** Takes over the state of {@code other} (which is not changed), pending bytes included. */
  public void reset(Sha256 other) {
    h0 = other.h0;
    h1 = other.h1;
    h2 = other.h2;
    h3 = other.h3;
    h4 = other.h4;
    h5 = other.h5;
    h6 = other.h6;
    h7 = other.h7;
    count = other.count;
    System.arraycopy(other.buffer, 0, buffer, 0, (int) (count & (BLOCK - 1)));
  }

  /** Adds {@code len} bytes of {@code data} from {@code off}. */
  public Sha256 update(byte[] data, int off, int len) {
    if (off < 0 || len < 0 || off > data.length - len) {
      throw new IndexOutOfBoundsException("off=" + off + " len=" + len + " size=" + data.length);
    }
    int pending = (int) (count & (BLOCK - 1));
    count += len;
    if (pending > 0) {
      int take = Math.min(len, BLOCK - pending);
      System.arraycopy(data, off, buffer, pending, take);
      off += take;
      len -= take;
      if (pending + take < BLOCK) {
        return this;
      }
      compress(buffer, 0);
    }
    while (len >= BLOCK) {
      compress(data, off);
      off += BLOCK;
      len -= BLOCK;
    }
    if (len > 0) {
      System.arraycopy(data, off, buffer, 0, len);
    }
    return this;
  }

  /** Adds all of {@code data}. */
  public Sha256 update(byte[] data) {
    return update(data, 0, data.length);
  }

  /** Writes the digest of everything added to {@code out[off, off + 32)} and starts over. */
  public void doFinal(byte[] out, int off) {
    long bits = count << 3;
    int pending = (int) (count & (BLOCK - 1));
    buffer[pending++] = (byte) 0x80;
    if (pending > BLOCK - 8) {
      while (pending < BLOCK) {
        buffer[pending++] = 0;
      }
      compress(buffer, 0);
      pending = 0;
    }
    while (pending < BLOCK - 8) {
      buffer[pending++] = 0;
    }
    putInt(buffer, 56, (int) (bits >>> 32));
    putInt(buffer, 60, (int) bits);
    compress(buffer, 0);
    putInt(out, off, h0);
    putInt(out, off + 4, h1);
    putInt(out, off + 8, h2);
    putInt(out, off + 12, h3);
    putInt(out, off + 16, h4);
    putInt(out, off + 20, h5);
    putInt(out, off + 24, h6);
    putInt(out, off + 28, h7);
    reset();
  }

  /** The digest of everything added; starts over. */
  public byte[] digest() {
    byte[] out = new byte[DIGEST_LENGTH];
    doFinal(out, 0);
    return out;
  }

  /** SHA-256 of {@code len} bytes of {@code data} from {@code off}. */
  public static byte[] hash(byte[] data, int off, int len) {
    return new Sha256().update(data, off, len).digest();
  }

  /** HMAC-SHA256 of {@code data} under {@code key} (any length). */
  public static byte[] hmac(byte[] key, byte[] data) {
    Sha256 sha = new Sha256();
    if (key.length > BLOCK) {
      key = sha.update(key).digest();
    }
    byte[] pad = new byte[BLOCK];
    for (int i = 0; i < BLOCK; i++) {
      pad[i] = (byte) ((i < key.length ? key[i] : 0) ^ 0x36);
    }
    byte[] inner = sha.update(pad).update(data).digest();
    for (int i = 0; i < BLOCK; i++) {
      pad[i] = (byte) ((i < key.length ? key[i] : 0) ^ 0x5c);
    }
    return sha.update(pad).update(inner).digest();
  }

  private static void putInt(byte[] out, int off, int v) {
    out[off] = (byte) (v >>> 24);
    out[off + 1] = (byte) (v >>> 16);
    out[off + 2] = (byte) (v >>> 8);
    out[off + 3] = (byte) v;
  }

  /**
   * One compression of the 64-byte block at {@code block[off]} (FIPS 180-4, 6.2.2). The 16-word
   * schedule window lives in local variables and the rounds are written out 16 at a time (the state
   * variables change roles instead of moving): no array access but the constant table, no GC-root
   * spill, no call inside the rounds, which is what makes it fast in TeaVM's Wasm. Kept under
   * HotSpot's 8000-byte limit for JIT compilation. Generated by {@code Sha256CompressGenerator}
   * (test sources), which a test holds this method to: edit that.
   */
  // spotless:off  (generated: the formatter would break the generator's line layout)
  private void compress(byte[] block, int off) {
    if (off < 0 || off > block.length - BLOCK) {
      throw new IndexOutOfBoundsException();
    }
    int w0 = (block[off + 0] << 24) | ((block[off + 1] & 0xff) << 16)
        | ((block[off + 2] & 0xff) << 8) | (block[off + 3] & 0xff);
    int w1 = (block[off + 4] << 24) | ((block[off + 5] & 0xff) << 16)
        | ((block[off + 6] & 0xff) << 8) | (block[off + 7] & 0xff);
    int w2 = (block[off + 8] << 24) | ((block[off + 9] & 0xff) << 16)
        | ((block[off + 10] & 0xff) << 8) | (block[off + 11] & 0xff);
    int w3 = (block[off + 12] << 24) | ((block[off + 13] & 0xff) << 16)
        | ((block[off + 14] & 0xff) << 8) | (block[off + 15] & 0xff);
    int w4 = (block[off + 16] << 24) | ((block[off + 17] & 0xff) << 16)
        | ((block[off + 18] & 0xff) << 8) | (block[off + 19] & 0xff);
    int w5 = (block[off + 20] << 24) | ((block[off + 21] & 0xff) << 16)
        | ((block[off + 22] & 0xff) << 8) | (block[off + 23] & 0xff);
    int w6 = (block[off + 24] << 24) | ((block[off + 25] & 0xff) << 16)
        | ((block[off + 26] & 0xff) << 8) | (block[off + 27] & 0xff);
    int w7 = (block[off + 28] << 24) | ((block[off + 29] & 0xff) << 16)
        | ((block[off + 30] & 0xff) << 8) | (block[off + 31] & 0xff);
    int w8 = (block[off + 32] << 24) | ((block[off + 33] & 0xff) << 16)
        | ((block[off + 34] & 0xff) << 8) | (block[off + 35] & 0xff);
    int w9 = (block[off + 36] << 24) | ((block[off + 37] & 0xff) << 16)
        | ((block[off + 38] & 0xff) << 8) | (block[off + 39] & 0xff);
    int w10 = (block[off + 40] << 24) | ((block[off + 41] & 0xff) << 16)
        | ((block[off + 42] & 0xff) << 8) | (block[off + 43] & 0xff);
    int w11 = (block[off + 44] << 24) | ((block[off + 45] & 0xff) << 16)
        | ((block[off + 46] & 0xff) << 8) | (block[off + 47] & 0xff);
    int w12 = (block[off + 48] << 24) | ((block[off + 49] & 0xff) << 16)
        | ((block[off + 50] & 0xff) << 8) | (block[off + 51] & 0xff);
    int w13 = (block[off + 52] << 24) | ((block[off + 53] & 0xff) << 16)
        | ((block[off + 54] & 0xff) << 8) | (block[off + 55] & 0xff);
    int w14 = (block[off + 56] << 24) | ((block[off + 57] & 0xff) << 16)
        | ((block[off + 58] & 0xff) << 8) | (block[off + 59] & 0xff);
    int w15 = (block[off + 60] << 24) | ((block[off + 61] & 0xff) << 16)
        | ((block[off + 62] & 0xff) << 8) | (block[off + 63] & 0xff);
    int a = h0;
    int b = h1;
    int c = h2;
    int d = h3;
    int e = h4;
    int f = h5;
    int g = h6;
    int h = h7;
    int t1;
    t1 = h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7)))
        + ((e & f) ^ (~e & g)) + 0x428a2f98 + w0;
    d += t1;
    h = t1 + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10)))
        + ((a & b) ^ (a & c) ^ (b & c));
    t1 = g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7)))
        + ((d & e) ^ (~d & f)) + 0x71374491 + w1;
    c += t1;
    g = t1 + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10)))
        + ((h & a) ^ (h & b) ^ (a & b));
    t1 = f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7)))
        + ((c & d) ^ (~c & e)) + 0xb5c0fbcf + w2;
    b += t1;
    f = t1 + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10)))
        + ((g & h) ^ (g & a) ^ (h & a));
    t1 = e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7)))
        + ((b & c) ^ (~b & d)) + 0xe9b5dba5 + w3;
    a += t1;
    e = t1 + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10)))
        + ((f & g) ^ (f & h) ^ (g & h));
    t1 = d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7)))
        + ((a & b) ^ (~a & c)) + 0x3956c25b + w4;
    h += t1;
    d = t1 + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10)))
        + ((e & f) ^ (e & g) ^ (f & g));
    t1 = c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7)))
        + ((h & a) ^ (~h & b)) + 0x59f111f1 + w5;
    g += t1;
    c = t1 + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10)))
        + ((d & e) ^ (d & f) ^ (e & f));
    t1 = b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7)))
        + ((g & h) ^ (~g & a)) + 0x923f82a4 + w6;
    f += t1;
    b = t1 + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10)))
        + ((c & d) ^ (c & e) ^ (d & e));
    t1 = a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7)))
        + ((f & g) ^ (~f & h)) + 0xab1c5ed5 + w7;
    e += t1;
    a = t1 + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10)))
        + ((b & c) ^ (b & d) ^ (c & d));
    t1 = h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7)))
        + ((e & f) ^ (~e & g)) + 0xd807aa98 + w8;
    d += t1;
    h = t1 + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10)))
        + ((a & b) ^ (a & c) ^ (b & c));
    t1 = g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7)))
        + ((d & e) ^ (~d & f)) + 0x12835b01 + w9;
    c += t1;
    g = t1 + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10)))
        + ((h & a) ^ (h & b) ^ (a & b));
    t1 = f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7)))
        + ((c & d) ^ (~c & e)) + 0x243185be + w10;
    b += t1;
    f = t1 + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10)))
        + ((g & h) ^ (g & a) ^ (h & a));
    t1 = e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7)))
        + ((b & c) ^ (~b & d)) + 0x550c7dc3 + w11;
    a += t1;
    e = t1 + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10)))
        + ((f & g) ^ (f & h) ^ (g & h));
    t1 = d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7)))
        + ((a & b) ^ (~a & c)) + 0x72be5d74 + w12;
    h += t1;
    d = t1 + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10)))
        + ((e & f) ^ (e & g) ^ (f & g));
    t1 = c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7)))
        + ((h & a) ^ (~h & b)) + 0x80deb1fe + w13;
    g += t1;
    c = t1 + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10)))
        + ((d & e) ^ (d & f) ^ (e & f));
    t1 = b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7)))
        + ((g & h) ^ (~g & a)) + 0x9bdc06a7 + w14;
    f += t1;
    b = t1 + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10)))
        + ((c & d) ^ (c & e) ^ (d & e));
    t1 = a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7)))
        + ((f & g) ^ (~f & h)) + 0xc19bf174 + w15;
    e += t1;
    a = t1 + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10)))
        + ((b & c) ^ (b & d) ^ (c & d));
    int[] k = K;
    for (int t = 16; t < 64; t += 16) {
      w0 += (((w14 >>> 17) | (w14 << 15)) ^ ((w14 >>> 19) | (w14 << 13)) ^ (w14 >>> 10))
          + w9 + (((w1 >>> 7) | (w1 << 25)) ^ ((w1 >>> 18) | (w1 << 14)) ^ (w1 >>> 3));
      t1 = h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7)))
          + ((e & f) ^ (~e & g)) + k[t] + w0;
      d += t1;
      h = t1 + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10)))
          + ((a & b) ^ (a & c) ^ (b & c));
      w1 += (((w15 >>> 17) | (w15 << 15)) ^ ((w15 >>> 19) | (w15 << 13)) ^ (w15 >>> 10))
          + w10 + (((w2 >>> 7) | (w2 << 25)) ^ ((w2 >>> 18) | (w2 << 14)) ^ (w2 >>> 3));
      t1 = g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7)))
          + ((d & e) ^ (~d & f)) + k[t + 1] + w1;
      c += t1;
      g = t1 + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10)))
          + ((h & a) ^ (h & b) ^ (a & b));
      w2 += (((w0 >>> 17) | (w0 << 15)) ^ ((w0 >>> 19) | (w0 << 13)) ^ (w0 >>> 10))
          + w11 + (((w3 >>> 7) | (w3 << 25)) ^ ((w3 >>> 18) | (w3 << 14)) ^ (w3 >>> 3));
      t1 = f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7)))
          + ((c & d) ^ (~c & e)) + k[t + 2] + w2;
      b += t1;
      f = t1 + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10)))
          + ((g & h) ^ (g & a) ^ (h & a));
      w3 += (((w1 >>> 17) | (w1 << 15)) ^ ((w1 >>> 19) | (w1 << 13)) ^ (w1 >>> 10))
          + w12 + (((w4 >>> 7) | (w4 << 25)) ^ ((w4 >>> 18) | (w4 << 14)) ^ (w4 >>> 3));
      t1 = e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7)))
          + ((b & c) ^ (~b & d)) + k[t + 3] + w3;
      a += t1;
      e = t1 + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10)))
          + ((f & g) ^ (f & h) ^ (g & h));
      w4 += (((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10))
          + w13 + (((w5 >>> 7) | (w5 << 25)) ^ ((w5 >>> 18) | (w5 << 14)) ^ (w5 >>> 3));
      t1 = d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7)))
          + ((a & b) ^ (~a & c)) + k[t + 4] + w4;
      h += t1;
      d = t1 + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10)))
          + ((e & f) ^ (e & g) ^ (f & g));
      w5 += (((w3 >>> 17) | (w3 << 15)) ^ ((w3 >>> 19) | (w3 << 13)) ^ (w3 >>> 10))
          + w14 + (((w6 >>> 7) | (w6 << 25)) ^ ((w6 >>> 18) | (w6 << 14)) ^ (w6 >>> 3));
      t1 = c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7)))
          + ((h & a) ^ (~h & b)) + k[t + 5] + w5;
      g += t1;
      c = t1 + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10)))
          + ((d & e) ^ (d & f) ^ (e & f));
      w6 += (((w4 >>> 17) | (w4 << 15)) ^ ((w4 >>> 19) | (w4 << 13)) ^ (w4 >>> 10))
          + w15 + (((w7 >>> 7) | (w7 << 25)) ^ ((w7 >>> 18) | (w7 << 14)) ^ (w7 >>> 3));
      t1 = b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7)))
          + ((g & h) ^ (~g & a)) + k[t + 6] + w6;
      f += t1;
      b = t1 + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10)))
          + ((c & d) ^ (c & e) ^ (d & e));
      w7 += (((w5 >>> 17) | (w5 << 15)) ^ ((w5 >>> 19) | (w5 << 13)) ^ (w5 >>> 10))
          + w0 + (((w8 >>> 7) | (w8 << 25)) ^ ((w8 >>> 18) | (w8 << 14)) ^ (w8 >>> 3));
      t1 = a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7)))
          + ((f & g) ^ (~f & h)) + k[t + 7] + w7;
      e += t1;
      a = t1 + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10)))
          + ((b & c) ^ (b & d) ^ (c & d));
      w8 += (((w6 >>> 17) | (w6 << 15)) ^ ((w6 >>> 19) | (w6 << 13)) ^ (w6 >>> 10))
          + w1 + (((w9 >>> 7) | (w9 << 25)) ^ ((w9 >>> 18) | (w9 << 14)) ^ (w9 >>> 3));
      t1 = h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7)))
          + ((e & f) ^ (~e & g)) + k[t + 8] + w8;
      d += t1;
      h = t1 + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10)))
          + ((a & b) ^ (a & c) ^ (b & c));
      w9 += (((w7 >>> 17) | (w7 << 15)) ^ ((w7 >>> 19) | (w7 << 13)) ^ (w7 >>> 10))
          + w2 + (((w10 >>> 7) | (w10 << 25)) ^ ((w10 >>> 18) | (w10 << 14)) ^ (w10 >>> 3));
      t1 = g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7)))
          + ((d & e) ^ (~d & f)) + k[t + 9] + w9;
      c += t1;
      g = t1 + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10)))
          + ((h & a) ^ (h & b) ^ (a & b));
      w10 += (((w8 >>> 17) | (w8 << 15)) ^ ((w8 >>> 19) | (w8 << 13)) ^ (w8 >>> 10))
          + w3 + (((w11 >>> 7) | (w11 << 25)) ^ ((w11 >>> 18) | (w11 << 14)) ^ (w11 >>> 3));
      t1 = f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7)))
          + ((c & d) ^ (~c & e)) + k[t + 10] + w10;
      b += t1;
      f = t1 + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10)))
          + ((g & h) ^ (g & a) ^ (h & a));
      w11 += (((w9 >>> 17) | (w9 << 15)) ^ ((w9 >>> 19) | (w9 << 13)) ^ (w9 >>> 10))
          + w4 + (((w12 >>> 7) | (w12 << 25)) ^ ((w12 >>> 18) | (w12 << 14)) ^ (w12 >>> 3));
      t1 = e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7)))
          + ((b & c) ^ (~b & d)) + k[t + 11] + w11;
      a += t1;
      e = t1 + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10)))
          + ((f & g) ^ (f & h) ^ (g & h));
      w12 += (((w10 >>> 17) | (w10 << 15)) ^ ((w10 >>> 19) | (w10 << 13)) ^ (w10 >>> 10))
          + w5 + (((w13 >>> 7) | (w13 << 25)) ^ ((w13 >>> 18) | (w13 << 14)) ^ (w13 >>> 3));
      t1 = d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7)))
          + ((a & b) ^ (~a & c)) + k[t + 12] + w12;
      h += t1;
      d = t1 + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10)))
          + ((e & f) ^ (e & g) ^ (f & g));
      w13 += (((w11 >>> 17) | (w11 << 15)) ^ ((w11 >>> 19) | (w11 << 13)) ^ (w11 >>> 10))
          + w6 + (((w14 >>> 7) | (w14 << 25)) ^ ((w14 >>> 18) | (w14 << 14)) ^ (w14 >>> 3));
      t1 = c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7)))
          + ((h & a) ^ (~h & b)) + k[t + 13] + w13;
      g += t1;
      c = t1 + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10)))
          + ((d & e) ^ (d & f) ^ (e & f));
      w14 += (((w12 >>> 17) | (w12 << 15)) ^ ((w12 >>> 19) | (w12 << 13)) ^ (w12 >>> 10))
          + w7 + (((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3));
      t1 = b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7)))
          + ((g & h) ^ (~g & a)) + k[t + 14] + w14;
      f += t1;
      b = t1 + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10)))
          + ((c & d) ^ (c & e) ^ (d & e));
      w15 += (((w13 >>> 17) | (w13 << 15)) ^ ((w13 >>> 19) | (w13 << 13)) ^ (w13 >>> 10))
          + w8 + (((w0 >>> 7) | (w0 << 25)) ^ ((w0 >>> 18) | (w0 << 14)) ^ (w0 >>> 3));
      t1 = a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7)))
          + ((f & g) ^ (~f & h)) + k[t + 15] + w15;
      e += t1;
      a = t1 + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10)))
          + ((b & c) ^ (b & d) ^ (c & d));
    }
    h0 += a;
    h1 += b;
    h2 += c;
    h3 += d;
    h4 += e;
    h5 += f;
    h6 += g;
    h7 += h;
  }
  // spotless:on
}
