package dev.lambdagate.harness.emulator.sts;

import java.util.Optional;

/**
 * Makes the STS emulator fail on demand: the next N calls, or all calls until switched off. Every
 * call counts, whatever its action. Thread-safe: synchronised.
 */
public final class StsFailureSwitch {

  private StsFailure failure;
  private int remaining; // -1: every call

  /** Fails the next {@code count} calls with {@code failure} (replacing any earlier setting). */
  public synchronized void failNext(StsFailure failure, int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0");
    }
    this.failure = failure;
    this.remaining = count;
  }

  /** Fails every call with {@code failure} until {@link #off()}. */
  public synchronized void failAll(StsFailure failure) {
    this.failure = failure;
    this.remaining = -1;
  }

  /** Stops failing. */
  public synchronized void off() {
    this.failure = null;
    this.remaining = 0;
  }

  /** The failure for this call, if one is due; consumes one of the next N. */
  synchronized Optional<StsFailure> failureForThisCall() {
    if (failure == null || remaining == 0) {
      return Optional.empty();
    }
    if (remaining > 0) {
      remaining--;
    }
    return Optional.of(failure);
  }
}
