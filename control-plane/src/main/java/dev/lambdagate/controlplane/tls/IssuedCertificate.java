package dev.lambdagate.controlplane.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A certificate and its private key as issued by {@link CertificateAuthority}. Immutable.
 *
 * @param certificate the certificate
 * @param privateKey its key (never logged)
 */
public record IssuedCertificate(X509Certificate certificate, PrivateKey privateKey) {
  public IssuedCertificate {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
  }

  public String certificatePem() {
    return Pem.certificate(certificate);
  }

  public String privateKeyPem() {
    return Pem.privateKey(privateKey);
  }

  @Override
  public String toString() {
    return "IssuedCertificate["
        + certificate.getSubjectX500Principal()
        + ", until "
        + certificate.getNotAfter().toInstant()
        + "]";
  }
}
