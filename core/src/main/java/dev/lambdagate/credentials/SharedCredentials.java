package dev.lambdagate.credentials;

/**
 * Fetched credentials shared between the VMs of one proxy through a {@link SharedStore} under one
 * key: a VM whose credentials are due adopts fresher ones another VM fetched, and a VM that fetched
 * offers its own. Stateless; the store does the sharing. Nothing here logs a credential.
 */
final class SharedCredentials {
  private SharedCredentials() {}

  /**
   * Takes the entry under {@code key} into {@code state} when it expires later than the current
   * credentials and is not itself due for refresh at {@code now}.
   *
   * @return whether the shared entry was adopted
   */
  static boolean adopt(SharedStore shared, String key, CredentialsRefresher state, long now) {
    SharedCredentialsCodec.Stored stored = SharedCredentialsCodec.decode(shared.get(key).value());
    if (stored == null) {
      return false;
    }
    ExpiringCredentials mine = state.current();
    if (mine != null && mine.expirationMillis() >= stored.credentials().expirationMillis()) {
      return false;
    }
    if (CredentialsRefresher.refreshTime(
            stored.obtainedMillis(), stored.credentials().expirationMillis())
        <= now) {
      return false; // as stale as ours: fetch
    }
    state.succeeded(stored.obtainedMillis(), stored.credentials());
    return true;
  }

  /** Offers fetched credentials to the other VMs, unless they already hold later ones. */
  static void publish(
      SharedStore shared, String key, long obtainedMillis, ExpiringCredentials credentials) {
    byte[] encoded = SharedCredentialsCodec.encode(obtainedMillis, credentials);
    for (int attempt = 0; attempt < 2; attempt++) {
      SharedStore.Entry entry = shared.get(key);
      SharedCredentialsCodec.Stored stored = SharedCredentialsCodec.decode(entry.value());
      if (stored != null
          && stored.credentials().expirationMillis() >= credentials.expirationMillis()) {
        return;
      }
      if (shared.compareAndSet(key, encoded, entry.cas())) {
        return;
      }
    }
  }
}
