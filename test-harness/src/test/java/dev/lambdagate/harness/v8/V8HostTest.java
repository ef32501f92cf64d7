package dev.lambdagate.harness.v8;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lambdagate.harness.host.HttpMessage;
import dev.lambdagate.harness.host.RawHttpRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * lambdagate.wasm in V8 (Node, TurboFan only as in Envoy) under the Node proxy-wasm host: it loads
 * with Envoy's imports only, starts through {@code _initialize}, passes requests through, keeps its
 * memory flat, and signs AWS's SigV4 suite. Skipped when {@code node} is not on PATH.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class V8HostTest {
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  static final String SUITE_TIME = "20150830T123600Z";

  /** A configuration that serves no backend, so every request passes through untouched. */
  static final String PASS_THROUGH = "{\"backends\":{},\"routes\":{},\"clusters\":{}}";

  /** What Envoy registers for a module of ABI 0.2.1 (and the WASI subset it offers). */
  static final Set<String> ENVOY_WASI =
      Set.of(
          "fd_write",
          "proc_exit",
          "clock_time_get",
          "random_get",
          "environ_get",
          "environ_sizes_get",
          "args_get",
          "args_sizes_get",
          "fd_close",
          "fd_seek",
          "fd_fdstat_get",
          "sched_yield",
          "poll_oneoff");

  /**
   * Suite cases whose own expectation the filter deliberately does not produce, and the case whose
   * expectation it produces instead: {@code post-sts-header-after} adds X-Amz-Security-Token after
   * signing; the filter always signs the token, so the same request comes out signed as {@code
   * post-sts-header-before}.
   */
  static final Map<String, String> SIGNED_AS =
      Map.of("post-sts-header-after", "post-sts-header-before");

  static NodeDriver passThrough;

  /** Signing-mode drivers by session token ("" for none), started on first use. */
  static final Map<String, NodeDriver> SIGNERS = new HashMap<>();

  @BeforeAll
  static void startPassThrough() throws IOException {
    assumeTrue(
        NodeDriver.nodeAvailable(),
        "node is not on PATH: the V8 host tests need Node 20 (node --no-liftoff)");
    assertThat(wasm()).as("the wasm-filter build writes the module first").isRegularFile();
    passThrough = NodeDriver.start(wasm(), PASS_THROUGH, "--log-level", "trace");
  }

  @AfterAll
  static void stopDrivers() throws IOException {
    if (passThrough != null) {
      passThrough.close();
    }
    for (NodeDriver driver : SIGNERS.values()) {
      driver.close();
    }
  }

  @Test
  void loadsWithEnvoysImportsOnlyAndStartsThroughInitialize() {
    JsonNode ready = passThrough.ready();
    assertThat(ready.path("ready").asBoolean()).as("start line: %s", ready).isTrue();
    assertThat(ready.path("startFunction").asText()).isEqualTo("_initialize");
    List<String> imports = new ArrayList<>();
    ready.path("imports").forEach(i -> imports.add(i.asText()));
    assertThat(imports)
        .isNotEmpty()
        .allSatisfy(
            i ->
                assertThat(
                        i.startsWith("env.proxy_")
                            || i.startsWith("wasi_snapshot_preview1.")
                                && ENVOY_WASI.contains(i.substring(i.indexOf('.') + 1)))
                    .as("import %s is one Envoy registers", i)
                    .isTrue());
  }

  @Test
  void refusesAModuleImportingWhatEnvoyLacks(@TempDir Path dir) throws IOException {
    // The same module with one import renamed: the import section precedes every other use
    // of the name, so the first occurrence is the import.
    byte[] bytes = Files.readAllBytes(wasm());
    int at = indexOf(bytes, "proxy_log".getBytes(StandardCharsets.US_ASCII));
    assertThat(at).isPositive();
    bytes[at + "proxy_l".length()] = 'u';
    Path renamed = dir.resolve("renamed-import.wasm");
    Files.write(renamed, bytes);

    try (NodeDriver driver = NodeDriver.start(renamed, PASS_THROUGH)) {
      JsonNode ready = driver.ready();
      assertThat(ready.path("ready").asBoolean()).isFalse();
      assertThat(ready.path("errorType").asText()).isEqualTo("ModuleLoadError");
      assertThat(ready.path("error").asText()).contains("missing import: env.proxy_lug");
    }
  }

  @Test
  void passesARequestAndItsResponseThrough() throws IOException {
    ObjectNode request =
        request(
            List.of(
                List.of(":method", "POST"), List.of(":path", "/items?id=7"),
                List.of(":authority", "example.com"), List.of(":scheme", "https"),
                List.of("content-type", "application/json"), List.of("x-trace", "abc")),
            "{\"a\":1}");
    ObjectNode response = request.putObject("response");
    response.set("headers", headers(List.of(List.of(":status", "201"), List.of("etag", "\"v1\""))));
    response.put("body", base64("created"));

    JsonNode result = passThrough.send(request);

    assertThat(result.path("error").isMissingNode()).as("result: %s", result).isTrue();
    assertThat(result.path("localReply").asBoolean()).isFalse();
    assertThat(result.path("paused").asBoolean()).isFalse();
    assertThat(result.path("headers")).isEqualTo(request.path("headers"));
    assertThat(result.path("body").asText()).isEqualTo(request.path("body").asText());
    assertThat(result.path("callouts")).isEmpty();
    assertThat(result.path("response").path("headers")).isEqualTo(response.path("headers"));
    assertThat(result.path("response").path("body").asText()).isEqualTo(base64("created"));
  }

  @Test
  void memoryStaysFlatOver20000Requests() throws IOException {
    ObjectNode request =
        request(
            List.of(
                List.of(":method", "POST"),
                List.of(":path", "/"),
                List.of(":authority", "example.com")),
            "x".repeat(4096));
    try (NodeDriver driver =
        NodeDriver.start(wasm(), PASS_THROUGH, "--memory-check", "20000", "--warmup", "1000")) {
      assertThat(driver.ready().path("ready").asBoolean()).as("%s", driver.ready()).isTrue();
      JsonNode report = driver.sendAndFinish(request);
      assertThat(report.path("vmFailure").isNull()).as("%s", report).isTrue();
      assertThat(report.path("pagesAfter").asInt())
          .as("pages after 20,000 requests (report %s)", report)
          .isEqualTo(report.path("pagesBefore").asInt());
    }
  }

  static Stream<Path> suiteCases() throws IOException {
    try (Stream<Path> files = Files.walk(suite())) {
      return files.filter(p -> p.toString().endsWith(".req")).sorted().toList().stream()
          .map(Path::getParent);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("suiteCases")
  void signsLikeTheSigV4Suite(Path caseDir) throws IOException {
    RawHttpRequest raw =
        RawHttpRequest.parse(Files.readAllBytes(caseDir.resolve(caseDir.getFileName() + ".req")));
    String name =
        SIGNED_AS.getOrDefault(caseDir.getFileName().toString(), caseDir.getFileName().toString());
    caseDir = caseDir.resolveSibling(name);
    String token =
        sessionToken(Files.readString(caseDir.resolve(name + ".creq"), StandardCharsets.UTF_8));
    NodeDriver signer = signer(token);

    // The filter sets X-Amz-Date and the token itself (it drops a client's copies).
    List<String[]> headers = new ArrayList<>();
    for (String[] h : raw.headers()) {
      if (!h[0].equalsIgnoreCase("x-amz-date") && !h[0].equalsIgnoreCase("x-amz-security-token")) {
        headers.add(h);
      }
    }
    HttpMessage message =
        HttpMessage.fromRaw(new RawHttpRequest(raw.method(), raw.target(), headers, raw.body()));
    ObjectNode request = NodeDriver.JSON.createObjectNode();
    ArrayNode pairs = request.putArray("headers");
    message.headers().forEach(h -> pairs.addArray().add(h[0]).add(h[1]));
    request.put("body", Base64.getEncoder().encodeToString(message.body()));

    JsonNode result = signer.send(request);

    assertThat(result.path("localReply").asBoolean()).as("result: %s", result).isFalse();
    assertThat(result.path("paused").asBoolean()).as("result: %s", result).isFalse();
    assertThat(header(result, "authorization"))
        .as("logs: %s", result.path("logs"))
        .isEqualTo(Files.readString(caseDir.resolve(name + ".authz"), StandardCharsets.UTF_8));
    assertThat(header(result, "x-amz-date")).isEqualTo(SUITE_TIME);
    assertThat(logged(result, "string to sign"))
        .isEqualTo(Files.readString(caseDir.resolve(name + ".sts"), StandardCharsets.UTF_8));
    assertThat(result.path("body").asText())
        .isEqualTo(Base64.getEncoder().encodeToString(raw.body()));
    if (token != null) {
      assertThat(header(result, "x-amz-security-token")).isEqualTo(token);
      assertThat(result.path("logs").toString()).doesNotContain(token);
    }
    assertThat(result.path("logs").toString()).doesNotContain(SECRET);
  }

  /** The session token a case signs with: the x-amz-security-token line of its .creq. */
  static String sessionToken(String canonicalRequest) {
    for (String line : canonicalRequest.split("\n")) {
      if (line.startsWith("x-amz-security-token:")) {
        return line.substring("x-amz-security-token:".length());
      }
    }
    return null;
  }

  /** The text after "lambdagate: sigv4 LABEL:\n" in a result's trace logs, or null. */
  static String logged(JsonNode result, String label) {
    String prefix = "lambdagate: sigv4 " + label + ":\n";
    for (JsonNode log : result.path("logs")) {
      String message = log.path("message").asText();
      if (message.startsWith(prefix)) {
        return message.substring(prefix.length());
      }
    }
    return null;
  }

  @Test
  void memoryStaysFlatOver20000SignedRequests() throws IOException {
    signer(null); // skips while the module rejects signing mode
    ObjectNode request =
        request(
            List.of(
                List.of(":method", "POST"), List.of(":path", "/upload?part=1"),
                List.of(":authority", "example.amazonaws.com"),
                    List.of("content-type", "text/plain")),
            "y".repeat(4096));
    try (NodeDriver driver =
        NodeDriver.start(
            wasm(),
            signingConfig(null),
            "--time",
            SUITE_TIME,
            "--allow-on-headers-stop-iteration",
            "--memory-check",
            "20000",
            "--warmup",
            "1000")) {
      JsonNode report = driver.sendAndFinish(request);
      assertThat(report.path("lastLocalReply").asBoolean()).as("%s", report).isFalse();
      assertThat(report.path("pagesAfter").asInt())
          .as("pages after 20,000 signed requests (report %s)", report)
          .isEqualTo(report.path("pagesBefore").asInt());
    }
  }

  /**
   * A driver in signing mode with the clock at the suite's instant. Skips the calling test when the
   * module rejects the signing configuration (signing mode not in this build yet).
   *
   * <p>The filter pauses the request headers to sign the body's hash, which Envoy supports only
   * with the plugin option {@code allow_on_headers_stop_iteration: true} (Envoy 1.35+); without it
   * Envoy never hands the body to a filter that paused its headers. The driver is started with that
   * option, as the Envoy configuration must be.
   */
  static NodeDriver signer(String token) throws IOException {
    String key = token == null ? "" : token;
    NodeDriver driver = SIGNERS.get(key);
    if (driver == null) {
      driver =
          NodeDriver.start(
              wasm(),
              signingConfig(token),
              "--time",
              SUITE_TIME,
              "--log-level",
              "trace",
              "--allow-on-headers-stop-iteration");
      SIGNERS.put(key, driver);
    }
    JsonNode ready = driver.ready();
    assertThat(ready.path("ready").asBoolean())
        .as(
            "lambdagate.wasm accepts the signing-mode configuration (%s; logs %s)",
            ready.path("error").asText(), ready.path("logs"))
        .isTrue();
    return driver;
  }

  static String signingConfig(String token) {
    ObjectNode config = NodeDriver.JSON.createObjectNode();
    config.putObject("sign").put("service", "service").put("region", "us-east-1");
    config
        .putObject("credentials")
        .put("accessKeyId", "AKIDEXAMPLE")
        .put("secretAccessKey", SECRET)
        .put("sessionToken", token);
    return config.toString();
  }

  static Path wasm() {
    return Paths.get(System.getProperty("lambdagate.wasm", "../wasm-filter/target/lambdagate.wasm"))
        .toAbsolutePath();
  }

  /** AWS's suite, vendored in testdata/ and named by the build. */
  static Path suite() {
    return dev.lambdagate.harness.SigV4Suite.dir();
  }

  static ObjectNode request(List<List<String>> headers, String body) {
    ObjectNode request = NodeDriver.JSON.createObjectNode();
    request.set("headers", headers(headers));
    request.put("body", base64(body));
    return request;
  }

  static ArrayNode headers(List<List<String>> headers) {
    ArrayNode array = NodeDriver.JSON.createArrayNode();
    headers.forEach(h -> array.addArray().add(h.get(0)).add(h.get(1)));
    return array;
  }

  static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The first value of a header in a result, or null. */
  static String header(JsonNode result, String name) {
    for (JsonNode pair : result.path("headers")) {
      if (pair.get(0).asText().equals(name)) {
        return pair.get(1).asText();
      }
    }
    return null;
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
