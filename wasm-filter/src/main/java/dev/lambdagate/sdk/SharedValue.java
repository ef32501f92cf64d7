package dev.lambdagate.sdk;

/** A value read from proxy-wasm shared data, with the CAS token that guards its next write. */
public final class SharedValue {
  private final byte[] value;
  private final int cas;

  public SharedValue(byte[] value, int cas) {
    this.value = value;
    this.cas = cas;
  }

  /** The stored bytes, or null when the key has no value yet. */
  public byte[] value() {
    return value;
  }

  public int cas() {
    return cas;
  }
}
