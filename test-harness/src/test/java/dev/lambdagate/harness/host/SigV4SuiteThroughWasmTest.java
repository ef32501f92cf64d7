package dev.lambdagate.harness.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.roastedroot.proxywasm.LogLevel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of AWS's SigV4 test suite, signed by the built {@code lambdagate.wasm} in
 * signing mode, with the clock fixed at the suite's instant. The module logs the canonical
 * request and string to sign at trace level (the session token redacted); the test compares
 * those and the Authorization header the filter set, each on its own.
 */
class SigV4SuiteThroughWasmTest {
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  static final String TOKEN = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQW"
      + "LWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2"
      + "wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38x"
      + "Vqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/o"
      + "LxBA==";

  /** Cases whose expectation the filter deliberately does not produce, with the reason. */
  static final Map<String, String> SKIPPED = Map.of(
      "post-sts-header-after",
      "adds X-Amz-Security-Token after signing; the filter always signs the token, which every"
          + " service accepts and Lambda requires of temporary credentials (post-sts-header-before"
          + " covers the signed form)");

  static final List<String> LOG = new ArrayList<>();
  static FilterVm plain;
  static FilterVm withToken;

  @BeforeAll
  static void startVms() throws Exception {
    HostClock clock = HostClock.fixed(Instant.parse("2015-08-30T12:36:00Z"));
    plain = FilterVm.start(ModuleUnderTest.filter(), FilterVmOptions.of(config(null))
        .withClock(clock).withLog((level, line) -> LOG.add(line), LogLevel.TRACE));
    withToken = FilterVm.start(ModuleUnderTest.filter(), FilterVmOptions.of(config(TOKEN))
        .withClock(clock).withLog((level, line) -> LOG.add(line), LogLevel.TRACE));
  }

  @AfterAll
  static void stopVms() {
    plain.close();
    withToken.close();
  }

  static String config(String token) {
    return "{\"sign\":{\"service\":\"service\",\"region\":\"us-east-1\"},"
        + "\"credentials\":{\"accessKeyId\":\"AKIDEXAMPLE\",\"secretAccessKey\":\"" + SECRET
        + "\",\"sessionToken\":" + (token == null ? "null" : "\"" + token + "\"") + "}}";
  }

  static Stream<Path> cases() throws IOException {
    Path suite = SuiteLocation.suite();
    try (Stream<Path> files = Files.walk(suite)) {
      return files.filter(p -> p.toString().endsWith(".req")).sorted().toList().stream()
          .map(Path::getParent);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void signsLikeTheSuite(Path caseDir) throws Exception {
    String name = caseDir.getFileName().toString();
    assumeTrue(!SKIPPED.containsKey(name), () -> "skipped: " + SKIPPED.get(name));
    RawHttpRequest raw = RawHttpRequest.parse(Files.readAllBytes(caseDir.resolve(name + ".req")));
    // The filter adds X-Amz-Date (and the token) itself, as it strips a client's copies.
    List<String[]> headers = new ArrayList<>();
    for (String[] h : raw.headers()) {
      if (!h[0].equalsIgnoreCase("x-amz-date") && !h[0].equalsIgnoreCase("x-amz-security-token")) {
        headers.add(h);
      }
    }
    boolean token = raw.header("x-amz-security-token") != null;
    HttpMessage request = HttpMessage.fromRaw(new RawHttpRequest(raw.method(), raw.target(),
        headers, raw.body()));

    LOG.clear();
    FilterOutcome outcome;
    try (FilterStream stream = (token ? withToken : plain).openStream(Map.of())) {
      outcome = stream.request(request);
    }

    assertThat(outcome.localReply()).as("log: %s", LOG).isFalse();
    String expectedCreq = read(caseDir, name + ".creq");
    String expectedSts = read(caseDir, name + ".sts");
    String expectedAuthz = read(caseDir, name + ".authz");
    assertThat(logged("canonical request")).isEqualTo(expectedCreq.replace(TOKEN, "<redacted>"));
    assertThat(logged("string to sign")).isEqualTo(expectedSts);
    assertThat(outcome.message().header("authorization")).isEqualTo(expectedAuthz);
    assertThat(outcome.message().header("x-amz-date")).isEqualTo("20150830T123600Z");
    assertThat(outcome.message().bodyText())
        .isEqualTo(new String(raw.body(), StandardCharsets.UTF_8));
    if (token) {
      assertThat(outcome.message().header("x-amz-security-token")).isEqualTo(TOKEN);
    }
    assertThat(String.join("\n", LOG)).doesNotContain(SECRET).doesNotContain(TOKEN);
  }

  /** The text after "lambdagate: sigv4 LABEL:\n" in the trace log. */
  private static String logged(String label) {
    String prefix = "lambdagate: sigv4 " + label + ":\n";
    for (String line : LOG) {
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length());
      }
    }
    throw new AssertionError("no '" + label + "' in the log: " + LOG);
  }

  private static String read(Path dir, String file) throws IOException {
    return Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
  }

  /** Finds ../shared/testdata/aws-sigv4-testsuite. */
  static final class SuiteLocation {
    static Path suite() {
      String configured = System.getProperty("lambdagate.sigv4.suite");
      if (configured != null && Files.isDirectory(Paths.get(configured))) {
        return Paths.get(configured);
      }
      for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
        Path candidate = dir.resolve("shared/testdata/aws-sigv4-testsuite");
        if (Files.isDirectory(candidate)) {
          return candidate;
        }
      }
      throw new IllegalStateException("AWS SigV4 test suite not found: set -Dlambdagate.sigv4.suite"
          + " or keep ../shared/testdata/aws-sigv4-testsuite beside the repository");
    }
  }
}
