package dev.lambdagate.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.harness.cli.DataPlaneCommand;
import dev.lambdagate.harness.cli.EmulatorCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The long-running commands fail fast and clearly when their port is taken. */
class HarnessMainCommandsTest {

  @Test
  void takenPortsExitWith2AndAClearMessage() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      String port = Integer.toString(taken.getLocalPort());
      Run lambda = run(err -> EmulatorCommand.lambda(List.of("--port", port), System.out, err));
      assertThat(lambda.code).isEqualTo(2);
      assertThat(lambda.err)
          .contains("lambda-emulator: port " + port + " on 127.0.0.1 is already in use")
          .doesNotContain("Exception")
          .doesNotContain("\tat ");

      Run sts = run(err -> EmulatorCommand.sts(List.of("--port", port), System.out, err));
      assertThat(sts.code).isEqualTo(2);
      assertThat(sts.err)
          .contains("sts-emulator: port " + port + " on 127.0.0.1 is already " + "in use")
          .doesNotContain("Exception");

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Run dp =
          run(
              err ->
                  DataPlaneCommand.run(
                      List.of(
                          "--admin-port",
                          port,
                          "--wasm",
                          System.getProperty(
                              "lambdagate.wasm", "../wasm-filter/target/lambdagate.wasm")),
                      new PrintStream(out, true, StandardCharsets.UTF_8),
                      err));
      assertThat(dp.code).isEqualTo(2);
      assertThat(dp.err)
          .contains("admin port " + port + " on 127.0.0.1 is already in use")
          .doesNotContain("Exception");
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("embedded data plane");
    }
  }

  @Test
  void badEmulatorCredentialsAreRefusedWithoutEchoingTheSecret() {
    Run lambda =
        run(
            err ->
                EmulatorCommand.lambda(
                    List.of("--port", "0", "--credentials", "AKIDONLY-s3cr3t"), System.out, err));
    assertThat(lambda.code).isEqualTo(2);
    assertThat(lambda.err)
        .contains("--credentials: credentials must look like AKID:SECRET")
        .doesNotContain("s3cr3t");
    assertThat(HarnessMain.run(new String[] {"run", "--data-plane", "warp"})).isEqualTo(2);
    assertThat(HarnessMain.run(new String[] {"run", "--help"})).isZero();
  }

  @Test
  void badArgumentsExitWith2() {
    assertThat(HarnessMain.run(new String[] {"dataplane", "--ads", "nohostport"})).isEqualTo(2);
    assertThat(HarnessMain.run(new String[] {"lambda-emulator", "--port", "x"})).isEqualTo(2);
    assertThat(HarnessMain.run(new String[] {"dataplane", "--wasm", "/no/such.wasm"})).isEqualTo(2);
  }

  @Test
  void dataplaneNeedsXdsCredentialsAndSaysWhichFileIsMissing() {
    Run missing =
        run(
            err ->
                DataPlaneCommand.run(
                    List.of(
                        "--xds-ca",
                        "/no/such/ca.crt",
                        "--xds-cert",
                        "/no/such/tls.crt",
                        "--xds-key",
                        "/no/such/tls.key"),
                    System.out,
                    err));
    assertThat(missing.code).isEqualTo(2);
    assertThat(missing.err)
        .contains("no such readable file: /no/such/ca.crt")
        .contains("--xds-cert");
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    assertThat(
            DataPlaneCommand.run(
                List.of("--help"), new PrintStream(out, true, StandardCharsets.UTF_8), System.err))
        .isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("--xds-ca FILE")
        .contains("--xds-cert FILE")
        .contains("--xds-key FILE")
        .contains("mutual TLS");
  }

  private record Run(int code, String err) {}

  private interface Command {
    int run(PrintStream err);
  }

  private static Run run(Command c) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code = c.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return new Run(code, bytes.toString(StandardCharsets.UTF_8));
  }
}
