package dev.lambdagate.harness;

import dev.lambdagate.harness.cli.DataPlaneCommand;
import dev.lambdagate.harness.cli.EmulatorCommand;
import dev.lambdagate.harness.cli.FilterCommand;
import dev.lambdagate.harness.cli.RunCommand;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** {@code java -jar lambdagate-harness.jar COMMAND ...}: the harness's command-line entry point. */
public final class HarnessMain {
  private HarnessMain() {}

  public static void main(String[] args) {
    // Before any HTTP class loads: TCP_NODELAY for the JDK server (else ~40 ms per response)
    // and Host as a settable header for java.net.http (the router sends the filter's :authority).
    System.setProperty("sun.net.httpserver.nodelay", "true");
    System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    System.exit(run(args));
  }

  /** Runs a command with the process's stdout and stderr. */
  public static int run(String[] args) {
    return run(args, System.out, System.err);
  }

  /**
   * Runs a command. {@code --help}, {@code -h} or {@code help} as the first argument print the
   * usage on {@code out} and return 0; no command or an unknown one print it on {@code err} and
   * return 2. Each command answers its own {@code --help} / {@code -h}.
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println("no command given");
      err.println(USAGE);
      return 2;
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    switch (args[0]) {
      case "run":
        return RunCommand.run(rest, out, err);
      case "filter":
        return FilterCommand.run(rest, out, err);
      case "dataplane":
        return DataPlaneCommand.run(rest, out, err);
      case "lambda-emulator":
        return EmulatorCommand.lambda(rest, out, err);
      case "sts-emulator":
        return EmulatorCommand.sts(rest, out, err);
      case "help":
      case "--help":
      case "-h":
        out.println(USAGE);
        return 0;
      default:
        err.println("unknown command '" + args[0] + "'");
        err.println(USAGE);
        return 2;
    }
  }

  static final String USAGE =
      "usage: java -jar lambdagate-harness.jar COMMAND [OPTIONS]"
          + " (COMMAND --help: its options)\n"
          + "commands:\n"
          + "  run      the whole path without a cluster: control plane on a manifest directory,\n"
          + "           Lambda/STS emulators, Envoy or the embedded data plane on the Gateway's port\n"
          + "           [--manifests examples/secret] [--data-plane auto|embedded|envoy|docker]\n"
          + "           [--wasm FILE] [--listener-port N] [--lambda-port 9001] [--sts-port 9002]\n"
          + "           [--sts-endpoint URL] [--ads-port 18000]\n"
          + "  filter   run lambdagate.wasm on one request and print what it sends upstream\n"
          + "           --wasm FILE --config FILE --request FILE [--time 20150830T123600Z]\n"
          + "           [--route-name NAME] [--cluster-name NAME] [--log-level LEVEL]\n"
          + "  dataplane        the embedded data plane (Envoy's role, configured over ADS)\n"
          + "           [--ads 127.0.0.1:18000] [--node-id ID] [--gateway default/http]\n"
          + "           [--wasm wasm-filter/target/lambdagate.wasm] [--admin-port 19000]"
          + " [--bind ADDRESS] [--workers 1]\n"
          + "  lambda-emulator  AWS Lambda Invoke emulator [--port 9001] [--bind 127.0.0.1]"
          + " [--region R] [--account-id ID]\n"
          + "  sts-emulator     AWS STS emulator [--port 9002] [--bind 127.0.0.1] [--region R]";
}
