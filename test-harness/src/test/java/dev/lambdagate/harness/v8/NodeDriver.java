package dev.lambdagate.harness.v8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code node --no-liftoff run-requests.mjs} process: the filter module running in V8 under the
 * Node proxy-wasm host, fed one JSON request per line. The first line it prints says whether the
 * module started ({@link #ready}); every request gets one JSON result line.
 */
final class NodeDriver implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static Boolean nodeAvailable;

  private final Process process;
  private final BufferedWriter stdin;
  private final BufferedReader stdout;
  private final Path stderr;
  private final JsonNode ready;

  private NodeDriver(Process process, Path stderr) throws IOException {
    this.process = process;
    this.stderr = stderr;
    this.stdin =
        new BufferedWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    this.stdout =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.ready = readLine();
  }

  /** Starts the driver on {@code wasm} with the JSON plugin configuration {@code config}. */
  static NodeDriver start(Path wasm, String config, String... options) throws IOException {
    Path configFile = Files.createTempFile("lambdagate-config", ".json");
    configFile.toFile().deleteOnExit();
    Files.writeString(configFile, config);
    Path stderr = Files.createTempFile("lambdagate-node", ".log");
    stderr.toFile().deleteOnExit();
    List<String> command =
        new ArrayList<>(
            List.of(
                "node",
                "--no-liftoff",
                scripts().resolve("run-requests.mjs").toString(),
                "--wasm",
                wasm.toString(),
                "--config",
                configFile.toString()));
    command.addAll(List.of(options));
    Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    return new NodeDriver(process, stderr);
  }

  /** True when {@code node} runs; the V8 tests are skipped otherwise. */
  static synchronized boolean nodeAvailable() {
    if (nodeAvailable == null) {
      try {
        Process probe = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        nodeAvailable = probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
      } catch (IOException e) {
        nodeAvailable = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        nodeAvailable = false;
      }
    }
    return nodeAvailable;
  }

  /**
   * The host scripts, found from the test-harness module directory (surefire's working directory)
   * or from the repository root.
   */
  static Path scripts() {
    for (String candidate : List.of("src/main/node", "test-harness/src/main/node")) {
      Path dir = Paths.get(candidate).toAbsolutePath();
      if (Files.isRegularFile(dir.resolve("run-requests.mjs"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "run-requests.mjs not found under src/main/node (working"
            + " directory "
            + Paths.get("").toAbsolutePath()
            + ")");
  }

  /** The start line: {"ready":true,"startFunction":...,"imports":[...]} or the error. */
  JsonNode ready() {
    return ready;
  }

  /** Runs one request (driver JSON format) and returns its result line. */
  JsonNode send(JsonNode request) throws IOException {
    stdin.write(JSON.writeValueAsString(request));
    stdin.newLine();
    stdin.flush();
    return readLine();
  }

  /** Sends the one request a --memory-check run reads, ends the input, returns its report. */
  JsonNode sendAndFinish(JsonNode request) throws IOException {
    stdin.write(JSON.writeValueAsString(request));
    stdin.newLine();
    stdin.close();
    return readLine();
  }

  private JsonNode readLine() throws IOException {
    String line = stdout.readLine();
    if (line == null) {
      throw new IOException(
          "the Node driver ended without output; stderr:\n" + Files.readString(stderr));
    }
    return JSON.readTree(line);
  }

  @Override
  public void close() throws IOException {
    try {
      stdin.close();
    } catch (IOException ignored) {
      // The process may have exited already (e.g. after a start failure).
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
