package dev.lambdagate.harness.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.ControlPlaneMain;
import dev.lambdagate.controlplane.tls.GatewayCredentialFiles;
import dev.lambdagate.harness.cli.RunCommand;
import dev.lambdagate.harness.dataplane.DockerAvailability;
import dev.lambdagate.harness.dataplane.XdsClientCredentials;
import dev.lambdagate.harness.emulator.LambdaEmulator;
import dev.lambdagate.harness.emulator.LambdaEmulatorConfig;
import dev.lambdagate.harness.emulator.StsEmulator;
import dev.lambdagate.harness.emulator.StsEmulatorConfig;
import dev.lambdagate.harness.emulator.credentials.CredentialStore;
import dev.lambdagate.harness.host.ModuleUnderTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testcontainers.Testcontainers;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The quick start through a real Envoy (the official image, version pinned once in the root pom):
 * the control plane in file mode on {@code examples/secret} and {@code examples/irsa} feeds Envoy
 * over ADS; Envoy runs lambdagate.wasm in V8 and reaches the Lambda and STS emulators on the host.
 * Needs a Docker daemon: skipped, saying so, where there is none.
 */
class EnvoyQuickStartIT {
  static final String HOST = "host.testcontainers.internal";
  static final String WASM_IN_CONTAINER = "/etc/lambdagate/lambdagate.wasm";

  @TempDir Path dir;

  @BeforeAll
  static void needsDocker() throws Exception {
    DockerAvailability.assume(
        "EnvoyQuickStartIT",
        "the real-Envoy quick start (the embedded"
            + " data plane covers these scenarios in QuickStartEndToEndTest)");
    QuickStartEndToEndTest.readTheReadme();
  }

  @ParameterizedTest
  @ValueSource(strings = {"secret", "irsa"})
  void realEnvoyAnswersTheReadmeCurl(String example) throws Exception {
    // Every server here binds port 0 first; what needs its port (the manifests' endpointURL, the
    // control plane's STS endpoint, Envoy's bootstrap) is written after, from the port it got.
    Path token =
        Files.writeString(
            dir.resolve("token"),
            "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZGVmYXVsdDpodHRwIn0.c2ln");
    CredentialStore credentials = CredentialStore.withTestKeyPair();
    try (LambdaEmulator lambda =
            LambdaEmulator.start(
                LambdaEmulatorConfig.builder()
                    .port(0)
                    .bindAddress("0.0.0.0")
                    .credentialStore(credentials)
                    .build());
        StsEmulator sts =
            StsEmulator.start(
                StsEmulatorConfig.builder()
                    .port(0)
                    .bindAddress("0.0.0.0")
                    .credentialStore(credentials)
                    .build());
        ControlPlaneMain.Running controlPlane =
            ControlPlaneMain.start(
                "--manifests",
                copyExample(example, lambda.port()).toString(),
                "--ads-port",
                "0",
                "--wasm-file",
                // Secret: the control plane (on this host) calls STS and Envoy never does; IRSA:
                // Envoy (in the container) calls STS.
                WASM_IN_CONTAINER,
                "--sts-endpoint",
                "http://" + (example.equals("secret") ? "127.0.0.1" : HOST) + ":" + sts.port(),
                // The emulators are on the Docker host, not loopback as seen from Envoy: the
                // operator's allowlist admits them (the endpoint policy refuses them otherwise).
                "--endpoint-allowlist",
                HOST,
                "--web-identity-token-file",
                token.toString(),
                "--tls-dir",
                dir.resolve("xds-tls-" + example).toString())) {
      // The Secret's keys are exchanged with the STS emulator first; Envoy then gets the session.
      assertThat(controlPlane.awaitSecretSessions(Duration.ofSeconds(20))).isTrue();
      Testcontainers.exposeHostPorts(lambda.port(), sts.port(), controlPlane.adsPort());
      GatewayCredentialFiles.Paths tls = controlPlane.gatewayCredentials("default/http");
      XdsClientCredentials inContainer =
          XdsClientCredentials.inDirectory(Path.of("/etc/lambdagate/xds-tls"));
      String bootstrap =
          RunCommand.bootstrap("default/http", 19000, HOST, controlPlane.adsPort(), inContainer);
      try (GenericContainer<?> envoy =
          new GenericContainer<>(
                  DockerImageName.parse(
                      System.getProperty("lambdagate.envoy.image", "envoyproxy/envoy:v1.35.0")))
              .withAccessToHost(true)
              .withCopyFileToContainer(
                  MountableFile.forHostPath(ModuleUnderTest.path()), WASM_IN_CONTAINER)
              .withCopyToContainer(Transferable.of(bootstrap), "/etc/lambdagate/envoy.yaml")
              // 0644: the image runs Envoy as an unprivileged user.
              .withCopyFileToContainer(
                  MountableFile.forHostPath(tls.certificate(), 0644),
                  inContainer.certificate().toString())
              .withCopyFileToContainer(
                  MountableFile.forHostPath(tls.privateKey(), 0644),
                  inContainer.privateKey().toString())
              .withCopyFileToContainer(
                  MountableFile.forHostPath(tls.caCertificate(), 0644),
                  inContainer.caCertificate().toString())
              .withCommand("envoy", "-c", "/etc/lambdagate/envoy.yaml", "--log-level", "info")
              .withExposedPorts(8080)
              .waitingFor(Wait.forListeningPort())
              .withStartupTimeout(Duration.ofMinutes(2))) {
        envoy.start();
        HttpResponse<String> answer =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create(
                                "http://"
                                    + envoy.getHost()
                                    + ":"
                                    + envoy.getMappedPort(8080)
                                    + "/echo"))
                        .timeout(Duration.ofSeconds(30))
                        .header("content-type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(QuickStartEndToEndTest.curlBody))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(envoy.getLogs()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo(QuickStartEndToEndTest.expectedResponse);
      }
    }
  }

  /** Copies examples/NAME with the Backend's endpointURL on the Lambda emulator at {@code port}. */
  Path copyExample(String example, int lambdaPort) throws java.io.IOException {
    Path manifests = Files.createDirectories(dir.resolve(example));
    try (Stream<Path> files =
        Files.list(QuickStartEndToEndTest.repoRoot().resolve("examples").resolve(example))) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.writeString(
            manifests.resolve(f.getFileName()),
            Files.readString(f)
                .replace("http://127.0.0.1:9001", "http://" + HOST + ":" + lambdaPort));
      }
    }
    return manifests;
  }
}
