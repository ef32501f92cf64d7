package dev.lambdagate.harness.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.kube.KubeModeOptions;
import dev.lambdagate.controlplane.provision.EnvoyBootstrap;
import dev.lambdagate.harness.cli.RunCommand;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bootstraps lambdagate gives a real Envoy — {@code run}'s and the provisioned proxy's — parse
 * strictly as Envoy's Bootstrap, with ADS over mutual TLS and admin on loopback.
 */
class RunBootstrapTest {
  static final XdsClientCredentials FILES =
      XdsClientCredentials.inDirectory(Path.of("/tmp/lambdagate-xds/gateways/default/http"));

  @Test
  void adsBootstrapParsesAndNamesTheGateway() throws Exception {
    Bootstrap local =
        EnvoyConfigs.bootstrap(
            EnvoyConfigs.YAML.readTree(
                RunCommand.bootstrap("default/http", 19000, "127.0.0.1", 18000, FILES)),
            List.of());
    assertThat(local.getNode().getMetadata().getFieldsOrThrow("gateway").getStringValue())
        .isEqualTo("default/http");
    assertThat(
            local
                .getDynamicResources()
                .getAdsConfig()
                .getGrpcServices(0)
                .getEnvoyGrpc()
                .getClusterName())
        .isEqualTo("lambdagate_ads");
    assertThat(local.getDynamicResources().getAdsConfig().getSetNodeOnFirstMessageOnly()).isTrue();
    assertThat(local.getAdmin().getAddress().getSocketAddress().getAddress())
        .isEqualTo("127.0.0.1");
    Cluster ads = local.getStaticResources().getClusters(0);
    assertThat(ads.getType()).isEqualTo(Cluster.DiscoveryType.STATIC);
    UpstreamTlsContext tls =
        ads.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
    assertThat(tls.getSni()).isEqualTo("localhost");
    var common = tls.getCommonTlsContext();
    assertThat(common.getTlsCertificates(0).getCertificateChain().getFilename())
        .isEqualTo("/tmp/lambdagate-xds/gateways/default/http/tls.crt");
    assertThat(common.getTlsCertificates(0).getPrivateKey().getFilename())
        .isEqualTo("/tmp/lambdagate-xds/gateways/default/http/tls.key");
    assertThat(common.getValidationContext().getTrustedCa().getFilename())
        .isEqualTo("/tmp/lambdagate-xds/gateways/default/http/ca.crt");
    assertThat(
            common.getValidationContext().getMatchTypedSubjectAltNames(0).getMatcher().getExact())
        .isEqualTo("localhost");

    Bootstrap named =
        EnvoyConfigs.bootstrap(
            EnvoyConfigs.YAML.readTree(
                RunCommand.bootstrap(
                    "default/http", 19000, "host.testcontainers.internal", 18000, FILES)),
            List.of());
    assertThat(named.getStaticResources().getClusters(0).getType())
        .isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
  }

  @Test
  void provisionedBootstrapParsesWithMutualTlsLoopbackAdminAndReadinessListener() throws Exception {
    KubeModeOptions o = KubeModeOptions.defaults("lambdagate-system", "test");
    Bootstrap b =
        EnvoyConfigs.bootstrap(
            EnvoyConfigs.YAML.readTree(
                EnvoyBootstrap.yaml(
                    "team-a", "edge", o.controlPlaneHost(), o.xdsPort(), o.wasmHttpPort())),
            List.of());
    assertThat(b.getAdmin().getAddress().getSocketAddress().getAddress()).isEqualTo("127.0.0.1");
    Cluster xds =
        b.getStaticResources().getClustersList().stream()
            .filter(c -> c.getName().equals(EnvoyBootstrap.XDS_CLUSTER))
            .findFirst()
            .orElseThrow();
    UpstreamTlsContext tls =
        xds.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
    assertThat(tls.getSni()).isEqualTo("lambdagate-control-plane.lambdagate-system.svc");
    assertThat(tls.getCommonTlsContext().getTlsCertificates(0).getPrivateKey().getFilename())
        .isEqualTo("/etc/envoy/xds-tls/tls.key");
    Listener readiness = b.getStaticResources().getListeners(0);
    assertThat(readiness.getAddress().getSocketAddress().getPortValue())
        .isEqualTo(EnvoyBootstrap.READINESS_PORT);
    HttpConnectionManager hcm =
        readiness
            .getFilterChains(0)
            .getFilters(0)
            .getTypedConfig()
            .unpack(HttpConnectionManager.class);
    var routes = hcm.getRouteConfig().getVirtualHosts(0).getRoutesList();
    assertThat(routes.get(0).getMatch().getPath()).isEqualTo("/ready");
    assertThat(routes.get(0).getRoute().getCluster()).isEqualTo(EnvoyBootstrap.ADMIN_CLUSTER);
    assertThat(routes.get(1).getDirectResponse().getStatus()).isEqualTo(404);
  }
}
