package dev.lambdagate.sdk;

/**
 * An int-keyed hash map (open addressing, linear probing) for context ids and call tokens: looking
 * up a context on every callback must not box an {@code Integer}. Key 0 is reserved (proxy-wasm
 * never uses context id or token 0). Not thread-safe.
 */
public final class IntObjectMap<V> {
  private int[] keys;
  private Object[] values;
  private int size;

  public IntObjectMap() {
    keys = new int[64];
    values = new Object[64];
  }

  public int size() {
    return size;
  }

  @SuppressWarnings("unchecked")
  public V get(int key) {
    int mask = keys.length - 1;
    for (int i = mix(key) & mask; keys[i] != 0; i = (i + 1) & mask) {
      if (keys[i] == key) {
        return (V) values[i];
      }
    }
    return null;
  }

  public void put(int key, V value) {
    rawPut(key, value);
  }

  private void rawPut(int key, Object value) {
    if (key == 0) {
      throw new IllegalArgumentException("key 0 is reserved");
    }
    if ((size + 1) * 2 > keys.length) {
      resize(keys.length * 2);
    }
    int mask = keys.length - 1;
    int i = mix(key) & mask;
    while (keys[i] != 0 && keys[i] != key) {
      i = (i + 1) & mask;
    }
    if (keys[i] == 0) {
      size++;
    }
    keys[i] = key;
    values[i] = value;
  }

  @SuppressWarnings("unchecked")
  public V remove(int key) {
    int mask = keys.length - 1;
    int i = mix(key) & mask;
    while (keys[i] != key) {
      if (keys[i] == 0) {
        return null;
      }
      i = (i + 1) & mask;
    }
    V old = (V) values[i];
    keys[i] = 0;
    values[i] = null;
    size--;
    // Backward-shift the rest of the cluster so later lookups do not stop at the hole.
    for (int j = (i + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
      int k = keys[j];
      Object v = values[j];
      keys[j] = 0;
      values[j] = null;
      size--;
      rawPut(k, v);
    }
    return old;
  }

  private void resize(int capacity) {
    int[] oldKeys = keys;
    Object[] oldValues = values;
    keys = new int[capacity];
    values = new Object[capacity];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != 0) {
        rawPut(oldKeys[i], oldValues[i]);
      }
    }
  }

  private static int mix(int key) {
    int h = key * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
