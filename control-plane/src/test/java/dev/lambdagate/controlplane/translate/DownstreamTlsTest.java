package dev.lambdagate.controlplane.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.model.Model;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.tls.CertificateAuthority;
import dev.lambdagate.controlplane.tls.IssuedCertificate;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A certificate rotation, translated: only the HTTPS Listener changes, and in it only the rotated
 * chain (what Envoy applies as a filter-chain-only update, draining that chain alone); routes,
 * clusters and the HTTP Listener are the same resources as before.
 */
class DownstreamTlsTest {
  static ClusterState golden() throws Exception {
    var dir = TestSupport.goldenDir().resolve("https-listener");
    return TestSupport.loader()
        .loadString("input.yaml", Files.readString(dir.resolve("input.yaml")));
  }

  static ClusterState withSecret(ClusterState s, Secret replacement) {
    List<Secret> secrets = new ArrayList<>();
    for (Secret x : s.secrets()) {
      boolean same =
          x.getMetadata().getNamespace().equals(replacement.getMetadata().getNamespace())
              && x.getMetadata().getName().equals(replacement.getMetadata().getName());
      secrets.add(same ? replacement : x);
    }
    return new ClusterState(
        s.gatewayClasses(),
        s.gateways(),
        s.httpRoutes(),
        s.backends(),
        s.gatewayParameters(),
        secrets,
        s.serviceAccounts(),
        s.referenceGrants());
  }

  static FilterChain chain(Listener l, String name) {
    return l.getFilterChainsList().stream()
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aRotationChangesOnlyTheRotatedChain() throws Exception {
    EnvoyTranslator translator = TestSupport.translator();
    ClusterState before = golden();
    Model m1 = TestSupport.modelBuilder().build(before);
    EnvoyResources r1 = translator.translate(m1.gateways().get(0));

    IssuedCertificate rotated =
        CertificateAuthority.create(Clock.systemUTC())
            .issueServer(List.of("foo.example.com"), List.of());
    Base64.Encoder b64 = Base64.getEncoder();
    Secret foo =
        new SecretBuilder()
            .withNewMetadata()
            .withNamespace("certs")
            .withName("foo-cert")
            .endMetadata()
            .withType("kubernetes.io/tls")
            .withData(
                Map.of(
                    "tls.crt",
                    b64.encodeToString(rotated.certificatePem().getBytes(StandardCharsets.UTF_8)),
                    "tls.key",
                    b64.encodeToString(rotated.privateKeyPem().getBytes(StandardCharsets.UTF_8))))
            .build();
    Model m2 = TestSupport.modelBuilder().build(withSecret(before, foo));
    EnvoyResources r2 = translator.translate(m2.gateways().get(0));

    assertThat(XdsYaml.dump(Map.of("default/https", r1)))
        .as("--dump and goldens redact keys, as Envoy's /config_dump does")
        .contains("BEGIN CERTIFICATE")
        .contains("inlineString: \"[redacted]\"")
        .doesNotContain("PRIVATE KEY");
    assertThat(r2.listenersVersion()).isNotEqualTo(r1.listenersVersion());
    assertThat(r2.routesVersion()).isEqualTo(r1.routesVersion());
    assertThat(r2.clustersVersion()).isEqualTo(r1.clustersVersion());
    Listener https1 = r1.listeners().get(0);
    Listener https2 = r2.listeners().get(0);
    assertThat(https2.getName()).isEqualTo("default/https/443");
    assertThat(r2.listeners().get(1)).as("the HTTP listener").isSameAs(r1.listeners().get(1));
    // Same listener-level fields and the same other chains: a filter-chain-only update.
    assertThat(https2.toBuilder().clearFilterChains().build())
        .isEqualTo(https1.toBuilder().clearFilterChains().build());
    assertThat(chain(https2, "default")).isEqualTo(chain(https1, "default"));
    assertThat(chain(https2, "wildcard")).isEqualTo(chain(https1, "wildcard"));
    assertThat(chain(https2, "foo")).isNotEqualTo(chain(https1, "foo"));
    DownstreamTlsContext ctx =
        chain(https2, "foo")
            .getTransportSocket()
            .getTypedConfig()
            .unpack(DownstreamTlsContext.class);
    assertThat(
            ctx.getCommonTlsContext().getTlsCertificates(0).getCertificateChain().getInlineString())
        .isEqualTo(rotated.certificatePem());
  }
}
