package dev.lambdagate.credentials;

/**
 * What a credentials provider reports for metrics: each fetch of the credentials it serves ends in
 * one call, {@link #refreshed} or {@link #refreshFailed}. Called on the provider's thread (a Wasm
 * VM is single-threaded); an implementation must not throw.
 */
public interface CredentialsEvents {
  /** Reports nothing. */
  CredentialsEvents NONE =
      new CredentialsEvents() {
        @Override
        public void refreshed() {}

        @Override
        public void refreshFailed() {}
      };

  /** A fetch obtained fresh credentials (adopting another VM's shared ones is not a fetch). */
  void refreshed();

  /** A fetch failed; the provider backs off before the next one. */
  void refreshFailed();
}
