package dev.lambdagate.controlplane.state;

import java.util.Comparator;

/**
 * Identifies one Kubernetes object: {@code kind}, {@code namespace}, {@code name}. Ordered so that
 * anything listed by key (golden files, status writes, logs) comes out in a stable order.
 */
public record ResourceKey(String kind, String namespace, String name)
    implements Comparable<ResourceKey> {
  private static final Comparator<ResourceKey> ORDER =
      Comparator.comparing(ResourceKey::kind)
          .thenComparing(ResourceKey::namespace)
          .thenComparing(ResourceKey::name);

  @Override
  public int compareTo(ResourceKey other) {
    return ORDER.compare(this, other);
  }

  /** {@code namespace/name}, the form used in messages and in the filter's backend ids. */
  public String namespacedName() {
    return namespace + "/" + name;
  }

  @Override
  public String toString() {
    return kind + " " + namespacedName();
  }
}
