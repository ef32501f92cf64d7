package dev.lambdagate.harness.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses {@code --name value} options; every error names the option. */
public final class CommandLine {
  private CommandLine() {}

  /** Options in order of appearance; an unknown option or a missing value is an error. */
  public static Map<String, String> parse(List<String> args, List<String> known) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String name = args.get(i);
      if (!known.contains(name)) {
        throw new IllegalArgumentException(
            "unknown option '" + name + "' (known: " + String.join(", ", known) + ")");
      }
      if (i + 1 >= args.size()) {
        throw new IllegalArgumentException(name + ": missing value");
      }
      options.put(name, args.get(++i));
    }
    return options;
  }

  /**
   * Whether the arguments ask for the usage ({@code --help} or {@code -h} anywhere): commands then
   * print it on stdout and exit 0, whatever else was given.
   */
  public static boolean asksForHelp(List<String> args) {
    return args.contains("--help") || args.contains("-h");
  }

  public static void require(Map<String, String> options, String... names) {
    for (String name : names) {
      if (!options.containsKey(name)) {
        throw new IllegalArgumentException(name + " is required");
      }
    }
  }
}
