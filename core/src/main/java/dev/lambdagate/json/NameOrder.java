package dev.lambdagate.json;

/**
 * The order of a list of names, as indexes: by name ({@link String#compareTo}), equal names in
 * their list order. A stable merge sort of {@code int}s, {@code n log n} comparisons whatever the
 * names are: where a client or a function picks the names, it picks their hash codes too, so
 * neither a hash table nor comparing every pair would bound the cost. Used for JSON member names
 * and query parameter names.
 */
public final class NameOrder {

  private NameOrder() {}

  /** The indexes {@code 0..count-1} of {@code names}, ordered by name, then by index. */
  public static int[] of(String[] names, int count) {
    int[] order = new int[count];
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    if (count < 2) {
      return order;
    }
    int[] scratch = new int[count];
    for (int width = 1; width < count; width *= 2) {
      for (int from = 0; from < count - width; from += 2 * width) {
        int middle = from + width;
        int to = from + 2 * width < count ? from + 2 * width : count;
        int left = from;
        int right = middle;
        int out = from;
        while (left < middle && right < to) {
          scratch[out++] =
              names[order[right]].compareTo(names[order[left]]) < 0
                  ? order[right++]
                  : order[left++];
        }
        while (left < middle) {
          scratch[out++] = order[left++];
        }
        while (right < to) {
          scratch[out++] = order[right++];
        }
        System.arraycopy(scratch, from, order, from, to - from);
      }
    }
    return order;
  }
}
