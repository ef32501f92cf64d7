package dev.lambdagate.controlplane.state;

import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Binary search in a list sorted by a key its elements do not hold as such (a backend's id, a
 * cluster's name, an object's namespace and name): the model patcher, the translator and the
 * informer listings each put one object in place in a sorted list of 10,000.
 */
public final class SortedSearch {
  private SortedSearch() {}

  /**
   * Where the wanted element is in {@code sorted}, or {@code -(insertion point) - 1}, as {@link
   * java.util.Collections#binarySearch} answers.
   *
   * @param comparedToWanted for an element, negative when it sorts before the wanted one, zero when
   *     it is the wanted one, positive when after (the list's order)
   */
  public static <T> int indexOf(List<T> sorted, ToIntFunction<? super T> comparedToWanted) {
    int lo = 0;
    int hi = sorted.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = comparedToWanted.applyAsInt(sorted.get(mid));
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -(lo + 1);
  }
}
