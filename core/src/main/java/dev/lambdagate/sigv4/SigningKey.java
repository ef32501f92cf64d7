package dev.lambdagate.sigv4;

import dev.lambdagate.json.Utf8;

/**
 * One day's derived SigV4 signing key ({@code kSigning}) for one secret key, region and service,
 * kept as the two HMAC-SHA256 pad states rather than as key bytes. Immutable, hence thread-safe.
 *
 * <p>HMAC(K, m) is SHA-256((K ^ opad) || SHA-256((K ^ ipad) || m)). The digest states after the
 * 64-byte blocks {@code K ^ ipad} and {@code K ^ opad} depend on the key only, so they are computed
 * once per derivation and every signature starts from copies of them: two compression rounds saved
 * per request. The two states are never updated after construction, only copied from, which is what
 * makes sharing them between threads safe.
 */
final class SigningKey {
  private static final byte[] TERMINATOR = Utf8.encode("aws4_request");
  private static final int BLOCK = 64;

  final String dateStamp;
  final String secretAccessKey;

  /** {@code date/region/service/aws4_request}. */
  final String scope;

  /** {@link #scope} as UTF-8, for the string to sign. */
  final byte[] scopeBytes;

  /** How many keys the owning signer had derived when it derived this one. */
  final int generation;

  private final Sha256 innerPadState;
  private final Sha256 outerPadState;

  private SigningKey(
      String dateStamp,
      String secretAccessKey,
      String scope,
      int generation,
      Sha256 innerPadState,
      Sha256 outerPadState) {
    this.dateStamp = dateStamp;
    this.secretAccessKey = secretAccessKey;
    this.scope = scope;
    this.scopeBytes = Utf8.encode(scope);
    this.generation = generation;
    this.innerPadState = innerPadState;
    this.outerPadState = outerPadState;
  }

  /**
   * kDate = HMAC("AWS4" + secret, date); kRegion; kService; kSigning = HMAC(kService,
   * "aws4_request").
   */
  static SigningKey derive(
      String dateStamp, String region, String service, String secretAccessKey, int generation) {
    byte[] kSecret = Utf8.encode("AWS4" + secretAccessKey);
    byte[] kDate = Sha256.hmac(kSecret, Utf8.encode(dateStamp));
    byte[] kRegion = Sha256.hmac(kDate, Utf8.encode(region));
    byte[] kService = Sha256.hmac(kRegion, Utf8.encode(service));
    byte[] kSigning = Sha256.hmac(kService, TERMINATOR);

    // kSigning (32 bytes) is shorter than the block, so the HMAC key block is kSigning + zeros.
    byte[] pad = new byte[BLOCK];
    for (int i = 0; i < BLOCK; i++) {
      pad[i] = (byte) ((i < kSigning.length ? kSigning[i] : 0) ^ 0x36);
    }
    Sha256 inner = new Sha256();
    inner.update(pad, 0, BLOCK);
    for (int i = 0; i < BLOCK; i++) {
      pad[i] = (byte) ((i < kSigning.length ? kSigning[i] : 0) ^ 0x5c);
    }
    Sha256 outer = new Sha256();
    outer.update(pad, 0, BLOCK);

    String scope = dateStamp + '/' + region + '/' + service + "/aws4_request";
    return new SigningKey(dateStamp, secretAccessKey, scope, generation, inner, outer);
  }

  /** True if this key is the one for {@code dateStamp} and {@code secretAccessKey}. */
  boolean isFor(String dateStamp, String secretAccessKey) {
    return this.dateStamp.equals(dateStamp) && this.secretAccessKey.equals(secretAccessKey);
  }

  /**
   * HMAC-SHA256 of {@code message} under this key, computed in {@code scratch} (any state; left
   * reset). The caller owns {@code scratch}; this object's own digests are only read.
   */
  byte[] mac(Sha256 scratch, byte[] message) {
    byte[] mac = new byte[32];
    macInto(scratch, message, 0, message.length, new byte[32], mac);
    return mac;
  }

  /**
   * HMAC-SHA256 of {@code message[off, off + len)} under this key into {@code out[0, 32)}, using
   * {@code innerHash} (32 bytes) as scratch; allocates nothing. Same contract for {@code scratch}
   * as {@link #mac}.
   */
  void macInto(Sha256 scratch, byte[] message, int off, int len, byte[] innerHash, byte[] out) {
    scratch.reset(innerPadState);
    scratch.update(message, off, len);
    scratch.doFinal(innerHash, 0);
    scratch.reset(outerPadState);
    scratch.update(innerHash, 0, 32);
    scratch.doFinal(out, 0);
  }
}
