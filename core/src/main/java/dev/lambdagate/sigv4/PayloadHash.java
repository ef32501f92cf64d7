package dev.lambdagate.sigv4;

/**
 * Payload hashes as SigV4 signs them: the lower-case hex SHA-256 of the body, or {@link
 * #UNSIGNED_PAYLOAD} when the body is streamed unsigned.
 *
 * <p>The static methods hash a whole body and are thread-safe. An instance hashes a body that
 * arrives in chunks without buffering it; it holds one digest and is not thread-safe (one per
 * request, or reused by one request after another).
 */
public final class PayloadHash {
  /** The payload hash of an empty body: SHA-256 of zero bytes. */
  public static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  /** The payload "hash" that tells AWS the body is not signed. */
  public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

  private final Sha256 digest = new Sha256();

  /** A hasher for a body that arrives in chunks. */
  public PayloadHash() {}

  /** Hex SHA-256 of {@code len} bytes of {@code data} from {@code off}. */
  public static String sha256Hex(byte[] data, int off, int len) {
    if (len == 0) {
      return EMPTY_SHA256;
    }
    return new PayloadHash().update(data, off, len).finish();
  }

  /** Hex SHA-256 of all of {@code data}. */
  public static String sha256Hex(byte[] data) {
    return sha256Hex(data, 0, data.length);
  }

  /** Adds the next chunk of the body. */
  public PayloadHash update(byte[] data, int off, int len) {
    digest.update(data, off, len);
    return this;
  }

  /** The hex SHA-256 of every chunk added since the last call; starts over for the next body. */
  public String finish() {
    byte[] hash = new byte[32];
    digest.doFinal(hash, 0);
    return Hex.encode(hash);
  }
}
