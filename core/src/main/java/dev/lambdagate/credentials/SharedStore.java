package dev.lambdagate.credentials;

/**
 * Key-value data shared by every VM of the plugin on one proxy (proxy-wasm shared data), with
 * compare-and-swap: the filter implements it over {@code proxy_get/set_shared_data}.
 */
public interface SharedStore {
  /** A stored value and its CAS token; {@code value} is null when the key has none. */
  final class Entry {
    private final byte[] value;
    private final int cas;

    public Entry(byte[] value, int cas) {
      this.value = value;
      this.cas = cas;
    }

    public byte[] value() {
      return value;
    }

    public int cas() {
      return cas;
    }
  }

  Entry get(String key);

  /** Writes {@code value} if the key's CAS token is still {@code cas}; false when it changed. */
  boolean compareAndSet(String key, byte[] value, int cas);

  /** Nothing shared: every VM fetches its own credentials. */
  SharedStore NONE =
      new SharedStore() {
        @Override
        public Entry get(String key) {
          return new Entry(null, 0);
        }

        @Override
        public boolean compareAndSet(String key, byte[] value, int cas) {
          return true;
        }
      };
}
