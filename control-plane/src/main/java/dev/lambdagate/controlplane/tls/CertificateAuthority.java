package dev.lambdagate.controlplane.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The control plane's own certificate authority for mutual TLS on ADS. EC P-256 keys, ECDSA SHA-256
 * signatures. The CA certificate is self-signed and valid {@link #CA_LIFETIME}; it issues the
 * control plane's server certificate and one client certificate per Gateway (identity in {@link
 * GatewayIdentity}), each valid {@link #LEAF_LIFETIME} and re-issued by its holder when {@link
 * RenewalPolicy} says so.
 *
 * <p>Thread-safety: immutable; issuing is safe from any thread.
 */
public final class CertificateAuthority {
  /** Lifetime of the CA certificate. Replacing it is an operator's act (see docs). */
  public static final Duration CA_LIFETIME = Duration.ofDays(3650);

  /** Lifetime of server and Gateway client certificates. */
  public static final Duration LEAF_LIFETIME = Duration.ofDays(30);

  /** Issued certificates start this much before "now" so that small clock skew is harmless. */
  static final Duration BACKDATE = Duration.ofMinutes(5);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey key;
  private final Clock clock;

  private CertificateAuthority(X509Certificate certificate, PrivateKey key, Clock clock) {
    this.certificate = certificate;
    this.key = key;
    this.clock = clock;
  }

  /** A new CA with a fresh key pair. */
  public static CertificateAuthority create(Clock clock) {
    KeyPair pair = newKeyPair();
    Instant now = clock.instant();
    X500Name name = new X500Name("CN=lambdagate xDS CA");
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
                  name,
                  serial(),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(now.plus(CA_LIFETIME)),
                  name,
                  pair.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(pair.getPublic()));
      return new CertificateAuthority(sign(b, pair.getPrivate()), pair.getPrivate(), clock);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create the xDS CA", e);
    }
  }

  /** The CA stored as PEM (as written by {@link #certificatePem()}/{@link #privateKeyPem()}). */
  public static CertificateAuthority load(String certificatePem, String keyPem, Clock clock) {
    X509Certificate cert = Pem.parseCertificate(certificatePem, "xDS CA certificate");
    PrivateKey key = Pem.parsePrivateKey(keyPem, "xDS CA key");
    if (cert.getBasicConstraints() < 0) {
      throw new IllegalArgumentException("xDS CA certificate: not a CA certificate");
    }
    return new CertificateAuthority(cert, key, clock);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public String certificatePem() {
    return Pem.certificate(certificate);
  }

  /** The CA's private key as PEM: only for persisting the CA where the control plane reads it. */
  public String privateKeyPem() {
    return Pem.privateKey(key);
  }

  /** Whether the CA certificate is expired or not valid yet at the clock's now. */
  public boolean expired() {
    Instant now = clock.instant();
    return now.isAfter(certificate.getNotAfter().toInstant())
        || now.isBefore(certificate.getNotBefore().toInstant());
  }

  public Clock clock() {
    return clock;
  }

  /** The control plane's server certificate for {@code dnsNames} and {@code ipAddresses}. */
  public IssuedCertificate issueServer(List<String> dnsNames, List<String> ipAddresses) {
    List<GeneralName> names = new ArrayList<>();
    for (String dns : dnsNames) {
      names.add(new GeneralName(GeneralName.dNSName, dns));
    }
    for (String ip : ipAddresses) {
      names.add(new GeneralName(GeneralName.iPAddress, ip));
    }
    String cn = dnsNames.isEmpty() ? "lambdagate-control-plane" : dnsNames.get(0);
    return issue(
        "CN=" + cn,
        names,
        KeyPurposeId.id_kp_serverAuth,
        KeyUsage.digitalSignature | KeyUsage.keyAgreement);
  }

  /** The xDS client certificate of Gateway {@code gateway} ({@code ns/name}). */
  public IssuedCertificate issueGatewayClient(String gateway) {
    String uri = GatewayIdentity.uri(gateway);
    return issue(
        "CN=" + gateway.replace('/', '.') + ",O=lambdagate gateways",
        List.of(new GeneralName(GeneralName.uniformResourceIdentifier, uri)),
        KeyPurposeId.id_kp_clientAuth,
        KeyUsage.digitalSignature | KeyUsage.keyAgreement);
  }

  private IssuedCertificate issue(
      String subject, List<GeneralName> sans, KeyPurposeId purpose, int usage) {
    KeyPair pair = newKeyPair();
    Instant now = clock.instant();
    Instant notAfter = now.plus(LEAF_LIFETIME);
    if (notAfter.isAfter(certificate.getNotAfter().toInstant())) {
      notAfter = certificate.getNotAfter().toInstant(); // never outlive the issuer
    }
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      PublicKey pub = pair.getPublic();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
                  certificate,
                  serial(),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(notAfter),
                  new X500Name(subject),
                  pub)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(usage))
              .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
              .addExtension(
                  Extension.subjectAlternativeName,
                  false,
                  new GeneralNames(sans.toArray(new GeneralName[0])))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  ext.createAuthorityKeyIdentifier(certificate))
              .addExtension(
                  Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pub));
      X509Certificate cert = sign(b, key);
      return new IssuedCertificate(cert, pair.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue a certificate for " + subject, e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
      throws GeneralSecurityException {
    try {
      ContentSigner s = new JcaContentSignerBuilder("SHA256withECDSA").build(signer);
      return new JcaX509CertificateConverter().getCertificate(b.build(s));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 is not available", e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  @Override
  public String toString() {
    return "CertificateAuthority[" + certificate.getSubjectX500Principal() + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CertificateAuthority other && other.certificate.equals(certificate);
  }

  @Override
  public int hashCode() {
    return Objects.hash(certificate);
  }
}
