package dev.lambdagate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.model.GatewayModel;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every filter configuration of the golden scenarios is accepted by the filter's own parser
 * ({@code dev.lambdagate.config.FilterConfigParser} from {@code wasm-filter}, plain Java), and
 * every route and cluster of it resolves to a backend. The parser's classes are taken from
 * {@code ../wasm-filter/target/classes} (built first by the reactor) or from the directory in
 * {@code -Dlambdagate.filterClasses}; without them the test is skipped, saying so.
 */
class FilterConfigCompatibilityTest {

  @Test
  void goldenFilterConfigsParseInTheFilter() throws Exception {
    Path classes = Path.of(System.getProperty("lambdagate.filterClasses",
        "../wasm-filter/target/classes"));
    boolean present = Files.exists(classes.resolve("dev/lambdagate/config/FilterConfigParser.class"));
    if (!present) {
      System.out.println("FilterConfigCompatibilityTest: SKIPPED, no " + classes
          + "/dev/lambdagate/config/FilterConfigParser.class (build wasm-filter first)");
    }
    Assumptions.assumeTrue(present, "wasm-filter classes not built");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
        getClass().getClassLoader())) {
      Class<?> parser = loader.loadClass("dev.lambdagate.config.FilterConfigParser");
      Method parse = parser.getMethod("parse", byte[].class);
      int checked = 0;
      for (String scenario : GoldenTest.scenarios().toList()) {
        Path dir = TestSupport.goldenDir().resolve(scenario);
        var state = TestSupport.loader().loadString(scenario,
            Files.readString(dir.resolve("input.yaml")));
        for (GatewayModel g : TestSupport.modelBuilder().build(state).gateways()) {
          Object config;
          try {
            config = parse.invoke(null, (Object) g.filterConfig().getBytes(StandardCharsets.UTF_8));
          } catch (InvocationTargetException e) {
            throw new AssertionError(scenario + " " + g.nodeGroup() + ": the filter rejects "
                + "its configuration: " + e.getCause().getMessage(), e.getCause());
          }
          Method backendFor = config.getClass().getMethod("backendFor", String.class,
              String.class);
          Map<?, ?> routes = (Map<?, ?>) config.getClass().getMethod("routes").invoke(config);
          Map<?, ?> clusters = (Map<?, ?>) config.getClass().getMethod("clusters").invoke(config);
          for (Object r : routes.keySet()) {
            assertThat(backendFor.invoke(config, r, null)).as(scenario + " route " + r)
                .isNotNull();
          }
          for (Object c : clusters.keySet()) {
            assertThat(backendFor.invoke(config, null, c)).as(scenario + " cluster " + c)
                .isNotNull();
          }
          checked++;
        }
      }
      System.out.println("FilterConfigCompatibilityTest: " + checked
          + " filter configurations accepted by the filter's parser");
      assertThat(checked).isGreaterThan(10);
    }
  }
}
