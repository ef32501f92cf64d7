package dev.lambdagate.sdk;

import dev.lambdagate.json.Utf8;

/**
 * A property path as {@code proxy_get_property} takes it: the segments in UTF-8 joined by NUL, as
 * the proxy-wasm SDKs serialise it. Encoded once, so a path read on every request costs no
 * encoding. Immutable.
 */
public final class PropertyPath {
  private final byte[] encoded;

  private PropertyPath(byte[] encoded) {
    this.encoded = encoded;
  }

  /** The path of {@code segments}, e.g. {@code of("xds", "cluster_name")}. */
  public static PropertyPath of(String... segments) {
    int size = 0;
    byte[][] parts = new byte[segments.length][];
    for (int i = 0; i < segments.length; i++) {
      parts[i] = Utf8.encode(segments[i]);
      size += parts[i].length + 1;
    }
    byte[] joined = new byte[Math.max(0, size - 1)];
    int pos = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, joined, pos, part.length);
      pos += part.length + 1;
    }
    return new PropertyPath(joined);
  }

  /** The encoded bytes; callers must not change them. */
  byte[] encoded() {
    return encoded;
  }
}
