package dev.lambdagate.controlplane.state;

/**
 * Identifies one Kubernetes object: {@code kind}, {@code namespace}, {@code name}. Ordered so that
 * anything listed by key (golden files, status writes, logs) comes out in a stable order.
 */
public record ResourceKey(String kind, String namespace, String name)
    implements Comparable<ResourceKey> {
  /**
   * By kind, then namespace, then name (written out: keys are compared by the hundred thousand).
   */
  @Override
  public int compareTo(ResourceKey other) {
    int c = kind.compareTo(other.kind);
    if (c != 0) {
      return c;
    }
    c = namespace.compareTo(other.namespace);
    return c != 0 ? c : name.compareTo(other.name);
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
