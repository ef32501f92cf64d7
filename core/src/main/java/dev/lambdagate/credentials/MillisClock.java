package dev.lambdagate.credentials;

/** Where the credentials code reads the time: the host's clock in the filter, a fake in tests. */
@FunctionalInterface
public interface MillisClock {
  /** Milliseconds since 1970-01-01T00:00:00Z. */
  long nowMillis();
}
