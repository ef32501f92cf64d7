package dev.lambdagate.controlplane.tls;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ADS server's TLS: its certificate, issued by the control plane's {@link CertificateAuthority}
 * for the names Envoys connect to, and client authentication required against that CA alone (so
 * only Gateways' client certificates get in). The server certificate is re-issued in place by
 * {@link #renewIfDue()}; every new handshake uses the current one.
 *
 * <p>Thread-safety: safe for concurrent handshakes and renewal.
 */
public final class XdsServerTls {
  private static final Logger LOG = LoggerFactory.getLogger(XdsServerTls.class);
  private static final String ALIAS = "xds";

  private final CertificateAuthority ca;
  private final List<String> dnsNames;
  private final List<String> ipAddresses;
  private volatile IssuedCertificate current;

  private XdsServerTls(CertificateAuthority ca, List<String> dnsNames, List<String> ips) {
    this.ca = ca;
    this.dnsNames = List.copyOf(dnsNames);
    this.ipAddresses = List.copyOf(ips);
    this.current = ca.issueServer(this.dnsNames, this.ipAddresses);
  }

  /**
   * For the Service {@code service} in {@code namespace}: {@code <svc>}, {@code <svc>.<ns>}, {@code
   * <svc>.<ns>.svc}, {@code <svc>.<ns>.svc.cluster.local}, {@code localhost} and 127.0.0.1.
   */
  public static XdsServerTls forService(CertificateAuthority ca, String service, String namespace) {
    return new XdsServerTls(
        ca,
        List.of(
            service,
            service + "." + namespace,
            service + "." + namespace + ".svc",
            service + "." + namespace + ".svc.cluster.local",
            "localhost"),
        List.of("127.0.0.1"));
  }

  /** For a control plane reached on this machine: {@code localhost} and 127.0.0.1. */
  public static XdsServerTls forLoopback(CertificateAuthority ca) {
    return new XdsServerTls(ca, List.of("localhost"), List.of("127.0.0.1"));
  }

  public CertificateAuthority ca() {
    return ca;
  }

  /** The DNS names of the server certificate, first the one proxies are told to expect. */
  public List<String> dnsNames() {
    return dnsNames;
  }

  /** The server certificate in use now. */
  public X509Certificate serverCertificate() {
    return current.certificate();
  }

  /** Re-issues the server certificate when {@link RenewalPolicy} says so; true if it did. */
  public synchronized boolean renewIfDue() {
    if (!RenewalPolicy.due(current.certificate(), ca.clock().instant())) {
      return false;
    }
    current = ca.issueServer(dnsNames, ipAddresses);
    LOG.info(
        "xDS server certificate re-issued, valid until {}",
        current.certificate().getNotAfter().toInstant());
    return true;
  }

  /** gRPC server credentials: TLS with this certificate, client certificates required. */
  public ServerCredentials credentials() {
    return TlsServerCredentials.newBuilder()
        .keyManager(new CurrentKeyManager())
        .trustManager(trustManagers(ca.certificate()))
        .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
        .build();
  }

  /** Trust managers that accept exactly the chains issued by {@code caCertificate}. */
  public static TrustManager[] trustManagers(X509Certificate caCertificate) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("lambdagate-xds-ca", caCertificate);
      TrustManagerFactory f =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      f.init(store);
      return f.getTrustManagers();
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot build the xDS trust store", e);
    }
  }

  /** Always offers the current server certificate. */
  private final class CurrentKeyManager extends X509ExtendedKeyManager {
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return ec(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return ec(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine e) {
      return ec(keyType) ? ALIAS : null;
    }

    /** The key is EC P-256: offer it only for EC key types (JDK "EC", netty "EC_EC"...). */
    private boolean ec(String keyType) {
      return keyType == null || keyType.startsWith("EC");
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return ALIAS.equals(alias) ? new X509Certificate[] {current.certificate()} : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return ALIAS.equals(alias) ? current.privateKey() : null;
    }
  }
}
