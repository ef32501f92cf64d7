package dev.lambdagate.controlplane.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.crd.GatewayParameters;
import dev.lambdagate.controlplane.model.GatewayOwnership;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.status.StatusComputer;
import dev.lambdagate.controlplane.tls.CertificateAuthority;
import dev.lambdagate.controlplane.tls.IssuedCertificate;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The conditions of HTTPS listeners, written to the Gateway's status subresource of fabric8's mock
 * API server (CRUD mode) and read back: a cross-namespace certificate is {@code ResolvedRefs=False
 * RefNotPermitted} until a ReferenceGrant from Gateways allows it, a Secret whose key is not its
 * certificate's {@code InvalidCertificateRef} until it is fixed, each not programmed meanwhile; the
 * messages name the Secret and never carry its contents.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class HttpsListenerStatusTest {
  static {
    MockApi.quiet();
  }

  static final CertificateAuthority CA = CertificateAuthority.create(Clock.systemUTC());
  static final IssuedCertificate SHOP = CA.issueServer(List.of("shop.example.com"), List.of());
  static final IssuedCertificate API = CA.issueServer(List.of("api.example.com"), List.of());

  static final String GATEWAY =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: edge, namespace: web}
      spec:
        gatewayClassName: kgateway
        listeners:
        - name: shop
          protocol: HTTPS
          port: 443
          hostname: shop.example.com
          tls: {certificateRefs: [{name: shop-cert, namespace: certs}]}
        - name: api
          protocol: HTTPS
          port: 443
          hostname: api.example.com
          tls: {certificateRefs: [{name: api-cert}]}
      """;

  static final String GRANT =
      """
      apiVersion: gateway.networking.k8s.io/v1beta1
      kind: ReferenceGrant
      metadata: {name: web-gateways, namespace: certs}
      spec:
        from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: web}]
        to: [{group: "", kind: Secret}]
      """;

  KubernetesClient client;

  @BeforeEach
  void seed() {
    MockApi.installCrds(client);
    client
        .resource(
            new GatewayClassBuilder()
                .withNewMetadata()
                .withName("kgateway")
                .endMetadata()
                .withNewSpec()
                .withControllerName(GatewayOwnership.CONTROLLER_NAME)
                .endSpec()
                .build())
        .create();
    client.resource(GATEWAY).create();
    client
        .resource(tls("certs", "shop-cert", SHOP.certificatePem(), SHOP.privateKeyPem()))
        .create();
    // The wrong key: InvalidCertificateRef.
    client.resource(tls("web", "api-cert", API.certificatePem(), SHOP.privateKeyPem())).create();
  }

  static Secret tls(String ns, String name, String crt, String key) {
    Base64.Encoder b64 = Base64.getEncoder();
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .endMetadata()
        .withType("kubernetes.io/tls")
        .withData(
            Map.of(
                "tls.crt", b64.encodeToString(crt.getBytes(StandardCharsets.UTF_8)),
                "tls.key", b64.encodeToString(key.getBytes(StandardCharsets.UTF_8))))
        .build();
  }

  ClusterState state() {
    return new ClusterState(
        client.resources(GatewayClass.class).list().getItems(),
        client.resources(Gateway.class).inAnyNamespace().list().getItems(),
        client.resources(HTTPRoute.class).inAnyNamespace().list().getItems(),
        client.resources(Backend.class).inAnyNamespace().list().getItems(),
        client.resources(GatewayParameters.class).inAnyNamespace().list().getItems(),
        client.secrets().inAnyNamespace().list().getItems(),
        client.serviceAccounts().inAnyNamespace().list().getItems(),
        client.resources(ReferenceGrant.class).inAnyNamespace().list().getItems());
  }

  void publish(KubeStatusWriter writer) {
    writer.publish(StatusComputer.compute(TestSupport.modelBuilder().build(state()), Map.of()));
  }

  Condition condition(String listener, String type) {
    Gateway g = client.resources(Gateway.class).inNamespace("web").withName("edge").get();
    ListenerStatus ls =
        g.getStatus().getListeners().stream()
            .filter(l -> l.getName().equals(listener))
            .findFirst()
            .orElseThrow();
    return ls.getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void certificateRefConditionsFollowGrantsAndSecrets() {
    KubeStatusWriter writer = new KubeStatusWriter(client);
    publish(writer);

    Condition shopRefs = condition("shop", "ResolvedRefs");
    assertThat(shopRefs.getStatus()).isEqualTo("False");
    assertThat(shopRefs.getReason()).isEqualTo("RefNotPermitted");
    assertThat(shopRefs.getMessage())
        .isEqualTo(
            "tls.certificateRefs[0]: Secret certs/shop-cert is in another namespace and no"
                + " ReferenceGrant in certs allows Gateways of web to refer to it");
    assertThat(condition("shop", "Accepted").getStatus()).isEqualTo("True");
    assertThat(condition("shop", "Programmed").getStatus()).isEqualTo("False");
    assertThat(condition("shop", "Programmed").getReason()).isEqualTo("Invalid");

    Condition apiRefs = condition("api", "ResolvedRefs");
    assertThat(apiRefs.getReason()).isEqualTo("InvalidCertificateRef");
    assertThat(apiRefs.getMessage())
        .isEqualTo(
            "tls.certificateRefs[0]: Secret web/api-cert tls.key is not the key of the first"
                + " certificate of tls.crt")
        .doesNotContain("PRIVATE");
    assertThat(condition("api", "Programmed").getStatus()).isEqualTo("False");

    // The grant arrives: shop resolves and is programmed.
    client.resource(GRANT).create();
    publish(writer);
    assertThat(condition("shop", "ResolvedRefs").getStatus()).isEqualTo("True");
    assertThat(condition("shop", "ResolvedRefs").getReason()).isEqualTo("ResolvedRefs");
    assertThat(condition("shop", "Programmed").getStatus()).isEqualTo("True");
    assertThat(condition("api", "ResolvedRefs").getReason()).isEqualTo("InvalidCertificateRef");

    // The Secret gets its own key: api too.
    client
        .secrets()
        .inNamespace("web")
        .withName("api-cert")
        .edit(
            s -> {
              s.setData(
                  tls("web", "api-cert", API.certificatePem(), API.privateKeyPem()).getData());
              return s;
            });
    publish(writer);
    assertThat(condition("api", "ResolvedRefs").getStatus()).isEqualTo("True");
    assertThat(condition("api", "Programmed").getStatus()).isEqualTo("True");

    // The Secret is deleted: not found.
    client.secrets().inNamespace("web").withName("api-cert").delete();
    publish(writer);
    assertThat(condition("api", "ResolvedRefs").getMessage())
        .isEqualTo("tls.certificateRefs[0]: Secret web/api-cert not found");
  }
}
