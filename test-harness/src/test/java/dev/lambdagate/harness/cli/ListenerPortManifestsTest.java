package dev.lambdagate.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifests' copy behind {@code run --listener-port}. */
class ListenerPortManifestsTest {
  static final String GATEWAY =
      """
      # the quick start's Gateway
      kind: Gateway
      apiVersion: gateway.networking.k8s.io/v1
      metadata:
        name: http
      spec:
        gatewayClassName: kgateway
        listeners:
        - protocol: HTTP
          port: 8080
          name: http
        - protocol: HTTP
          port: 8080
          name: other
          hostname: other.example
      ---
      kind: Gateway
      apiVersion: gateway.networking.k8s.io/v1
      metadata:
        name: elsewhere
        namespace: default
      spec:
        gatewayClassName: kgateway
        listeners:
        - protocol: HTTP
          port: 8080
          name: http
      """;
  static final String ROUTE =
      "kind: HTTPRoute # untouched, comments and all\n"
          + "apiVersion: gateway.networking.k8s.io/v1\nmetadata: {name: r}\n";

  @TempDir Path source;

  @Test
  void onlyTheNamedGatewaysListenersMoveAndOtherFilesAreCopiedAsTheyAre() throws Exception {
    Files.writeString(source.resolve("gateway.yaml"), GATEWAY);
    Files.writeString(source.resolve("route.yml"), ROUTE);
    Files.writeString(source.resolve("notes.txt"), "not a manifest");
    try (ListenerPortManifests copy =
        ListenerPortManifests.start(source, "default/http", 18081, line -> {})) {
      assertThat(copy.directory()).isNotEqualTo(source);
      try (var files = Files.list(copy.directory())) {
        assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
            .containsExactly("gateway.yaml", "route.yml");
      }
      assertThat(Files.readString(copy.directory().resolve("route.yml"))).isEqualTo(ROUTE);
      assertThat(ListenerPortManifests.gatewayPorts(copy.directory(), "default/http"))
          .containsExactly(18081);
      assertThat(ListenerPortManifests.gatewayPorts(copy.directory(), "default/elsewhere"))
          .containsExactly(8080);
      assertThat(ListenerPortManifests.gatewayPorts(source, "default/http")).containsExactly(8080);
    }
  }

  @Test
  void editsOfTheOriginalReachTheCopyAndTheCopyGoesAwayOnClose() throws Exception {
    Files.writeString(source.resolve("gateway.yaml"), GATEWAY);
    Files.writeString(source.resolve("route.yaml"), ROUTE);
    List<String> log = new CopyOnWriteArrayList<>();
    Path dir;
    try (ListenerPortManifests copy =
        ListenerPortManifests.start(source, "default/http", 18081, log::add)) {
      dir = copy.directory();
      Files.writeString(source.resolve("route.yaml"), ROUTE.replace("name: r", "name: r2"));
      Files.writeString(source.resolve("added.yaml"), ROUTE.replace("name: r", "name: r3"));
      await(
          () ->
              Files.readString(dir.resolve("route.yaml")).contains("name: r2")
                  && Files.exists(dir.resolve("added.yaml")));

      // The Gateway edited to another port in its manifest: still moved.
      Files.writeString(source.resolve("gateway.yaml"), GATEWAY.replace("8080", "9090"));
      Files.delete(source.resolve("added.yaml"));
      await(
          () ->
              !Files.exists(dir.resolve("added.yaml"))
                  && Files.readString(dir.resolve("gateway.yaml")).contains("9090"));
      assertThat(ListenerPortManifests.gatewayPorts(dir, "default/http")).containsExactly(18081);

      // Listeners on two ports: which one to move is a guess; the copy keeps its last version.
      Files.writeString(source.resolve("gateway.yaml"), GATEWAY.replaceFirst("8080", "443"));
      await(() -> !log.isEmpty());
      assertThat(log.get(0))
          .contains("has listeners on ports 443, 8080")
          .contains("the copy keeps its previous version");
      assertThat(ListenerPortManifests.gatewayPorts(dir, "default/http")).containsExactly(18081);
    }
    assertThat(dir).doesNotExist();
  }

  @Test
  void aGatewayThatIsMissingOrOnSeveralPortsIsRefused() throws Exception {
    Files.writeString(source.resolve("route.yaml"), ROUTE);
    assertThatThrownBy(() -> ListenerPortManifests.start(source, "default/http", 18081, line -> {}))
        .hasMessage("no Gateway default/http in " + source);
    Files.writeString(source.resolve("gateway.yaml"), GATEWAY.replaceFirst("8080", "443"));
    assertThatThrownBy(() -> ListenerPortManifests.start(source, "default/http", 18081, line -> {}))
        .hasMessage(
            source.resolve("gateway.yaml")
                + ": Gateway default/http has"
                + " listeners on ports 443, 8080; --listener-port moves a Gateway whose listeners"
                + " share one port");
  }

  @Test
  void aFileThatDoesNotParseIsLeftForTheControlPlaneToReport() {
    assertThat(ListenerPortManifests.rewrite("kind: Gateway\n  bad: [", "default", "http", 1))
        .isNull();
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void await(Condition condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.holds()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
