package dev.lambdagate.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code run}'s options and what it prints once ready (the stack itself: quickstart tests). */
class RunCommandTest {

  @Test
  void theReadyMessageShowsThePortActuallyListenedOn() {
    assertThat(RunCommand.readyMessage(List.of(18181), Path.of("examples/secret")))
        .startsWith(
            "run: ready. Try:\n  curl localhost:18181/echo -d '{\"key1\":\"value1\", "
                + "\"key2\":\"value2\"}' -X POST\n")
        .endsWith(
            "Edit the files in examples/secret to change routing; Ctrl-C stops " + "everything.")
        .doesNotContain("localhost:8080")
        .doesNotContain("listeners on ports");
    assertThat(RunCommand.readyMessage(List.of(8080, 8443), Path.of("m")))
        .contains("curl localhost:8080/echo")
        .contains("(listeners on ports [8080, 8443])");
    assertThat(RunCommand.readyMessage(List.of(), Path.of("m")))
        .contains("curl localhost:<the Gateway's listener port>/echo");
    assertThat(RunCommand.readyMessage(List.of(8080, 8443), List.of(8443), Path.of("m")))
        .contains("  curl localhost:8080/echo -d ")
        .contains("  curl -k https://localhost:8443/echo -d ")
        .doesNotContain("curl localhost:8443");
    assertThat(RunCommand.readyMessage(List.of(8443), List.of(8443), Path.of("m")))
        .startsWith("run: ready. Try:\n  curl -k https://localhost:8443/echo -d ");
  }

  @Test
  void badListenerPortsAndStsEndpointsAreRefusedBeforeAnythingStarts() {
    assertRefused(
        List.of("--listener-port", "0"), "run: --listener-port: expected 1..65535, " + "got '0'");
    assertRefused(
        List.of("--listener-port", "http"),
        "run: --listener-port: expected " + "1..65535, got 'http'");
    assertRefused(
        List.of("--listener-port", "65536"),
        "run: --listener-port: expected " + "1..65535, got '65536'");
    assertRefused(
        List.of("--sts-endpoint", "sts.amazonaws.com"),
        "run: --sts-endpoint: " + "'sts.amazonaws.com' must start with http:// or https://");
    assertRefused(
        List.of("--sts-endpoint", "https://sts.amazonaws.com/path"),
        "run: "
            + "--sts-endpoint: 'https://sts.amazonaws.com/path' must not have a path, query or "
            + "fragment");
  }

  @Test
  void optionsCarryTheListenerPortAndStsEndpoint() {
    RunCommand.Options defaults = RunCommand.Options.defaults(Path.of("m"), Path.of("w"));
    assertThat(defaults.listenerPort()).isZero();
    assertThat(defaults.stsEndpoint()).isNull();
    RunCommand.Options moved =
        defaults
            .withListenerPort(18080)
            .withStsEndpoint("https://sts.us-west-2.amazonaws.com")
            .withPorts(1, 2, 3, 4)
            .withDataPlane("embedded");
    assertThat(moved.listenerPort()).isEqualTo(18080);
    assertThat(moved.stsEndpoint()).isEqualTo("https://sts.us-west-2.amazonaws.com");
  }

  private static void assertRefused(List<String> args, String message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        RunCommand.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).as(args.toString()).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).as(args.toString()).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .as(args.toString())
        .startsWith(message + "\nusage: run ");
  }
}
