package dev.lambdagate.harness.cli;

import dev.lambdagate.harness.emulator.LambdaEmulator;
import dev.lambdagate.harness.emulator.LambdaEmulatorConfig;
import dev.lambdagate.harness.emulator.StsEmulator;
import dev.lambdagate.harness.emulator.StsEmulatorConfig;
import dev.lambdagate.harness.emulator.credentials.CredentialStore;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.util.List;
import java.util.Map;

/**
 * {@code lambda-emulator} and {@code sts-emulator}: run an emulator until Ctrl-C.
 *
 * <pre>
 * lambda-emulator [--port 9001] [--bind 127.0.0.1] [--region us-east-1] [--account-id 123456789012]
 * sts-emulator    [--port 9002] [--bind 127.0.0.1] [--region us-east-1]
 * </pre>
 *
 * Exit codes: 0 stopped by Ctrl-C; 2 bad arguments or the port is taken.
 */
public final class EmulatorCommand {
  static final String LAMBDA_USAGE =
      "usage: lambda-emulator [--port 9001] [--bind 127.0.0.1]"
          + " [--region us-east-1] [--account-id 123456789012]"
          + " [--credentials AKID:SECRET[:TOKEN],...] [--throttle-next N] [--slow-delay-ms 2000]"
          + " [--stream-chunk-delay-ms 0]";
  static final String STS_USAGE =
      "usage: sts-emulator [--port 9002] [--bind 127.0.0.1] [--region us-east-1]";

  private EmulatorCommand() {}

  public static int lambda(List<String> args, PrintStream out, PrintStream err) {
    if (CommandLine.asksForHelp(args)) {
      out.println(LAMBDA_USAGE);
      return 0;
    }
    Map<String, String> o;
    int port;
    java.time.Duration streamChunkDelay = java.time.Duration.ZERO;
    try {
      o =
          CommandLine.parse(
              args,
              List.of(
                  "--port",
                  "--bind",
                  "--region",
                  "--account-id",
                  "--credentials",
                  "--throttle-next",
                  "--slow-delay-ms",
                  "--stream-chunk-delay-ms"));
      port = port(o.getOrDefault("--port", "9001"));
    } catch (IllegalArgumentException e) {
      err.println("lambda-emulator: " + e.getMessage());
      err.println(LAMBDA_USAGE);
      return 2;
    }
    String bind = o.getOrDefault("--bind", "127.0.0.1");
    LambdaEmulatorConfig.Builder config =
        LambdaEmulatorConfig.builder().port(port).bindAddress(bind);
    try {
      if (o.containsKey("--credentials")) {
        for (String item : o.get("--credentials").split(",")) {
          config.addCredential(
              dev.lambdagate.harness.emulator.credentials.StoredCredential.parse(item.trim()));
        }
      }
      if (o.containsKey("--throttle-next")) {
        config.throttleNext(Integer.parseInt(o.get("--throttle-next")));
      }
      if (o.containsKey("--slow-delay-ms")) {
        config.slowDelay(java.time.Duration.ofMillis(Long.parseLong(o.get("--slow-delay-ms"))));
      }
      if (o.containsKey("--stream-chunk-delay-ms")) {
        streamChunkDelay =
            java.time.Duration.ofMillis(Long.parseLong(o.get("--stream-chunk-delay-ms")));
        if (streamChunkDelay.isNegative()) {
          throw new NumberFormatException("negative");
        }
      }
    } catch (IllegalArgumentException e) {
      err.println(
          "lambda-emulator: "
              + (e instanceof NumberFormatException
                  ? "--throttle-next / --slow-delay-ms / --stream-chunk-delay-ms: expected a"
                      + " number"
                  : "--credentials: " + e.getMessage()));
      return 2;
    }
    if (o.containsKey("--region")) {
      config.region(o.get("--region"));
    }
    if (o.containsKey("--account-id")) {
      config.accountId(o.get("--account-id"));
    }
    LambdaEmulator emulator;
    try {
      emulator = LambdaEmulator.start(config.build());
    } catch (BindException e) {
      err.println(
          "lambda-emulator: port "
              + port
              + " on "
              + bind
              + " is already in use "
              + "(choose another with --port)");
      return 2;
    } catch (IOException | IllegalArgumentException e) {
      err.println("lambda-emulator: cannot start: " + e.getMessage());
      return 2;
    }
    emulator.streamChunkDelay(streamChunkDelay);
    out.println(
        "lambda-emulator: listening on "
            + emulator.endpoint()
            + " (region "
            + emulator.region()
            + ", account "
            + emulator.accountId()
            + ", functions "
            + emulator.functions().names()
            + "); test credentials "
            + CredentialStore.TEST_ACCESS_KEY_ID
            + " / "
            + CredentialStore.TEST_SECRET_ACCESS_KEY
            + "; Ctrl-C stops it");
    out.flush();
    ServeUntilStopped.await("lambda-emulator", emulator::close, err);
    return 0;
  }

  public static int sts(List<String> args, PrintStream out, PrintStream err) {
    if (CommandLine.asksForHelp(args)) {
      out.println(STS_USAGE);
      return 0;
    }
    Map<String, String> o;
    int port;
    try {
      o = CommandLine.parse(args, List.of("--port", "--bind", "--region"));
      port = port(o.getOrDefault("--port", "9002"));
    } catch (IllegalArgumentException e) {
      err.println("sts-emulator: " + e.getMessage());
      err.println(STS_USAGE);
      return 2;
    }
    String bind = o.getOrDefault("--bind", "127.0.0.1");
    StsEmulatorConfig.Builder config = StsEmulatorConfig.builder().port(port).bindAddress(bind);
    if (o.containsKey("--region")) {
      config.region(o.get("--region"));
    }
    StsEmulator emulator;
    try {
      emulator = StsEmulator.start(config.build());
    } catch (BindException e) {
      err.println(
          "sts-emulator: port "
              + port
              + " on "
              + bind
              + " is already in use "
              + "(choose another with --port)");
      return 2;
    } catch (IOException | IllegalArgumentException e) {
      err.println("sts-emulator: cannot start: " + e.getMessage());
      return 2;
    }
    out.println(
        "sts-emulator: listening on "
            + emulator.endpoint()
            + " (region "
            + emulator.region()
            + "); Ctrl-C stops it");
    out.flush();
    ServeUntilStopped.await("sts-emulator", emulator::close, err);
    return 0;
  }

  static int port(String value) {
    try {
      int p = Integer.parseInt(value);
      if (p < 0 || p > 65535) {
        throw new NumberFormatException();
      }
      return p;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--port: expected 0..65535, got '" + value + "'");
    }
  }
}
