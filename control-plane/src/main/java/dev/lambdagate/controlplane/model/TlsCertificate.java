package dev.lambdagate.controlplane.model;

/**
 * A certificate chain and its private key, read from a {@code kubernetes.io/tls} Secret and checked
 * ({@link ListenerCertificates}): what an HTTPS listener presents. Immutable; thread-safe.
 *
 * <p>{@link #toString()} names the Secret only: a model is printed in logs and test failures, and
 * the key must never be.
 *
 * @param secretId the Secret, {@code ns/name}
 * @param certificateChain PEM, leaf first, as in {@code tls.crt}
 * @param privateKey PEM, as in {@code tls.key}
 */
public record TlsCertificate(String secretId, String certificateChain, String privateKey) {
  @Override
  public String toString() {
    return "TlsCertificate[secret=" + secretId + "]";
  }
}
