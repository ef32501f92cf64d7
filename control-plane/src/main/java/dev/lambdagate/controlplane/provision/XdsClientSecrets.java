package dev.lambdagate.controlplane.provision;

import dev.lambdagate.controlplane.tls.CertificateAuthority;
import dev.lambdagate.controlplane.tls.GatewayIdentity;
import dev.lambdagate.controlplane.tls.IssuedCertificate;
import dev.lambdagate.controlplane.tls.Pem;
import dev.lambdagate.controlplane.tls.RenewalPolicy;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Secret {@code <gateway>-lambdagate-xds} in a Gateway's namespace: the proxy's xDS client
 * certificate ({@code tls.crt}, identity {@link GatewayIdentity}), its key ({@code tls.key}) and
 * the CA certificate that verifies the control plane ({@code ca.crt}), type {@code
 * kubernetes.io/tls}, labelled and owned like the other provisioned objects, mounted at {@link
 * #MOUNT_PATH}. The certificate is re-issued when {@link RenewalPolicy} says so, when it names
 * another Gateway, or when another CA signed it. A Secret of that name not managed by lambdagate is
 * left alone (and the proxy then cannot authenticate: logged).
 *
 * <p>Thread-safety: not thread-safe; used from the provisioner's single thread.
 */
final class XdsClientSecrets {
  private static final Logger LOG = LoggerFactory.getLogger(XdsClientSecrets.class);

  /** Where the proxy container sees the Secret's files. */
  static final String MOUNT_PATH = "/etc/envoy/xds-tls";

  static final String VOLUME = "xds-tls";

  private final KubernetesClient client;
  private final CertificateAuthority ca;
  private final AtomicInteger writes;

  XdsClientSecrets(KubernetesClient client, CertificateAuthority ca, AtomicInteger writes) {
    this.client = client;
    this.ca = ca;
    this.writes = writes;
  }

  static String secretName(String gatewayName) {
    return gatewayName + GatewayProvisioner.XDS_SECRET_SUFFIX;
  }

  static VolumeMount volumeMount() {
    return new VolumeMountBuilder()
        .withName(VOLUME)
        .withMountPath(MOUNT_PATH)
        .withReadOnly(true)
        .build();
  }

  static Volume volume(String gatewayName) {
    return new VolumeBuilder()
        .withName(VOLUME)
        .withNewSecret()
        .withSecretName(secretName(gatewayName))
        .endSecret()
        .build();
  }

  /**
   * Makes sure the Secret of Gateway {@code ns/name} holds a current certificate; returns the
   * SHA-256 of its certificate and CA (the pod template annotation).
   */
  String ensure(String ns, String name, Map<String, String> labels, List<OwnerReference> owners) {
    String gateway = ns + "/" + name;
    String secretName = secretName(name);
    Secret existing = client.secrets().inNamespace(ns).withName(secretName).get();
    if (existing != null) {
      Map<String, String> l = existing.getMetadata().getLabels();
      if (l == null
          || !GatewayProvisioner.MANAGED_BY_VALUE.equals(l.get(GatewayProvisioner.MANAGED_BY))) {
        LOG.warn(
            "Secret {}/{} exists and is not managed by lambdagate: left alone; the proxy "
                + "of Gateway {} cannot authenticate to the control plane",
            ns,
            secretName,
            gateway);
        return hash(existing.getData());
      }
      if (current(existing, gateway)) {
        return hash(existing.getData());
      }
    }
    IssuedCertificate issued = ca.issueGatewayClient(gateway);
    Map<String, String> data = new TreeMap<>();
    data.put("tls.crt", base64(issued.certificatePem()));
    data.put("tls.key", base64(issued.privateKeyPem()));
    data.put("ca.crt", base64(ca.certificatePem()));
    Secret desired =
        new SecretBuilder()
            .withNewMetadata()
            .withName(secretName)
            .withNamespace(ns)
            .withLabels(labels)
            .withOwnerReferences(owners)
            .endMetadata()
            .withType("kubernetes.io/tls")
            .withData(data)
            .build();
    if (existing == null) {
      client.resource(desired).create();
      LOG.info(
          "created Secret {}/{}: xDS client certificate of Gateway {}, valid until {}",
          ns,
          secretName,
          gateway,
          issued.certificate().getNotAfter().toInstant());
    } else {
      desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
      client.resource(desired).update();
      LOG.info(
          "re-issued the xDS client certificate of Gateway {} in Secret {}/{}, valid " + "until {}",
          gateway,
          ns,
          secretName,
          issued.certificate().getNotAfter().toInstant());
    }
    writes.incrementAndGet();
    return hash(data);
  }

  private boolean current(Secret s, String gateway) {
    Map<String, String> data = s.getData();
    if (data == null
        || !data.containsKey("tls.crt")
        || !data.containsKey("tls.key")
        || !data.containsKey("ca.crt")) {
      return false;
    }
    try {
      X509Certificate cert = Pem.parseCertificate(decode(data.get("tls.crt")), "tls.crt");
      cert.verify(ca.certificate().getPublicKey());
      return gateway.equals(GatewayIdentity.of(cert))
          && decode(data.get("ca.crt")).equals(ca.certificatePem())
          && !RenewalPolicy.due(cert, ca.clock().instant());
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      return false;
    }
  }

  /** SHA-256 over the certificate and CA (not the key: the hash is visible on the pod). */
  private static String hash(Map<String, String> data) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (String k : List.of("tls.crt", "ca.crt")) {
        String v = data == null ? null : data.get(k);
        d.update((k + "=" + (v == null ? "" : v) + "\n").getBytes(StandardCharsets.US_ASCII));
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
  }

  private static String decode(String b64) {
    return new String(Base64.getDecoder().decode(b64), StandardCharsets.US_ASCII);
  }
}
