package dev.lambdagate.bench;

import dev.lambdagate.sigv4.Credentials;
import dev.lambdagate.sigv4.Header;
import dev.lambdagate.sigv4.PayloadHash;
import dev.lambdagate.sigv4.Sha256;
import dev.lambdagate.sigv4.SigV4Signer;
import dev.lambdagate.sigv4.SigningBuffers;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The measured operations, as plain Java: the same code runs in the benchmark Wasm module ({@link
 * BenchModule}, timed from V8 or Chicory) and on HotSpot (JMH, module {@code bench}), so the two
 * can be compared operation for operation.
 */
public final class BenchKernels {
  /** 2015-08-30T12:36:00Z, the AWS test-suite time: one date stamp, so the key stays cached. */
  public static final long EPOCH_SECONDS = 1440938160L;

  private final Sha256 sha = new Sha256();
  private final byte[] digest = new byte[Sha256.DIGEST_LENGTH];
  private byte[] data = new byte[0];
  private final SigningBuffers buffers = new SigningBuffers();
  private final SigV4Signer signer =
      new SigV4Signer("lambda", "us-east-1", Collections.emptyList(), false);
  private final Credentials credentials =
      Credentials.of("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  private final List<Header> headers =
      Arrays.asList(
          new Header("host", "lambda.us-east-1.amazonaws.com"),
          new Header("content-type", "application/json"));

  /** Fills the SHA-256 input with {@code size} deterministic bytes. */
  public void prepareSha256(int size) {
    data = new byte[size];
    int x = 0x12345678;
    for (int i = 0; i < size; i++) {
      x = x * 1103515245 + 12345;
      data[i] = (byte) (x >>> 16);
    }
  }

  /** SHA-256 of the prepared input; returns the first digest byte (keeps the work observable). */
  public int sha256() {
    sha.update(data, 0, data.length);
    sha.doFinal(digest, 0);
    return digest[0];
  }

  /**
   * SigV4 signature of an empty-body {@code POST} to Lambda's Invoke path, with the signing key
   * cached (the first call derives it), in kept buffers as the filter signs; returns the
   * signature's length.
   */
  public int signEmptyBody() {
    return signer
        .sign(
            "POST",
            "/2015-03-31/functions/echo/invocations",
            headers,
            PayloadHash.EMPTY_SHA256,
            credentials,
            EPOCH_SECONDS,
            buffers,
            false)
        .signature()
        .length();
  }
}
