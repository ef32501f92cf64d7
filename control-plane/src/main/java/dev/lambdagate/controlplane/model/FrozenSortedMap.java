package dev.lambdagate.controlplane.model;

import java.util.AbstractMap;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A sorted map that {@link Model} copied and nobody can change, so that a model made from another
 * model's map (a patch that left it as it was) takes it as it is instead of copying 10,000 entries
 * again: {@link #of} copies anything else once.
 */
final class FrozenSortedMap<K, V> extends AbstractMap<K, V> implements SortedMap<K, V> {
  private final SortedMap<K, V> view;

  private FrozenSortedMap(SortedMap<K, V> copy) {
    this.view = Collections.unmodifiableSortedMap(copy);
  }

  /** {@code map} when it is frozen already, else a frozen copy of it. */
  static <K, V> SortedMap<K, V> of(SortedMap<K, V> map) {
    return map instanceof FrozenSortedMap<K, V> f ? f : new FrozenSortedMap<>(new TreeMap<>(map));
  }

  @Override
  public V get(Object key) {
    return view.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return view.containsKey(key);
  }

  @Override
  public int size() {
    return view.size();
  }

  @Override
  public Set<Map.Entry<K, V>> entrySet() {
    return view.entrySet();
  }

  @Override
  public Set<K> keySet() {
    return view.keySet();
  }

  @Override
  public Collection<V> values() {
    return view.values();
  }

  @Override
  public Comparator<? super K> comparator() {
    return view.comparator();
  }

  @Override
  public SortedMap<K, V> subMap(K fromKey, K toKey) {
    return view.subMap(fromKey, toKey);
  }

  @Override
  public SortedMap<K, V> headMap(K toKey) {
    return view.headMap(toKey);
  }

  @Override
  public SortedMap<K, V> tailMap(K fromKey) {
    return view.tailMap(fromKey);
  }

  @Override
  public K firstKey() {
    return view.firstKey();
  }

  @Override
  public K lastKey() {
    return view.lastKey();
  }
}
