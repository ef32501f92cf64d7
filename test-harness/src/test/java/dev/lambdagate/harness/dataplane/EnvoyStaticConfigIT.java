package dev.lambdagate.harness.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lambdagate.harness.emulator.LambdaEmulator;
import dev.lambdagate.harness.emulator.LambdaEmulatorConfig;
import dev.lambdagate.harness.host.ModuleUnderTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.Testcontainers;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The real Envoy (the official image, version pinned once in the root pom) running {@code
 * envoy-configs/static-lambda.yaml} with lambdagate.wasm in V8; the Lambda cluster is pointed at
 * the Lambda emulator on the host. Needs a Docker daemon: skipped, saying so, where there is none.
 */
class EnvoyStaticConfigIT {

  @Test
  void realEnvoyRunsStaticLambdaYaml() throws Exception {
    DockerAvailability.assume(
        "EnvoyStaticConfigIT",
        "the real-Envoy test (envoy-configs/static-lambda.yaml in " + image() + ")");

    try (LambdaEmulator lambda =
        LambdaEmulator.start(LambdaEmulatorConfig.builder().bindAddress("0.0.0.0").build())) {
      Testcontainers.exposeHostPorts(lambda.port());
      String host = "host.testcontainers.internal";
      JsonNode tree = EnvoyConfigs.tree("static-lambda.yaml");
      pointAtEmulator(tree, host, lambda.port());
      try (GenericContainer<?> envoy =
          new GenericContainer<>(DockerImageName.parse(image()))
              .withAccessToHost(true)
              .withCopyFileToContainer(
                  MountableFile.forHostPath(ModuleUnderTest.path()),
                  "/etc/lambdagate/lambdagate.wasm")
              .withCopyToContainer(
                  Transferable.of(EnvoyConfigs.toYaml(tree)), "/etc/lambdagate/envoy.yaml")
              .withCommand("envoy", "-c", "/etc/lambdagate/envoy.yaml", "--log-level", "info")
              .withExposedPorts(8080)
              .waitingFor(Wait.forListeningPort())
              .withStartupTimeout(Duration.ofMinutes(2))) {
        envoy.start();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://"
                                + envoy.getHost()
                                + ":"
                                + envoy.getMappedPort(8080)
                                + "/echo"))
                    .timeout(Duration.ofSeconds(30))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(EmbeddedDataPlaneTest.SEED_BODY))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(envoy.getLogs()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(EmbeddedDataPlaneTest.EXPECTED);
      }
    }
  }

  static String image() {
    return System.getProperty("lambdagate.envoy.image", "envoyproxy/envoy:v1.35.0");
  }

  /** Plain HTTP to the emulator instead of TLS to AWS; the filter's endpoint follows. */
  static void pointAtEmulator(JsonNode tree, String host, int port) throws Exception {
    ObjectNode cluster = (ObjectNode) tree.at("/static_resources/clusters/0");
    cluster.remove("transport_socket");
    ObjectNode socket =
        (ObjectNode)
            cluster.at(
                "/load_assignment/endpoints/0/lb_endpoints/0/endpoint/address/socket_address");
    socket.put("address", host);
    socket.put("port_value", port);
    ObjectNode configuration =
        (ObjectNode)
            tree.at(
                "/static_resources/listeners/0/"
                    + "filter_chains/0/filters/0/typed_config/http_filters/0/typed_config/config/"
                    + "configuration");
    ObjectNode json = (ObjectNode) EnvoyConfigs.JSON.readTree(configuration.get("value").asText());
    ((ObjectNode) json.get("lambda")).put("endpoint", "http://" + host + ":" + port);
    configuration.put("value", EnvoyConfigs.JSON.writeValueAsString(json));
  }
}
