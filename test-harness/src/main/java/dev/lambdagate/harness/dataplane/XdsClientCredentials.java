package dev.lambdagate.harness.dataplane;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The files the data plane authenticates to the control plane with, as the control plane writes
 * them for a Gateway (file mode's {@code --tls-dir}, or the Kubernetes Secret a proxy mounts): the
 * CA certificate that verifies the control plane, and the Gateway's client certificate and PKCS#8
 * key. Immutable.
 *
 * @param caCertificate PEM CA certificate ({@code ca.crt})
 * @param certificate PEM client certificate ({@code tls.crt})
 * @param privateKey PEM private key ({@code tls.key})
 */
public record XdsClientCredentials(Path caCertificate, Path certificate, Path privateKey) {
  public XdsClientCredentials {
    Objects.requireNonNull(caCertificate, "caCertificate");
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
  }

  /** The three files of a directory laid out like the Secret: ca.crt, tls.crt, tls.key. */
  public static XdsClientCredentials inDirectory(Path dir) {
    return new XdsClientCredentials(
        dir.resolve("ca.crt"), dir.resolve("tls.crt"), dir.resolve("tls.key"));
  }

  /** Throws naming the first file that is missing. */
  public XdsClientCredentials requireReadable() {
    for (Path p : new Path[] {caCertificate, certificate, privateKey}) {
      if (!Files.isReadable(p)) {
        throw new IllegalArgumentException("no such readable file: " + p);
      }
    }
    return this;
  }
}
