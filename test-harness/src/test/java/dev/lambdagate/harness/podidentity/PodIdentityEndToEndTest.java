package dev.lambdagate.harness.podidentity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.ControlPlaneMain;
import dev.lambdagate.controlplane.tls.GatewayCredentialFiles;
import dev.lambdagate.harness.dataplane.DataPlaneOptions;
import dev.lambdagate.harness.dataplane.EmbeddedDataPlane;
import dev.lambdagate.harness.dataplane.XdsClientCredentials;
import dev.lambdagate.harness.emulator.LambdaEmulator;
import dev.lambdagate.harness.emulator.LambdaEmulatorConfig;
import dev.lambdagate.harness.emulator.PodIdentityAgentEmulator;
import dev.lambdagate.harness.emulator.credentials.CredentialStore;
import dev.lambdagate.harness.emulator.credentials.StoredCredential;
import dev.lambdagate.harness.emulator.lambda.InvocationRecord;
import dev.lambdagate.harness.emulator.sts.PodIdentityAgentHandler;
import dev.lambdagate.harness.host.ModuleUnderTest;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * EKS Pod Identity end to end: a Backend with {@code auth.type: PodIdentity} in the control plane's
 * file mode (the proxy ServiceAccount's {@code pods.eks.amazonaws.com} token from {@code
 * --pod-identity-token-file}, the agent emulator as {@code --pod-identity-agent}), the embedded
 * data plane running the built filter over ADS, which calls the agent through the pushed agent
 * cluster and signs the Invoke call; the Lambda emulator verifies the SigV4 signature and the
 * session token against what the agent issued.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PodIdentityEndToEndTest {
  static final String ROLE = "arn:aws:iam::123456789012:role/lambdagate-pod-identity";

  @TempDir Path dir;

  static String podIdentityToken() {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    long exp = Instant.now().plus(Duration.ofDays(1)).getEpochSecond();
    return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(
            ("{\"sub\":\"system:serviceaccount:default:http\",\"aud\":[\"pods.eks.amazonaws.com\"],"
                    + "\"exp\":"
                    + exp
                    + "}")
                .getBytes(StandardCharsets.UTF_8))
        + ".c2lnbmF0dXJl";
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static String manifests(int listenerPort, URI lambda) {
    return """
        kind: Gateway
        apiVersion: gateway.networking.k8s.io/v1
        metadata: {name: http, namespace: default}
        spec:
          gatewayClassName: kgateway
          listeners: [{protocol: HTTP, port: %d, name: http}]
        ---
        apiVersion: gateway.kgateway.dev/v1alpha1
        kind: Backend
        metadata: {name: lambda, namespace: default}
        spec:
          type: AWS
          aws:
            region: us-east-1
            accountId: "123456789012"
            auth: {type: PodIdentity}
            lambda: {functionName: echo, endpointURL: "%s"}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: lambda, namespace: default}
        spec:
          parentRefs: [{name: http}]
          rules:
          - matches: [{path: {type: PathPrefix, value: /echo}}]
            backendRefs: [{name: lambda, group: gateway.kgateway.dev, kind: Backend}]
        """
        .formatted(listenerPort, lambda);
  }

  @Test
  void invokeCallsAreSignedWithTheAgentsCredentials() throws Exception {
    CredentialStore store = new CredentialStore();
    String token = podIdentityToken();
    try (PodIdentityAgentEmulator agent = PodIdentityAgentEmulator.start(store, ROLE);
        LambdaEmulator lambda =
            LambdaEmulator.start(
                LambdaEmulatorConfig.builder().port(0).credentialStore(store).build())) {
      int listener = freePort();
      Path input = Files.createDirectories(dir.resolve("manifests"));
      Files.writeString(input.resolve("all.yaml"), manifests(listener, lambda.endpoint()));
      Path tokenFile = Files.writeString(dir.resolve("pod-identity-token"), token);
      try (ControlPlaneMain.Running controlPlane =
          ControlPlaneMain.start(
              "--manifests",
              input.toString(),
              "--ads-port",
              "0",
              "--wasm-file",
              ModuleUnderTest.path().toAbsolutePath().toString(),
              "--pod-identity-token-file",
              tokenFile.toString(),
              "--pod-identity-agent",
              agent.endpoint().toString(),
              "--sts-check",
              "off",
              "--function-check",
              "off",
              "--tls-dir",
              dir.resolve("tls").toString())) {
        GatewayCredentialFiles.Paths files = controlPlane.gatewayCredentials("default/http");
        XdsClientCredentials credentials =
            new XdsClientCredentials(
                files.caCertificate(), files.certificate(), files.privateKey());
        try (EmbeddedDataPlane dataPlane =
            EmbeddedDataPlane.start(
                DataPlaneOptions.of(
                    "127.0.0.1",
                    controlPlane.adsPort(),
                    credentials,
                    "pod-identity-e2e",
                    "default/http",
                    ModuleUnderTest.path()))) {
          assertThat(dataPlane.awaitReady(Duration.ofSeconds(60)))
              .as(dataPlane.describe())
              .isTrue();
          HttpClient client = HttpClient.newHttpClient();
          for (int i = 0; i < 3; i++) {
            HttpResponse<String> answer =
                client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listener + "/echo"))
                        .timeout(Duration.ofSeconds(30))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"n\":" + i + "}"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            InvocationRecord invocation = lambda.invocations().last().orElseThrow();
            assertThat(invocation.verification().isValid()).isTrue();
            assertThat(invocation.bodyText()).isEqualTo("{\"n\":" + i + "}");
          }
          // One agent call, credentials kept for the later requests.
          assertThat(agent.calls()).hasSize(1);
          PodIdentityAgentHandler.Call call = agent.calls().get(0);
          assertThat(call.status()).isEqualTo(200);
          StoredCredential issued = store.find(call.issuedAccessKeyId()).orElseThrow();
          assertThat(lambda.invocations().last().orElseThrow().header("x-amz-security-token"))
              .isEqualTo(issued.sessionToken());
        }
      }
    }
  }
}
