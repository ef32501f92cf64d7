package dev.lambdagate.controlplane.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * PEM text of certificates and private keys. Keys are written as unencrypted PKCS#8 ({@code BEGIN
 * PRIVATE KEY}), the form both Envoy and grpc-java's netty read. Stateless.
 */
public final class Pem {
  private Pem() {}

  public static String certificate(X509Certificate cert) {
    return write(cert);
  }

  public static String privateKey(PrivateKey key) {
    try {
      return write(new JcaPKCS8Generator(key, null).generate());
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a private key", e);
    }
  }

  /** The first certificate in {@code pem}; {@code what} names the source in the error. */
  public static X509Certificate parseCertificate(String pem, String what) {
    Object o = read(pem, what);
    if (!(o instanceof X509CertificateHolder holder)) {
      throw new IllegalArgumentException(what + ": not a PEM certificate");
    }
    try {
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (CertificateException e) {
      throw new IllegalArgumentException(what + ": bad certificate: " + e.getMessage(), e);
    }
  }

  /** The private key in {@code pem} (PKCS#8 or traditional EC); errors never show the key. */
  public static PrivateKey parsePrivateKey(String pem, String what) {
    Object o = read(pem, what);
    try {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (o instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (o instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(what + ": unreadable private key", e);
    }
    throw new IllegalArgumentException(what + ": not a PEM private key");
  }

  private static Object read(String pem, String what) {
    if (pem == null || pem.isBlank()) {
      throw new IllegalArgumentException(what + ": empty");
    }
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o = parser.readObject();
      if (o == null) {
        throw new IllegalArgumentException(what + ": no PEM block");
      }
      return o;
    } catch (IOException e) {
      throw new IllegalArgumentException(what + ": malformed PEM", e);
    }
  }

  private static String write(Object o) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write PEM", e);
    }
    return out.toString();
  }
}
