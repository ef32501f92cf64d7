package dev.lambdagate.harness.emulator.lambda;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes invocations fail with 429 {@code TooManyRequestsException} on demand: the next N, or all
 * until switched off. Only invocations that passed authentication and name a known function count,
 * as with Lambda's own throttling.
 *
 * <p>Thread-safe: one atomic counter, so exactly N concurrent invocations are throttled.
 */
public final class ThrottleSwitch {

  private static final int ALL = -1;

  private final AtomicInteger remaining = new AtomicInteger();

  /** Throttles the next {@code count} invocations (replacing any earlier setting). */
  public void throttleNext(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0");
    }
    remaining.set(count);
  }

  /** Throttles every invocation until {@link #off()}. */
  public void throttleAll() {
    remaining.set(ALL);
  }

  /** Stops throttling. */
  public void off() {
    remaining.set(0);
  }

  /** How many more invocations will be throttled (0 when off; meaningless while throttling all). */
  public int remaining() {
    return Math.max(remaining.get(), 0);
  }

  /** Decides for one invocation: true means answer 429. */
  boolean throttleThisInvocation() {
    while (true) {
      int current = remaining.get();
      if (current == ALL) {
        return true;
      }
      if (current == 0) {
        return false;
      }
      if (remaining.compareAndSet(current, current - 1)) {
        return true;
      }
    }
  }
}
