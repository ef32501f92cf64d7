package dev.lambdagate.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Every command answers {@code --help} and {@code -h} with its usage on stdout and exit code 0
 * (before looking at anything else); no command or an unknown one is an error with the usage on
 * stderr.
 */
class HarnessMainHelpTest {

  @Test
  void everyCommandPrintsItsUsageOnStdoutAndExits0() {
    String[][] commands = {
      {"run", "--listener-port N", "--sts-endpoint URL", "--manifests"},
      {"filter", "--wasm FILE", "--config FILE", "--request FILE"},
      {"dataplane", "--ads HOST:PORT", "--xds-ca FILE", "--workers"},
      {"lambda-emulator", "--port 9001", "--account-id"},
      {"sts-emulator", "--port 9002", "--region"}
    };
    for (String[] command : commands) {
      for (String flag : new String[] {"--help", "-h"}) {
        // The help flag wins over anything else, even an option the command does not know.
        Result r = run(command[0], "--no-such-option", flag);
        assertThat(r.code).as("%s %s", command[0], flag).isZero();
        assertThat(r.err).as("%s %s stderr", command[0], flag).isEmpty();
        assertThat(r.out).as("%s %s", command[0], flag).startsWith("usage: " + command[0]);
        for (int i = 1; i < command.length; i++) {
          assertThat(r.out).as("%s %s", command[0], flag).contains(command[i]);
        }
      }
    }
  }

  @Test
  void theHarnessItselfAnswersHelpOnStdout() {
    for (String flag : new String[] {"--help", "-h", "help"}) {
      Result r = run(flag);
      assertThat(r.code).as(flag).isZero();
      assertThat(r.err).as(flag).isEmpty();
      assertThat(r.out)
          .as(flag)
          .startsWith("usage: java -jar lambdagate-harness.jar COMMAND")
          .contains("  run ")
          .contains("  filter ")
          .contains("  dataplane ")
          .contains("  lambda-emulator ")
          .contains("  sts-emulator ")
          .contains("--listener-port N");
    }
  }

  @Test
  void noCommandOrAnUnknownOneIsAnErrorWithTheUsageOnStderr() {
    Result none = run();
    assertThat(none.code).isEqualTo(2);
    assertThat(none.out).isEmpty();
    assertThat(none.err).startsWith("no command given\nusage: java -jar lambdagate-harness.jar");

    Result unknown = run("serve", "--help");
    assertThat(unknown.code).isEqualTo(2);
    assertThat(unknown.out).isEmpty();
    assertThat(unknown.err).startsWith("unknown command 'serve'\nusage: java -jar");
  }

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        HarnessMain.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
