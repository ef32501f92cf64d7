package dev.lambdagate.controlplane.state;

import java.util.Comparator;
import java.util.List;

/**
 * What differs between two lists sorted in the same strict order, found by one merge walk: the
 * model patcher's HTTPRoutes (by namespace and name) and the translator's backends (by id). An
 * element present in both as the same instance is unchanged and skipped without comparing.
 */
public final class SortedDiff {
  private SortedDiff() {}

  /** Told of each difference; answers false to stop the walk. */
  @FunctionalInterface
  public interface Visitor<T> {
    /**
     * @param before the element in the first list, null for one only in the second (created)
     * @param now the element in the second list, null for one only in the first (deleted); both set
     *     for the same key held by another instance (changed)
     */
    boolean visit(T before, T now);
  }

  /**
   * Calls {@code visitor} for each difference between {@code before} and {@code now}, in order;
   * false when the visitor stopped the walk.
   */
  public static <T> boolean walk(
      List<T> before, List<T> now, Comparator<? super T> order, Visitor<T> visitor) {
    int i = 0;
    int j = 0;
    while (i < before.size() || j < now.size()) {
      T a = i < before.size() ? before.get(i) : null;
      T b = j < now.size() ? now.get(j) : null;
      if (a == b) {
        i++;
        j++;
        continue;
      }
      int c = a == null ? 1 : b == null ? -1 : order.compare(a, b);
      if (!visitor.visit(c <= 0 ? a : null, c >= 0 ? b : null)) {
        return false;
      }
      if (c <= 0) {
        i++;
      }
      if (c >= 0) {
        j++;
      }
    }
    return true;
  }
}
