package dev.lambdagate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.config.ConfigException;
import dev.lambdagate.config.FilterConfig;
import dev.lambdagate.config.FilterConfigParser;
import dev.lambdagate.controlplane.model.GatewayModel;
import dev.lambdagate.controlplane.translate.FilterConfigWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Every filter configuration of the golden scenarios is accepted by the filter's own parser ({@code
 * core}'s {@link FilterConfigParser}, the class TeaVM compiles into the module), and every route
 * and cluster of it resolves to a backend.
 */
class FilterConfigCompatibilityTest {

  @Test
  void goldenFilterConfigsParseInTheFilter() throws Exception {
    int checked = 0;
    for (String scenario : GoldenTest.scenarios().toList()) {
      Path dir = TestSupport.goldenDir().resolve(scenario);
      var state =
          TestSupport.loader().loadString(scenario, Files.readString(dir.resolve("input.yaml")));
      for (GatewayModel g : TestSupport.modelBuilder().build(state).gateways()) {
        FilterConfig config;
        try {
          config =
              FilterConfigParser.parse(FilterConfigWriter.json(g).getBytes(StandardCharsets.UTF_8));
        } catch (ConfigException e) {
          throw new AssertionError(
              scenario
                  + " "
                  + g.nodeGroup()
                  + ": the filter rejects "
                  + "its configuration: "
                  + e.getMessage(),
              e);
        }
        for (String route : config.routes().keySet()) {
          assertThat(config.backendFor(route, null)).as(scenario + " route " + route).isNotNull();
        }
        for (String cluster : config.clusters().keySet()) {
          assertThat(config.backendFor(null, cluster))
              .as(scenario + " cluster " + cluster)
              .isNotNull();
        }
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(10);
  }
}
