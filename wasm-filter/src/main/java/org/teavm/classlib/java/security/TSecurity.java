package org.teavm.classlib.java.security;

/**
 * TeaVM's stand-in for {@code java.security.Security}.
 *
 * <p>TeaVM replaces every reference to {@code java.security.Security} with this class, which its
 * own class library does not provide. BouncyCastle reads optional security properties through
 * {@code Security.getProperty} (for example to look up algorithm constraints); the Wasm build has
 * no security properties, so every lookup answers "not set", which is what BouncyCastle already
 * expects when a property is absent. Stateless, hence thread-safe.
 */
public final class TSecurity {
  private TSecurity() {}

  /** Always null: no security property is ever set in the Wasm module. */
  public static String getProperty(String key) {
    return null;
  }
}
