package dev.lambdagate.controlplane.model;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable map that is another immutable map with a few entries replaced, added or removed:
 * what {@link ModelPatcher} makes of a model's generations when a few objects changed, instead of
 * copying 20,000 entries twice (once to change them, once in {@link Model}'s constructor).
 * Overlaying an overlaid map merges the two overlays over the first base, so a lookup is at most
 * two; when the overlay grows past an eighth of the base the whole is copied into a plain map.
 * Values are never null. Iteration is the base's order (without the removed keys), then the added
 * keys.
 */
final class OverlaidMap<K, V> extends AbstractMap<K, V> {
  private final Map<K, V> base;

  /** Values of keys of the base that changed, and of keys the base does not have. */
  private final Map<K, V> top;

  /** Keys of the base that are gone; none of them is in {@link #top}. */
  private final Set<K> removed;

  private final int size;

  private OverlaidMap(Map<K, V> base, Map<K, V> top, Set<K> removed) {
    this.base = base;
    this.top = top;
    this.removed = removed;
    int added = 0;
    for (K k : top.keySet()) {
      if (!base.containsKey(k)) {
        added++;
      }
    }
    this.size = base.size() - removed.size() + added;
  }

  /** {@code base} (immutable) without {@code removals}, then with {@code changes} put in. */
  static <K, V> Map<K, V> of(Map<K, V> base, Map<K, V> changes, Collection<K> removals) {
    Map<K, V> under = base;
    Map<K, V> top = new HashMap<>();
    Set<K> removed = new HashSet<>();
    if (base instanceof OverlaidMap<K, V> o) {
      under = o.base;
      top.putAll(o.top);
      removed.addAll(o.removed);
    }
    for (K k : removals) {
      top.remove(k);
      if (under.containsKey(k)) {
        removed.add(k);
      }
    }
    for (Map.Entry<K, V> e : changes.entrySet()) {
      if (e.getValue() == null) {
        throw new IllegalArgumentException("null value for " + e.getKey());
      }
      removed.remove(e.getKey());
      top.put(e.getKey(), e.getValue());
    }
    OverlaidMap<K, V> overlaid = new OverlaidMap<>(under, top, removed);
    if (top.size() + removed.size() > under.size() / 8) {
      return Map.copyOf(new HashMap<>(overlaid));
    }
    return overlaid;
  }

  @Override
  public V get(Object key) {
    V v = top.get(key);
    if (v != null || removed.contains(key)) {
      return v;
    }
    return base.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return top.containsKey(key) || (!removed.contains(key) && base.containsKey(key));
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Set<Map.Entry<K, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public Iterator<Map.Entry<K, V>> iterator() {
        Iterator<Map.Entry<K, V>> inBase = base.entrySet().iterator();
        Iterator<Map.Entry<K, V>> inTop = top.entrySet().iterator();
        return new Iterator<>() {
          private Map.Entry<K, V> next = advance();

          private Map.Entry<K, V> advance() {
            while (inBase.hasNext()) {
              Map.Entry<K, V> e = inBase.next();
              if (removed.contains(e.getKey())) {
                continue;
              }
              V v = top.get(e.getKey());
              return v == null ? e : new AbstractMap.SimpleImmutableEntry<>(e.getKey(), v);
            }
            while (inTop.hasNext()) {
              Map.Entry<K, V> e = inTop.next();
              if (!base.containsKey(e.getKey())) {
                return new AbstractMap.SimpleImmutableEntry<>(e);
              }
            }
            return null;
          }

          @Override
          public boolean hasNext() {
            return next != null;
          }

          @Override
          public Map.Entry<K, V> next() {
            if (next == null) {
              throw new NoSuchElementException();
            }
            Map.Entry<K, V> out = next;
            next = advance();
            return out;
          }
        };
      }
    };
  }
}
