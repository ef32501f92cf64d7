package dev.lambdagate.controlplane.model;

import dev.lambdagate.controlplane.tls.Pem;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.SecretObjectReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves the {@code tls.certificateRefs} of HTTPS listeners as Gateway API says: each ref is a
 * core {@code Secret} of type {@code kubernetes.io/tls} in the Gateway's namespace, or in another
 * namespace whose ReferenceGrant allows Gateways of the Gateway's namespace to refer to it
 * (otherwise {@code RefNotPermitted}, checked before the Secret is even looked up, so that a denied
 * ref does not tell whether the Secret exists); its {@code tls.crt} must parse as a certificate
 * chain, its {@code tls.key} as a private key, and the key must be the leaf certificate's
 * (otherwise {@code InvalidCertificateRef}).
 *
 * <p>Messages name the ref, the Secret and what is wrong, never the Secret's contents.
 *
 * <p>Immutable after construction; thread-safe.
 */
final class ListenerCertificates {
  static final String TLS_SECRET_TYPE = "kubernetes.io/tls";

  private static final SecureRandom RANDOM = new SecureRandom();

  /** What resolving one listener's refs gave. */
  record Resolution(List<TlsCertificate> certificates, StatusReason reason, String message) {
    static Resolution failed(StatusReason reason, String message) {
      return new Resolution(List.of(), reason, message);
    }
  }

  private final Map<String, Secret> secretsById = new HashMap<>();
  private final List<ReferenceGrant> grants;

  ListenerCertificates(List<Secret> secrets, List<ReferenceGrant> grants) {
    for (Secret s : secrets) {
      secretsById.put(s.getMetadata().getNamespace() + "/" + s.getMetadata().getName(), s);
    }
    this.grants = grants;
  }

  /** Certificates of no Secret, for a model built without Secrets. */
  static ListenerCertificates none() {
    return new ListenerCertificates(List.of(), List.of());
  }

  /**
   * The certificates of HTTPS listener {@code l} of a Gateway in {@code gatewayNs}: every ref that
   * resolves, and the first failure's reason and message (null when all resolved).
   */
  Resolution resolve(String gatewayNs, Listener l) {
    List<SecretObjectReference> refs =
        l.getTls() == null || l.getTls().getCertificateRefs() == null
            ? List.of()
            : l.getTls().getCertificateRefs();
    if (refs.isEmpty()) {
      return Resolution.failed(
          StatusReason.INVALID_CERTIFICATE_REF,
          "tls.certificateRefs is empty: an HTTPS listener needs a kubernetes.io/tls Secret");
    }
    List<TlsCertificate> ok = new ArrayList<>();
    StatusReason reason = null;
    String message = null;
    for (int i = 0; i < refs.size(); i++) {
      String where = "tls.certificateRefs[" + i + "]";
      Resolution r = resolveOne(gatewayNs, refs.get(i), where);
      ok.addAll(r.certificates());
      if (r.reason() != null && reason == null) {
        reason = r.reason();
        message = r.message();
      }
    }
    return new Resolution(ok, reason, message);
  }

  private Resolution resolveOne(String gatewayNs, SecretObjectReference ref, String where) {
    String group = ref.getGroup() == null ? "" : ref.getGroup();
    String kind = ref.getKind() == null ? "Secret" : ref.getKind();
    if (!group.isEmpty() || !"Secret".equals(kind)) {
      return Resolution.failed(
          StatusReason.INVALID_CERTIFICATE_REF,
          where
              + ": "
              + (group.isEmpty() ? "" : group + "/")
              + kind
              + " is not supported (only core Secrets of type "
              + TLS_SECRET_TYPE
              + ")");
    }
    String ns =
        ref.getNamespace() == null || ref.getNamespace().isEmpty() ? gatewayNs : ref.getNamespace();
    String id = ns + "/" + ref.getName();
    if (!ns.equals(gatewayNs)
        && !ReferenceGrants.permits(
            grants, "Gateway", gatewayNs, "", "Secret", ns, ref.getName())) {
      return Resolution.failed(
          StatusReason.REF_NOT_PERMITTED,
          where
              + ": Secret "
              + id
              + " is in another namespace and no ReferenceGrant in "
              + ns
              + " allows Gateways of "
              + gatewayNs
              + " to refer to it");
    }
    Secret s = secretsById.get(id);
    if (s == null) {
      return invalid(where + ": Secret " + id + " not found");
    }
    if (!TLS_SECRET_TYPE.equals(s.getType())) {
      return invalid(
          where
              + ": Secret "
              + id
              + " is of type "
              + (s.getType() == null ? "(none)" : s.getType())
              + ", not "
              + TLS_SECRET_TYPE);
    }
    String crt = value(s, "tls.crt");
    String key = value(s, "tls.key");
    if (crt == null || key == null) {
      return invalid(
          where
              + ": Secret "
              + id
              + " has no "
              + (crt == null ? "tls.crt" : "tls.key")
              + " (or it is not valid base64)");
    }
    List<Certificate> chain;
    try {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(crt.getBytes(StandardCharsets.US_ASCII)));
      chain = new ArrayList<>(certs);
    } catch (GeneralSecurityException | RuntimeException e) {
      chain = List.of();
    }
    if (chain.isEmpty()) {
      return invalid(where + ": Secret " + id + " tls.crt is not a PEM certificate chain");
    }
    PrivateKey privateKey;
    try {
      privateKey = Pem.parsePrivateKey(key, "tls.key");
    } catch (RuntimeException e) {
      // The parser's message may quote what it could not read: it is not passed on.
      return invalid(where + ": Secret " + id + " tls.key is not a PEM private key");
    }
    if (!matches(privateKey, chain.get(0).getPublicKey())) {
      return invalid(
          where + ": Secret " + id + " tls.key is not the key of the first certificate of tls.crt");
    }
    return new Resolution(List.of(new TlsCertificate(id, crt, key)), null, null);
  }

  private static Resolution invalid(String message) {
    return Resolution.failed(StatusReason.INVALID_CERTIFICATE_REF, message);
  }

  /** Whether {@code key} signs what {@code cert} verifies: the pair Envoy would load. */
  static boolean matches(PrivateKey key, PublicKey cert) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC", "ECDSA" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        };
    if (algorithm == null || !cert.getAlgorithm().equals(key.getAlgorithm())) {
      return false;
    }
    try {
      byte[] probe = new byte[32];
      RANDOM.nextBytes(probe);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /**
   * {@code stringData} wins over {@code data}, as the API server merges them; null when absent,
   * blank or not base64.
   */
  private static String value(Secret s, String key) {
    String v = null;
    if (s.getStringData() != null && s.getStringData().get(key) != null) {
      v = s.getStringData().get(key);
    } else if (s.getData() != null && s.getData().get(key) != null) {
      try {
        v =
            new String(
                Base64.getMimeDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return v == null || v.isBlank() ? null : v;
  }
}
