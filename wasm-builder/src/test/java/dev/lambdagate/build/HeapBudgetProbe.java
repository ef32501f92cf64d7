package dev.lambdagate.build;

/**
 * Entry point of a probe module built with the filter's TeaVM settings ({@link HeapBudgetTest}):
 * keeps allocating byte arrays whose sizes run through every residue mod 8 (the heap-growth trap
 * depended on it) until the last argument's MiB are live, then prints {@code allocated N}. Compiled
 * to Wasm only; never run on the JVM.
 */
public final class HeapBudgetProbe {
  private HeapBudgetProbe() {}

  public static void main(String[] args) {
    long target = Long.parseLong(args[args.length - 1]) * 1024 * 1024;
    byte[][] live = new byte[4096][];
    long total = 0;
    int n = 0;
    while (total < target) {
      // 1 MiB + 0..7 bytes, with a few larger arrays among them as payload buffers would be.
      int size = (n % 10 == 9 ? 6 * 1024 * 1024 : 1024 * 1024) + n % 8;
      byte[] array = new byte[size];
      array[size - 1] = (byte) n;
      live[n++] = array;
      total += size;
    }
    long check = 0;
    for (int i = 0; i < n; i++) {
      check += live[i].length;
    }
    System.out.println("allocated " + check);
  }
}
