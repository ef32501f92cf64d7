package dev.lambdagate.harness.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.translate.FilterConfigWriter;
import dev.lambdagate.harness.cli.RunCommand;
import dev.lambdagate.harness.emulator.StsEmulator;
import dev.lambdagate.harness.emulator.StsEmulatorConfig;
import dev.lambdagate.harness.emulator.credentials.CredentialStore;
import dev.lambdagate.harness.host.ModuleUnderTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run}'s options end to end: {@code --listener-port N} on the Secret guide as written (its
 * Gateway on 8080) serves the README's curl on N, the stack reports N, and editing the original
 * manifests still changes routing live (through the rewritten copy); {@code --sts-endpoint URL}
 * sends the control plane's STS calls there, and no STS emulator starts.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RunOptionsEndToEndTest {
  @TempDir Path dir;

  @Test
  void theGatewayMovesToTheListenerPortAndLiveEditsStillApply() throws Exception {
    QuickStartEndToEndTest.readTheReadme();
    QuickStartEndToEndTest.Ports free = QuickStartEndToEndTest.Ports.free();
    QuickStartEndToEndTest copier = new QuickStartEndToEndTest();
    copier.dir = dir;
    // listener 8080: the Gateway keeps the port it has in examples/secret.
    Path manifests =
        copier.copyExample(
            "secret",
            new QuickStartEndToEndTest.Ports(8080, free.lambda(), free.sts(), free.ads()));
    assertThat(Files.readString(manifests.resolve("gateway.yaml"))).contains("port: 8080");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    RunCommand.Options options =
        RunCommand.Options.defaults(manifests, ModuleUnderTest.path())
            .withPorts(free.lambda(), free.sts(), free.ads(), 0)
            .withDataPlane("embedded")
            .withListenerPort(free.listener());
    try (RunCommand.Stack stack =
        RunCommand.start(options, new PrintStream(log, true, StandardCharsets.UTF_8))) {
      assertThat(stack.listenerPorts()).containsExactly(free.listener());
      HttpResponse<String> answer =
          QuickStartEndToEndTest.post(
              free.listener(), "/echo", QuickStartEndToEndTest.curlBody, null);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo(QuickStartEndToEndTest.expectedResponse);

      Path route = manifests.resolve("httproute.yaml");
      Files.writeString(route, Files.readString(route).replace("value: /echo", "value: /hello"));
      QuickStartEndToEndTest.awaitStatus(free.listener(), "/hello", 200);
    }
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("Gateway default/http listens on port " + free.listener() + " (--listener-port)")
        .contains("on port(s) [" + free.listener() + "]");
    assertThat(Files.readString(manifests.resolve("gateway.yaml")))
        .as("original untouched")
        .contains("port: 8080");
  }

  @Test
  void aMissingGatewayIsRefusedByName() throws Exception {
    QuickStartEndToEndTest.Ports free = QuickStartEndToEndTest.Ports.free();
    QuickStartEndToEndTest copier = new QuickStartEndToEndTest();
    copier.dir = dir;
    Path manifests = copier.copyExample("secret", free);
    RunCommand.Options options =
        RunCommand.Options.defaults(manifests, ModuleUnderTest.path())
            .withPorts(free.lambda(), free.sts(), free.ads(), 0)
            .withDataPlane("embedded")
            .withListenerPort(free.listener());
    Files.delete(manifests.resolve("gateway.yaml"));
    RunCommand.StartException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            RunCommand.StartException.class,
            () ->
                RunCommand.start(
                    options,
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    assertThat(e.getMessage())
        .isEqualTo("--listener-port: no Gateway default/http in " + manifests);
  }

  @Test
  void theControlPlaneCallsTheStsEndpointGivenAndNoEmulatorStarts() throws Exception {
    QuickStartEndToEndTest.Ports free = QuickStartEndToEndTest.Ports.free();
    QuickStartEndToEndTest copier = new QuickStartEndToEndTest();
    copier.dir = dir;
    Path manifests = copier.copyExample("secret", free);
    // --sts-port's port held by someone else: run would fail if it started the emulator.
    try (java.net.ServerSocket stsPortTaken =
            new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"));
        StsEmulator elsewhere =
            StsEmulator.start(
                StsEmulatorConfig.builder()
                    .port(0)
                    .bindAddress("127.0.0.1")
                    .credentialStore(CredentialStore.withTestKeyPair())
                    .build())) {
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      RunCommand.Options options =
          RunCommand.Options.defaults(manifests, ModuleUnderTest.path())
              .withPorts(free.lambda(), stsPortTaken.getLocalPort(), free.ads(), 0)
              .withDataPlane("embedded")
              .withStsEndpoint(elsewhere.endpoint().toString());
      try (RunCommand.Stack stack =
          RunCommand.start(options, new PrintStream(log, true, StandardCharsets.UTF_8))) {
        assertThat(stack.sts()).isNull();
        var exchanges =
            elsewhere.calls().all().stream()
                .filter(c -> "GetSessionToken".equals(c.action()) && c.issuedAccessKeyId() != null)
                .toList();
        assertThat(exchanges).as("the control plane called the STS given").isNotEmpty();
        String pushed =
            stack.controlPlane().controlPlane().model().gateways().stream()
                .map(FilterConfigWriter::json)
                .toList()
                .toString();
        assertThat(pushed).contains(exchanges.get(exchanges.size() - 1).issuedAccessKeyId());
      }
      assertThat(log.toString(StandardCharsets.UTF_8))
          .contains("STS at " + elsewhere.endpoint() + " (--sts-endpoint; no STS emulator)");
    }
  }
}
