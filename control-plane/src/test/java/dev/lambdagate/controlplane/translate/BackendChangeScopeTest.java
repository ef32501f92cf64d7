package dev.lambdagate.controlplane.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.config.ClusterMetadataBackend;
import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.model.GatewayModel;
import dev.lambdagate.controlplane.model.Model;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A Backend change costs what it changes: with each backend's entry in its cluster's metadata, a
 * changed function reaches Envoy as one changed Cluster (its metadata version too), while the
 * Listeners and RouteConfigurations stay byte for byte the same (so Envoy drains nothing).
 */
class BackendChangeScopeTest {

  @Test
  void aChangedFunctionChangesOnlyItsClusterInEveryGoldenScenario() throws Exception {
    int checked = 0;
    try (Stream<Path> dirs = Files.list(TestSupport.goldenDir())) {
      for (Path dir : dirs.sorted().toList()) {
        String yaml = Files.readString(dir.resolve("input.yaml"));
        String changed = yaml.replaceFirst("functionName: ", "functionName: changed-");
        if (changed.equals(yaml)) {
          continue;
        }
        Model before = build(dir, yaml);
        Model after = build(dir, changed);
        for (GatewayModel g : before.gateways()) {
          GatewayModel h =
              after.gateways().stream()
                  .filter(x -> x.nodeGroup().equals(g.nodeGroup()))
                  .findFirst()
                  .orElseThrow();
          EnvoyResources a = TestSupport.translator().translate(g);
          EnvoyResources b = TestSupport.translator().translate(h);
          assertThat(b.listeners()).as(dir + " listeners").isEqualTo(a.listeners());
          assertThat(b.routes()).as(dir + " routes").isEqualTo(a.routes());
          Map<String, Cluster> ca = byName(a.clusters());
          Map<String, Cluster> cb = byName(b.clusters());
          assertThat(cb.keySet()).isEqualTo(ca.keySet());
          List<String> differing = new ArrayList<>();
          for (String name : ca.keySet()) {
            if (!ca.get(name).equals(cb.get(name))) {
              differing.add(name);
              assertThat(version(cb.get(name))).isNotEqualTo(version(ca.get(name)));
            }
          }
          assertThat(differing).as(dir + " " + g.nodeGroup()).hasSizeLessThanOrEqualTo(1);
          checked += differing.size();
        }
      }
    }
    assertThat(checked).as("scenarios where a function changed one cluster").isGreaterThan(5);
  }

  private static Model build(Path dir, String yaml) throws Exception {
    return TestSupport.modelBuilder()
        .build(TestSupport.loader().loadString(dir + "/input.yaml", yaml));
  }

  private static Map<String, Cluster> byName(List<Cluster> clusters) {
    return clusters.stream()
        .collect(
            Collectors.toMap(Cluster::getName, Function.identity(), (x, y) -> x, TreeMap::new));
  }

  private static String version(Cluster c) {
    return c.getMetadata()
        .getFilterMetadataOrThrow(ClusterMetadataBackend.NAMESPACE)
        .getFieldsOrThrow(ClusterMetadataBackend.VERSION_KEY)
        .getStringValue();
  }
}
