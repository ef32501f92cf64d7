package dev.lambdagate.credentials;

import dev.lambdagate.sigv4.Credentials;

/**
 * Where a backend's AWS credentials come from. One provider per source, as in Envoy's {@code
 * source/extensions/common/aws}: inline keys now; providers that fetch from STS report {@code null}
 * until they hold valid credentials.
 */
public interface CredentialsProvider {
  /** Credentials valid now, or null when none are available yet. */
  Credentials credentials();
}
