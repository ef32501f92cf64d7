package dev.lambdagate.harness.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.harness.cli.RunCommand;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bootstrap {@code run} gives a real Envoy parses strictly as Envoy's Bootstrap. */
class RunBootstrapTest {
  @Test
  void adsBootstrapParsesAndNamesTheGateway() throws Exception {
    Bootstrap local = EnvoyConfigs.bootstrap(EnvoyConfigs.YAML.readTree(
        RunCommand.bootstrap("default/http", 19000, "127.0.0.1", 18000)), List.of());
    assertThat(local.getNode().getMetadata().getFieldsOrThrow("gateway").getStringValue())
        .isEqualTo("default/http");
    assertThat(local.getDynamicResources().getAdsConfig().getGrpcServices(0).getEnvoyGrpc()
        .getClusterName()).isEqualTo("lambdagate_ads");
    assertThat(local.getStaticResources().getClusters(0).getType())
        .isEqualTo(Cluster.DiscoveryType.STATIC);

    Bootstrap named = EnvoyConfigs.bootstrap(EnvoyConfigs.YAML.readTree(
        RunCommand.bootstrap("default/http", 19000, "host.testcontainers.internal", 18000)),
        List.of());
    assertThat(named.getStaticResources().getClusters(0).getType())
        .isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
  }
}
