package dev.lambdagate.harness;

import dev.lambdagate.harness.cli.FilterCommand;
import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar lambdagate-harness.jar COMMAND ...}: the harness's command-line entry point.
 */
public final class HarnessMain {
  private HarnessMain() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    if (args.length == 0) {
      usage();
      return 2;
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    switch (args[0]) {
      case "filter":
        return FilterCommand.run(rest, System.out, System.err);
      case "help":
      case "--help":
        usage();
        return 0;
      default:
        System.err.println("unknown command '" + args[0] + "'");
        usage();
        return 2;
    }
  }

  private static void usage() {
    System.err.println("usage: java -jar lambdagate-harness.jar COMMAND [OPTIONS]\n"
        + "commands:\n"
        + "  filter   run lambdagate.wasm on one request and print what it sends upstream\n"
        + "           --wasm FILE --config FILE --request FILE [--time 20150830T123600Z]\n"
        + "           [--route-name NAME] [--cluster-name NAME] [--log-level LEVEL]");
  }
}
