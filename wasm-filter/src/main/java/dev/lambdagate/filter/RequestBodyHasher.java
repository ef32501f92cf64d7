package dev.lambdagate.filter;

import dev.lambdagate.sdk.AbiConstants;
import dev.lambdagate.sdk.Host;
import dev.lambdagate.sigv4.PayloadHash;

/**
 * The SHA-256 of a request body that Envoy buffers while the filter waits for its end: each body
 * callback hashes what was buffered since the previous one, 64 KiB at a time, so the body is never
 * copied whole into the module. One per stream; the signer consumes {@link #finish}. Not
 * thread-safe (a VM is single-threaded).
 */
final class RequestBodyHasher {
  /** Bytes read from the host at a time. */
  static final int PIECE = 64 * 1024;

  /** Per VM, shared by every stream: a piece is hashed within the callback that read it. */
  private static final byte[] piece = new byte[PIECE];

  private final PayloadHash hash = new PayloadHash();
  private int hashed;

  /** Hashes the buffered body from where the last call stopped up to {@code bodySize}. */
  void hashBuffered(int bodySize) {
    while (hashed < bodySize) {
      int wanted = bodySize - hashed < PIECE ? bodySize - hashed : PIECE;
      int n = Host.readBuffer(AbiConstants.BUFFER_REQUEST_BODY, hashed, piece, 0, wanted);
      if (n <= 0) {
        throw new IllegalStateException(
            "the request body buffer holds " + hashed + " bytes, the host announced " + bodySize);
      }
      hash.update(piece, 0, n);
      hashed += n;
    }
  }

  /** How many bytes were hashed. */
  int hashedBytes() {
    return hashed;
  }

  /** The hex SHA-256 of the whole body ({@link PayloadHash#EMPTY_SHA256} when empty). */
  String finish() {
    return hashed == 0 ? PayloadHash.EMPTY_SHA256 : hash.finish();
  }
}
