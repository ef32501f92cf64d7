package dev.lambdagate.controlplane.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.model.GatewayModel;
import dev.lambdagate.controlplane.model.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A translator that has translated other configurations of the same Gateway (and reuses what it
 * built for them) gives exactly what a fresh translator gives.
 */
class TranslatorReuseTest {
  @Test
  void reuseGivesTheSameResourcesAsAFreshTranslation() throws Exception {
    List<Model> models = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(TestSupport.goldenDir())) {
      for (Path dir : dirs.sorted().toList()) {
        String yaml = Files.readString(dir.resolve("input.yaml"));
        models.add(
            TestSupport.modelBuilder()
                .build(TestSupport.loader().loadString(dir + "/input.yaml", yaml)));
        // The same scenario with one route path and one function changed.
        models.add(
            TestSupport.modelBuilder()
                .build(
                    TestSupport.loader()
                        .loadString(
                            dir + "/input.yaml",
                            yaml.replaceFirst("value: /", "value: /changed-")
                                .replaceFirst("functionName: ", "functionName: changed-"))));
      }
    }
    EnvoyTranslator reused = TestSupport.translator();
    int compared = 0;
    for (int round = 0; round < 2; round++) {
      for (Model m : models) {
        for (GatewayModel g : m.gateways()) {
          EnvoyResources again = reused.translate(g);
          EnvoyResources fresh = TestSupport.translator().translate(g);
          assertThat(again).as(g.nodeGroup()).isEqualTo(fresh);
          compared++;
        }
      }
    }
    assertThat(compared).isGreaterThan(20);
  }
}
