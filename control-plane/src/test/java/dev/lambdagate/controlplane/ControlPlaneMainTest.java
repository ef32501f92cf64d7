package dev.lambdagate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ControlPlaneMainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return ControlPlaneMain.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void dumpPrintsXdsYaml() {
    assertThat(
            run(
                "--manifests",
                TestSupport.examplesDir().resolve("secret").toString(),
                "--dump",
                "--wasm-file",
                "/opt/lambdagate.wasm"))
        .isZero();
    String yaml = out.toString(StandardCharsets.UTF_8);
    assertThat(yaml)
        .contains("default/http:")
        .contains("name: default/http/8080")
        .contains("filename: /opt/lambdagate.wasm")
        .contains("lambdagate|default|lambda");
  }

  @Test
  void dumpShowsAPlaceholderSessionInsteadOfTheSecretsKeysUnlessTurnedOff() {
    String secret = TestSupport.examplesDir().resolve("secret").toString();
    assertThat(run("--manifests", secret, "--dump")).isZero();
    String exchanged = out.toString(StandardCharsets.UTF_8).replaceAll("\\\\?\n\\s*", "");
    assertThat(exchanged)
        .contains("ASIASESSIONPLACEHOLDER")
        .doesNotContain("AKIDEXAMPLE")
        .doesNotContain("wJalrXUtnFEMI");

    out.reset();
    assertThat(run("--manifests", secret, "--dump", "--exchange-secret-keys", "off")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("AKIDEXAMPLE")
        .doesNotContain("ASIASESSIONPLACEHOLDER");
  }

  @Test
  void wasmUrlAndStsEndpoint() {
    assertThat(
            run(
                "--manifests",
                TestSupport.examplesDir().resolve("irsa").toString(),
                "--dump",
                "--wasm-url",
                "https://example.com/lambdagate.wasm",
                "--wasm-sha256",
                "a".repeat(64),
                "--sts-endpoint",
                "http://127.0.0.1:9002",
                "--web-identity-token-file",
                "src/test/resources/token.txt"))
        .isZero();
    String yaml = out.toString(StandardCharsets.UTF_8);
    assertThat(yaml)
        .contains("uri: https://example.com/lambdagate.wasm")
        .contains("name: lambdagate-wasm")
        .contains("name: lambdagate-sts|us-east-1")
        .contains("portValue: 9002")
        .contains("webIdentity");
  }

  @Test
  void portInUseExitsWith2() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      int code =
          run(
              "--manifests",
              TestSupport.examplesDir().resolve("secret").toString(),
              "--ads-port",
              String.valueOf(taken.getLocalPort()));
      assertThat(code).isEqualTo(2);
      assertThat(err.toString(StandardCharsets.UTF_8))
          .contains("port " + taken.getLocalPort() + " is already in use");
    }
  }

  @Test
  void theFunctionCheckIsOnUnlessSwitchedOff() throws Exception {
    assertThat(ControlPlaneMain.parse(new String[0]).functionCheck()).isTrue();
    assertThat(ControlPlaneMain.parse(new String[] {"--function-check", "off"}).functionCheck())
        .isFalse();
    // Independent of the STS check's switch.
    ControlPlaneMain.Flags f = ControlPlaneMain.parse(new String[] {"--sts-check", "off"});
    assertThat(f.functionCheck()).isTrue();
    assertThat(f.stsCheck()).isFalse();
  }

  @Test
  void thePodIdentityAgentIsTheLinkLocalAgentOrALoopbackStandIn() throws Exception {
    assertThat(ControlPlaneMain.parse(new String[0]).modelOptions(true).podIdentityAgent().url())
        .isEqualTo("http://169.254.170.23");
    assertThat(
            ControlPlaneMain.parse(new String[] {"--pod-identity-agent", "http://127.0.0.1:9911"})
                .modelOptions(false)
                .podIdentityAgent()
                .authority())
        .isEqualTo("127.0.0.1:9911");
    assertThat(
            ControlPlaneMain.parse(new String[] {"--pod-identity-agent", "http://[fd00:ec2::23]"})
                .podIdentityAgent()
                .host())
        .isEqualTo("[fd00:ec2::23]");
    // The proxies send their ServiceAccount token there: nowhere else.
    assertThat(run("--pod-identity-agent", "http://agent.example.com")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains(
            "--pod-identity-agent: must be http:// to 169.254.170.23, [fd00:ec2::23] or a"
                + " loopback address, not http://agent.example.com");
    assertThat(run("--pod-identity-agent", "https://169.254.170.23")).isEqualTo(2);
  }

  @Test
  void badFlags() {
    assertThat(run("--nope", "x")).isEqualTo(2);
    assertThat(run("--wasm-url", "https://x/y.wasm")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--wasm-sha256 must be 64 hex");
    assertThat(run("--sts-check", "maybe")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--sts-check: must be on or off, not maybe");
    assertThat(run("--function-check", "maybe")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--function-check: must be on or off, not maybe");
    assertThat(run("--exchange-secret-keys", "no")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--exchange-secret-keys: must be on or off, not no");
    assertThat(run("--help")).isZero();
  }

  @Test
  void theStsEndpointMustPassTheEndpointPolicy() {
    String irsa = TestSupport.examplesDir().resolve("irsa").toString();
    assertThat(
            run(
                "--manifests",
                irsa,
                "--dump",
                "--sts-endpoint",
                "http://sts.example.com",
                "--web-identity-token-file",
                "src/test/resources/token.txt"))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--sts-endpoint: " + "http://sts.example.com is not an AWS sts endpoint");
    assertThat(
            run(
                "--manifests",
                irsa,
                "--dump",
                "--sts-endpoint",
                "https://sts.us-east-1.amazonaws.com:8443"))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("must use port 443");
    assertThat(run("--endpoint-allowlist", "a/b")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--endpoint-allowlist: \"a/b\" must not have a path");
    // The operator's allowlist admits it, flags in any order.
    assertThat(
            run(
                "--manifests",
                irsa,
                "--dump",
                "--sts-endpoint",
                "http://sts.example.com",
                "--endpoint-allowlist",
                "sts.example.com,lambda.example.com:8443",
                "--web-identity-token-file",
                "src/test/resources/token.txt"))
        .isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("address: sts.example.com");
  }

  @Test
  void theEndpointAllowlistAdmitsABackendsEndpoint(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path manifests = Files.createDirectories(dir.resolve("m"));
    try (var files = Files.list(TestSupport.examplesDir().resolve("secret"))) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.writeString(
            manifests.resolve(f.getFileName()),
            Files.readString(f)
                .replace("http://127.0.0.1:9001", "http://lambda-emulator.test.svc:9001"));
      }
    }
    assertThat(run("--manifests", manifests.toString(), "--dump")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .doesNotContain("address: lambda-emulator")
        .contains("directResponse"); // the refused Backend's route answers 500
    out.reset();
    assertThat(
            run(
                "--manifests",
                manifests.toString(),
                "--dump",
                "--endpoint-allowlist",
                "lambda-emulator.test.svc:9001"))
        .isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("address: lambda-emulator.test.svc")
        .doesNotContain("directResponse");
  }

  @Test
  void kubeModeWithoutAClusterIsAClearErrorNotAHang(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path wasm = Files.write(dir.resolve("lambdagate.wasm"), new byte[] {0, 'a', 's', 'm'});
    // No kubeconfig and no in-cluster service account here: the API server cannot be reached.
    System.setProperty("kubeconfig", dir.resolve("no-such-kubeconfig").toString());
    System.setProperty("kubernetes.master", "https://127.0.0.1:1");
    try {
      assertThat(run("--ads-port", "0", "--wasm-file", wasm.toString())).isEqualTo(2);
    } finally {
      System.clearProperty("kubeconfig");
      System.clearProperty("kubernetes.master");
    }
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("cannot reach the Kubernetes API server at https://127.0.0.1:1")
        .contains("--manifests DIR");
  }
}
