package dev.lambdagate.harness.emulator.credentials;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access keys the emulators accept, by access key id. One store can be shared by a Lambda
 * emulator and an STS emulator in the same JVM, so that credentials STS issues are accepted by
 * Lambda; expired session credentials stay in the store so that Lambda can answer {@code
 * ExpiredTokenException} instead of "unknown key".
 *
 * <p>Thread-safe: backed by a {@link ConcurrentHashMap}; STS adds while Lambda reads.
 */
public final class CredentialStore {

  /** The access key id of the documented test key pair (AWS's own SigV4 example key). */
  public static final String TEST_ACCESS_KEY_ID = "AKIDEXAMPLE";

  /** The secret of the documented test key pair (AWS's own SigV4 example key). */
  public static final String TEST_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

  private final Map<String, StoredCredential> byAccessKeyId = new ConcurrentHashMap<>();

  /** An empty store. */
  public CredentialStore() {}

  /** A store holding only the documented test key pair. */
  public static CredentialStore withTestKeyPair() {
    CredentialStore store = new CredentialStore();
    store.add(testKeyPair());
    return store;
  }

  /** The documented test key pair as a credential. */
  public static StoredCredential testKeyPair() {
    return StoredCredential.longTerm(TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY);
  }

  /** Adds a credential, replacing any with the same access key id. */
  public void add(StoredCredential credential) {
    byAccessKeyId.put(credential.accessKeyId(), credential);
  }

  /** Adds each credential. */
  public void addAll(Iterable<StoredCredential> credentials) {
    credentials.forEach(this::add);
  }

  /** Forgets one access key (later requests with it get "unknown key"). */
  public void remove(String accessKeyId) {
    byAccessKeyId.remove(accessKeyId);
  }

  /** The credential for an access key id, if known. */
  public Optional<StoredCredential> find(String accessKeyId) {
    return Optional.ofNullable(byAccessKeyId.get(accessKeyId));
  }

  /** A snapshot of every stored credential. */
  public List<StoredCredential> all() {
    return List.copyOf(byAccessKeyId.values());
  }

  @Override
  public String toString() {
    return "CredentialStore[" + byAccessKeyId.size() + " keys]";
  }
}
