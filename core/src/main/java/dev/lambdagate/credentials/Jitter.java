package dev.lambdagate.credentials;

/**
 * A source of random spreads for refresh and retry times, so VMs (and proxies) that got their
 * credentials at the same moment do not all call STS at the same moment again. Not cryptographic;
 * not thread-safe (a Wasm VM is single-threaded).
 */
public interface Jitter {
  /** A value in {@code [0, bound)}; 0 when {@code bound <= 0}. */
  long below(long bound);

  /** No jitter: always 0 (tests that want exact times). */
  Jitter NONE = bound -> 0;

  /** An xorshift64* generator from {@code seed} (e.g. the host time at start). */
  static Jitter xorShift(long seed) {
    return new Jitter() {
      private long state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;

      @Override
      public long below(long bound) {
        if (bound <= 0) {
          return 0;
        }
        state ^= state >>> 12;
        state ^= state << 25;
        state ^= state >>> 27;
        long value = (state * 0x2545F4914F6CDD1DL) >>> 1; // non-negative
        return value % bound;
      }
    };
  }
}
