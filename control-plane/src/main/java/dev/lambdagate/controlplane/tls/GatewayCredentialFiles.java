package dev.lambdagate.controlplane.tls;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File mode's xDS credentials in one directory (the control plane's {@code --tls-dir}):
 *
 * <pre>
 * ca.crt, ca.key                          the CA (created when absent, reused otherwise)
 * gateways/NAMESPACE/NAME/tls.crt         a Gateway's client certificate,
 * gateways/NAMESPACE/NAME/tls.key         its key,
 * gateways/NAMESPACE/NAME/ca.crt          and the CA certificate that verifies the server
 * </pre>
 *
 * The file names are the keys of the Kubernetes Secret a provisioned proxy mounts. Keys are written
 * owner-only; files are replaced atomically. A Gateway's certificate is re-issued when {@link
 * RenewalPolicy} says so or when another CA signed it.
 *
 * <p>Thread-safety: {@link #ensureGateway} is synchronized; creating the CA takes a file lock so
 * that two control planes sharing a directory agree on one CA.
 */
public final class GatewayCredentialFiles {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayCredentialFiles.class);
  public static final String CERT = "tls.crt";
  public static final String KEY = "tls.key";
  public static final String CA = "ca.crt";

  private final Path dir;
  private final CertificateAuthority ca;

  /** Where a Gateway's three files are. */
  public record Paths(Path certificate, Path privateKey, Path caCertificate) {}

  private GatewayCredentialFiles(Path dir, CertificateAuthority ca) {
    this.dir = dir;
    this.ca = ca;
  }

  /** Opens {@code dir} (created owner-only when absent), loading or creating the CA there. */
  public static GatewayCredentialFiles open(Path dir, Clock clock) throws IOException {
    createPrivateDirectories(dir);
    Path lockFile = dir.resolve(".lock");
    try (FileChannel ch =
            FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      Path cert = dir.resolve("ca.crt");
      Path key = dir.resolve("ca.key");
      CertificateAuthority ca = null;
      if (Files.exists(cert) && Files.exists(key)) {
        try {
          ca = CertificateAuthority.load(Files.readString(cert), Files.readString(key), clock);
          if (ca.expired()) {
            LOG.warn("the xDS CA in {} has expired: creating a new one", dir);
            ca = null;
          }
        } catch (IllegalArgumentException e) {
          throw new IOException(
              "--tls-dir "
                  + dir
                  + ": "
                  + e.getMessage()
                  + " (remove ca.crt and ca.key to start a new CA)",
              e);
        }
      }
      if (ca == null) {
        ca = CertificateAuthority.create(clock);
        write(key, ca.privateKeyPem(), true);
        write(cert, ca.certificatePem(), false);
        LOG.info("created the xDS CA in {}", dir);
      }
      return new GatewayCredentialFiles(dir, ca);
    }
  }

  public CertificateAuthority ca() {
    return ca;
  }

  public Path directory() {
    return dir;
  }

  /** Where Gateway {@code gateway}'s files are (whether or not they exist yet). */
  public Paths paths(String gateway) {
    Path g = dir.resolve("gateways").resolve(gateway);
    return new Paths(g.resolve(CERT), g.resolve(KEY), g.resolve(CA));
  }

  /**
   * Makes sure Gateway {@code gateway} ({@code ns/name}) has a current client certificate on disk
   * (issuing one when absent, due for renewal or signed by another CA); returns its paths.
   */
  public synchronized Paths ensureGateway(String gateway) throws IOException {
    GatewayIdentity.uri(gateway); // validates ns/name before it becomes a path
    Paths p = paths(gateway);
    if (current(p)) {
      return p;
    }
    createPrivateDirectories(p.certificate().getParent());
    IssuedCertificate issued = ca.issueGatewayClient(gateway);
    write(p.privateKey(), issued.privateKeyPem(), true);
    write(p.certificate(), issued.certificatePem(), false);
    write(p.caCertificate(), ca.certificatePem(), false);
    LOG.info(
        "issued the xDS client certificate of Gateway {} ({}), valid until {}",
        gateway,
        p.certificate(),
        issued.certificate().getNotAfter().toInstant());
    return p;
  }

  private boolean current(Paths p) {
    if (!Files.exists(p.certificate())
        || !Files.exists(p.privateKey())
        || !Files.exists(p.caCertificate())) {
      return false;
    }
    try {
      var cert =
          Pem.parseCertificate(Files.readString(p.certificate()), p.certificate().toString());
      cert.verify(ca.certificate().getPublicKey());
      return Files.readString(p.caCertificate()).equals(ca.certificatePem())
          && !RenewalPolicy.due(cert, ca.clock().instant());
    } catch (IOException | IllegalArgumentException | java.security.GeneralSecurityException e) {
      return false;
    }
  }

  private static void createPrivateDirectories(Path d) throws IOException {
    if (Files.isDirectory(d)) {
      return;
    }
    Files.createDirectories(d);
    try {
      Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
  }

  private static void write(Path file, String content, boolean secret) throws IOException {
    Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
    try {
      if (secret) {
        try {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system
        }
      } else {
        try {
          Files.setPosixFilePermissions(
              tmp, Set.copyOf(PosixFilePermissions.fromString("rw-r--r--")));
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system
        }
      }
      Files.writeString(tmp, content, StandardCharsets.US_ASCII);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
