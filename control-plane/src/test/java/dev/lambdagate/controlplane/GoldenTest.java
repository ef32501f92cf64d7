package dev.lambdagate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lambdagate.controlplane.model.GatewayModel;
import dev.lambdagate.controlplane.model.Model;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.status.DesiredStatus;
import dev.lambdagate.controlplane.status.StatusComputer;
import dev.lambdagate.controlplane.translate.EnvoyResources;
import dev.lambdagate.controlplane.translate.FilterConfigWriter;
import dev.lambdagate.controlplane.translate.XdsYaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kgateway-style golden files: {@code golden/<scenario>/input.yaml} gives {@code output.yaml} (the
 * xDS resources of every Gateway, then each Gateway's filter configuration pretty-printed) and
 * {@code status.yaml}. Regenerate with {@code -Dgolden.update=true} and review the diff.
 */
class GoldenTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<String> scenarios() throws Exception {
    try (Stream<Path> s = Files.list(TestSupport.goldenDir())) {
      return s
          .filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  static String output(Model model) throws Exception {
    Map<String, EnvoyResources> all = new TreeMap<>();
    ObjectNode filterConfigs = JSON.createObjectNode();
    for (GatewayModel g : model.gateways()) {
      all.put(g.nodeGroup(), TestSupport.translator().translate(g));
      filterConfigs.set(g.nodeGroup(), JSON.readTree(FilterConfigWriter.json(g)));
    }
    ObjectNode fc = JSON.createObjectNode();
    fc.set("filterConfigs", filterConfigs);
    return XdsYaml.dump(all) + "---\n" + XdsYaml.yaml(fc);
  }

  static String status(DesiredStatus status) {
    Map<String, Object> byKey = new TreeMap<>();
    status.backends().forEach((k, v) -> byKey.put(k.toString(), Map.of("conditions", v)));
    status.httpRoutes().forEach((k, v) -> byKey.put(k.toString(), v));
    status.gateways().forEach((k, v) -> byKey.put(k.toString(), v));
    return XdsYaml.yaml(byKey);
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void golden(String scenario) throws Exception {
    Path dir = TestSupport.goldenDir().resolve(scenario);
    ClusterState state =
        TestSupport.loader()
            .loadString(dir + "/input.yaml", Files.readString(dir.resolve("input.yaml")));
    Model model = TestSupport.modelBuilder().build(state);
    assertThat(TestSupport.modelBuilder().build(state))
        .as("building is deterministic")
        .isEqualTo(model);
    String output = output(model);
    String status = status(StatusComputer.compute(model, Map.of()));
    for (GatewayModel g : model.gateways()) {
      for (var m : TestSupport.translator().translate(g).all()) {
        PgvValidation.validate(m);
      }
    }
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(dir.resolve("output.yaml"), output);
      Files.writeString(dir.resolve("status.yaml"), status);
      System.out.println("golden: wrote " + dir);
      return;
    }
    assertThat(output)
        .as(scenario + "/output.yaml (regenerate with -Dgolden.update=true)")
        .isEqualTo(Files.readString(dir.resolve("output.yaml")));
    assertThat(status)
        .as(scenario + "/status.yaml (regenerate with -Dgolden.update=true)")
        .isEqualTo(Files.readString(dir.resolve("status.yaml")));
  }
}
