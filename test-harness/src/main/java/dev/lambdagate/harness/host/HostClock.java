package dev.lambdagate.harness.host;

import java.time.Instant;

/** Where a {@link FilterVm} reads wall-clock time: the system clock, or a fixed instant. */
@FunctionalInterface
public interface HostClock {
  HostClock SYSTEM =
      () -> {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
      };

  /** Nanoseconds since the Unix epoch. */
  long epochNanos();

  static HostClock fixed(Instant instant) {
    long nanos = instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    return () -> nanos;
  }
}
