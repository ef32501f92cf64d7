package dev.lambdagate.controlplane.kube;

import dev.lambdagate.controlplane.provision.GatewayProvisioner;
import dev.lambdagate.controlplane.tls.CertificateAuthority;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The xDS CA of the Kubernetes mode, kept in the Secret {@value #NAME} of the control plane's
 * namespace (keys {@code ca.crt}, {@code ca.key}) so that every replica serves and issues with the
 * same CA. The first replica to start creates it; a replica losing the creation race reads the
 * winner's. Replacing the CA is an operator's act: delete the Secret and restart the control plane
 * (the provisioner then re-issues every Gateway's certificate, which rolls the proxies).
 *
 * <p>Thread-safety: stateless.
 */
public final class XdsCaSecret {
  private static final Logger LOG = LoggerFactory.getLogger(XdsCaSecret.class);

  /** Name of the Secret holding the CA. */
  public static final String NAME = "lambdagate-xds-ca";

  private XdsCaSecret() {}

  /** Reads the CA from the Secret in {@code namespace}, creating both when absent. */
  public static CertificateAuthority loadOrCreate(
      KubernetesClient client, String namespace, Clock clock) {
    for (int attempt = 1; ; attempt++) {
      Secret existing = client.secrets().inNamespace(namespace).withName(NAME).get();
      if (existing != null) {
        CertificateAuthority ca = read(existing, namespace, clock);
        if (ca.expired()) {
          throw new IllegalStateException(
              "the xDS CA in Secret "
                  + namespace
                  + "/"
                  + NAME
                  + " has expired: delete the Secret and restart the control plane");
        }
        return ca;
      }
      CertificateAuthority ca = CertificateAuthority.create(clock);
      Secret secret =
          new SecretBuilder()
              .withNewMetadata()
              .withName(NAME)
              .withNamespace(namespace)
              .withLabels(
                  Map.of(GatewayProvisioner.MANAGED_BY, GatewayProvisioner.MANAGED_BY_VALUE))
              .endMetadata()
              .withType("Opaque")
              .withData(
                  Map.of(
                      "ca.crt", base64(ca.certificatePem()), "ca.key", base64(ca.privateKeyPem())))
              .build();
      try {
        client.resource(secret).create();
        LOG.info("created the xDS CA in Secret {}/{}", namespace, NAME);
        return ca;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 3) {
          throw e;
        }
        // another replica created it first: read theirs
      }
    }
  }

  private static CertificateAuthority read(Secret s, String namespace, Clock clock) {
    Map<String, String> data = s.getData() == null ? Map.of() : s.getData();
    String where = "Secret " + namespace + "/" + NAME;
    if (!data.containsKey("ca.crt") || !data.containsKey("ca.key")) {
      throw new IllegalStateException(where + " lacks ca.crt or ca.key");
    }
    try {
      return CertificateAuthority.load(
          decode(data.get("ca.crt")), decode(data.get("ca.key")), clock);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(where + ": " + e.getMessage(), e);
    }
  }

  static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
  }

  static String decode(String b64) {
    return new String(Base64.getDecoder().decode(b64), StandardCharsets.US_ASCII);
  }
}
