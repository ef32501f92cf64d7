package dev.lambdagate.harness.host;

import java.time.Clock;
import java.time.Instant;

/** Where a {@link FilterVm} reads wall-clock time: the system clock, or a fixed instant. */
@FunctionalInterface
public interface HostClock {
  HostClock SYSTEM = of(Clock.systemUTC());

  /** Nanoseconds since the Unix epoch. */
  long epochNanos();

  static HostClock fixed(Instant instant) {
    long nanos = epochNanos(instant);
    return () -> nanos;
  }

  /**
   * The instants of {@code clock}, read on each call (a settable clock moves the filter's time).
   */
  static HostClock of(Clock clock) {
    return () -> epochNanos(clock.instant());
  }

  private static long epochNanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
