package dev.lambdagate.controlplane.model;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * An immutable map that is another immutable map with some of its values replaced: what {@link
 * ModelPatcher} makes of a model's generations when a few objects changed, instead of copying
 * 20,000 entries twice (once to change them, once in {@link Model}'s constructor). Keys are never
 * added or removed, so the size and the order of iteration are the base's. Overlaying an overlaid
 * map merges the two overlays over the first base, so a lookup is at most two; when the overlay
 * grows past an eighth of the base the whole is copied into a plain map. Values are never null.
 */
final class OverlaidMap<K, V> extends AbstractMap<K, V> {
  private final Map<K, V> base;
  private final Map<K, V> top;

  private OverlaidMap(Map<K, V> base, Map<K, V> top) {
    this.base = base;
    this.top = top;
  }

  /**
   * {@code base} (immutable) with the values of {@code changes}, whose keys must all be in it; null
   * when one is not (the caller copies instead).
   */
  static <K, V> Map<K, V> of(Map<K, V> base, Map<K, V> changes) {
    Map<K, V> under = base;
    Map<K, V> top = new HashMap<>();
    if (base instanceof OverlaidMap<K, V> o) {
      under = o.base;
      top.putAll(o.top);
    }
    for (Map.Entry<K, V> e : changes.entrySet()) {
      if (e.getValue() == null || !under.containsKey(e.getKey())) {
        return null;
      }
      top.put(e.getKey(), e.getValue());
    }
    if (top.size() > under.size() / 8) {
      Map<K, V> all = new HashMap<>(under);
      all.putAll(top);
      return Map.copyOf(all);
    }
    return new OverlaidMap<>(under, top);
  }

  @Override
  public V get(Object key) {
    V v = top.get(key);
    return v != null ? v : base.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return base.containsKey(key);
  }

  @Override
  public int size() {
    return base.size();
  }

  @Override
  public Set<Map.Entry<K, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return base.size();
      }

      @Override
      public Iterator<Map.Entry<K, V>> iterator() {
        Iterator<Map.Entry<K, V>> it = base.entrySet().iterator();
        return new Iterator<>() {
          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public Map.Entry<K, V> next() {
            Map.Entry<K, V> e = it.next();
            V v = top.get(e.getKey());
            return v == null ? e : new AbstractMap.SimpleImmutableEntry<>(e.getKey(), v);
          }
        };
      }
    };
  }
}
