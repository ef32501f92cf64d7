package dev.lambdagate.harness.cli;

import dev.lambdagate.harness.host.FilterOutcome;
import dev.lambdagate.harness.host.FilterStartException;
import dev.lambdagate.harness.host.FilterStream;
import dev.lambdagate.harness.host.FilterVm;
import dev.lambdagate.harness.host.FilterVmOptions;
import dev.lambdagate.harness.host.HostClock;
import dev.lambdagate.harness.host.HttpMessage;
import dev.lambdagate.harness.host.RawHttpRequest;
import dev.lambdagate.harness.host.WasmFilter;
import io.roastedroot.proxywasm.LogLevel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code filter}: runs the real module on one request and prints what leaves the filter.
 *
 * <pre>
 * filter --wasm lambdagate.wasm --config CONFIG.json --request REQUEST.txt
 *        [--time 20150830T123600Z] [--route-name NAME] [--cluster-name NAME] [--log-level LEVEL]
 * </pre>
 *
 * Prints the request as sent upstream (request line, {@code name:value} lines, blank line, body)
 * or, when the filter answered itself, the local reply ({@code HTTP/1.1 STATUS}, headers, body).
 * Exit codes: 0 forwarded or answered with a status below 500; 3 answered with 5xx (a filter
 * error); 2 bad arguments or a configuration the filter rejected.
 */
public final class FilterCommand {
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);

  static final String USAGE =
      "usage: filter --wasm FILE --config FILE --request FILE"
          + " [--time 20150830T123600Z] [--route-name NAME] [--cluster-name NAME]"
          + " [--log-level trace|debug|info|warn]";

  private FilterCommand() {}

  public static int run(List<String> args, PrintStream out, PrintStream err) {
    if (CommandLine.asksForHelp(args)) {
      out.println(USAGE);
      return 0;
    }
    Map<String, String> options;
    try {
      options =
          CommandLine.parse(
              args,
              List.of(
                  "--wasm",
                  "--config",
                  "--request",
                  "--time",
                  "--route-name",
                  "--cluster-name",
                  "--log-level"));
      CommandLine.require(options, "--wasm", "--config", "--request");
    } catch (IllegalArgumentException e) {
      err.println("filter: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    try {
      HostClock clock =
          options.containsKey("--time")
              ? HostClock.fixed(parseTime(options.get("--time")))
              : HostClock.SYSTEM;
      byte[] config = read(options.get("--config"), "--config");
      RawHttpRequest raw = RawHttpRequest.parse(read(options.get("--request"), "--request"));
      LogLevel level =
          LogLevel.valueOf(options.getOrDefault("--log-level", "info").toUpperCase(Locale.ROOT));
      WasmFilter filter = WasmFilter.load(Paths.get(options.get("--wasm")));
      FilterVmOptions vmOptions =
          new FilterVmOptions(
              config,
              clock,
              (l, line) -> err.println("[" + l.name().toLowerCase(Locale.ROOT) + "] " + line),
              level,
              new io.roastedroot.proxywasm.SimpleSharedDataHandler(),
              dev.lambdagate.harness.host.HttpCallTransport.NONE);
      Map<List<String>, byte[]> properties = new HashMap<>();
      if (options.containsKey("--route-name")) {
        properties.put(List.of("xds", "route_name"), bytes(options.get("--route-name")));
      }
      if (options.containsKey("--cluster-name")) {
        properties.put(List.of("xds", "cluster_name"), bytes(options.get("--cluster-name")));
      }
      try (FilterVm vm = FilterVm.start(filter, vmOptions);
          FilterStream stream = vm.openStream(properties)) {
        FilterOutcome outcome = stream.request(HttpMessage.fromRaw(raw));
        print(outcome, out);
        return outcome.localReply() && outcome.status() >= 500 ? 3 : 0;
      }
    } catch (FilterStartException e) {
      err.println(
          "filter: the module rejected the configuration ("
              + e.getMessage()
              + "); the log above says why");
      return 2;
    } catch (IllegalArgumentException | IOException e) {
      err.println("filter: " + e.getMessage());
      return 2;
    }
  }

  static void print(FilterOutcome outcome, PrintStream out) {
    HttpMessage message = outcome.message();
    StringBuilder text = new StringBuilder();
    if (outcome.localReply()) {
      text.append("HTTP/1.1 ").append(outcome.status()).append('\n');
    } else {
      text.append(message.header(":method"))
          .append(' ')
          .append(message.header(":path"))
          .append(" HTTP/1.1\n");
      if (message.header(":authority") != null) {
        text.append("host:").append(message.header(":authority")).append('\n');
      }
    }
    for (String[] h : message.headers()) {
      if (!h[0].startsWith(":")) {
        text.append(h[0]).append(':').append(h[1]).append('\n');
      }
    }
    text.append('\n');
    out.print(text);
    out.write(message.body(), 0, message.body().length);
    out.flush();
  }

  private static Instant parseTime(String value) {
    try {
      return LocalDateTime.parse(value, AMZ_DATE).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "--time: expected yyyyMMddTHHmmssZ such as " + "20150830T123600Z, got '" + value + "'");
    }
  }

  private static byte[] read(String file, String option) throws IOException {
    Path path = Paths.get(file);
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException(option + ": no such file: " + file);
    }
    return Files.readAllBytes(path);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
