package dev.lambdagate.controlplane.tls;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * When a certificate is re-issued: once less than a third of its lifetime remains (for the 30-day
 * leaf certificates, from day 20 on), or when it is not valid yet. Stateless.
 */
public final class RenewalPolicy {
  private RenewalPolicy() {}

  /** Whether {@code cert} should be replaced at {@code now}. */
  public static boolean due(X509Certificate cert, Instant now) {
    Instant from = cert.getNotBefore().toInstant();
    Instant to = cert.getNotAfter().toInstant();
    if (now.isBefore(from)) {
      return true;
    }
    Duration lifetime = Duration.between(from, to);
    return Duration.between(now, to).compareTo(lifetime.dividedBy(3)) < 0;
  }
}
