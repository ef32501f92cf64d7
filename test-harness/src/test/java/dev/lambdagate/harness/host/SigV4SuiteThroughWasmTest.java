package dev.lambdagate.harness.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.roastedroot.proxywasm.LogLevel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of AWS's SigV4 test suite, signed by the built {@code lambdagate.wasm} in signing
 * mode, with the clock fixed at the suite's instant. The module logs the canonical request and
 * string to sign at trace level (the session token redacted); the test compares those and the
 * Authorization header the filter set, each on its own.
 */
class SigV4SuiteThroughWasmTest {
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

  /**
   * Cases whose own expectation the filter deliberately does not produce, and the case whose
   * expectation it produces instead. {@code post-sts-header-after} adds X-Amz-Security-Token after
   * signing; the filter always signs the token, which every service accepts and Lambda requires of
   * temporary credentials: the same request comes out signed as {@code post-sts-header-before}.
   */
  static final Map<String, String> SIGNED_AS =
      Map.of("post-sts-header-after", "post-sts-header-before");

  static final List<String> LOG = new ArrayList<>();

  /** One VM per session token the suite uses ("" for none), each configured with it. */
  static final Map<String, FilterVm> VMS = new java.util.HashMap<>();

  static FilterVm vmFor(String token) throws Exception {
    FilterVm vm = VMS.get(token == null ? "" : token);
    if (vm == null) {
      HostClock clock = HostClock.fixed(Instant.parse("2015-08-30T12:36:00Z"));
      vm =
          FilterVm.start(
              ModuleUnderTest.filter(),
              FilterVmOptions.of(config(token))
                  .withClock(clock)
                  .withLog((level, line) -> LOG.add(line), LogLevel.TRACE));
      VMS.put(token == null ? "" : token, vm);
    }
    return vm;
  }

  @AfterAll
  static void stopVms() {
    VMS.values().forEach(FilterVm::close);
  }

  static String config(String token) {
    return "{\"sign\":{\"service\":\"service\",\"region\":\"us-east-1\"},"
        + "\"credentials\":{\"accessKeyId\":\"AKIDEXAMPLE\",\"secretAccessKey\":\""
        + SECRET
        + "\",\"sessionToken\":"
        + (token == null ? "null" : "\"" + token + "\"")
        + "}}";
  }

  static Stream<Path> cases() throws IOException {
    Path suite = dev.lambdagate.harness.SigV4Suite.dir();
    try (Stream<Path> files = Files.walk(suite)) {
      return files.filter(p -> p.toString().endsWith(".req")).sorted().toList().stream()
          .map(Path::getParent);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void signsLikeTheSuite(Path caseDir) throws Exception {
    RawHttpRequest raw =
        RawHttpRequest.parse(Files.readAllBytes(caseDir.resolve(caseDir.getFileName() + ".req")));
    String name =
        SIGNED_AS.getOrDefault(caseDir.getFileName().toString(), caseDir.getFileName().toString());
    caseDir = caseDir.resolveSibling(name);
    // The filter adds X-Amz-Date (and the token) itself, as it strips a client's copies.
    List<String[]> headers = new ArrayList<>();
    for (String[] h : raw.headers()) {
      if (!h[0].equalsIgnoreCase("x-amz-date") && !h[0].equalsIgnoreCase("x-amz-security-token")) {
        headers.add(h);
      }
    }
    String token = sessionToken(read(caseDir, name + ".creq"));
    HttpMessage request =
        HttpMessage.fromRaw(new RawHttpRequest(raw.method(), raw.target(), headers, raw.body()));

    LOG.clear();
    FilterOutcome outcome;
    try (FilterStream stream = vmFor(token).openStream(Map.of())) {
      outcome = stream.request(request);
    }

    assertThat(outcome.localReply()).as("log: %s", LOG).isFalse();
    String expectedCreq = read(caseDir, name + ".creq");
    String expectedSts = read(caseDir, name + ".sts");
    String expectedAuthz = read(caseDir, name + ".authz");
    assertThat(logged("canonical request"))
        .isEqualTo(token == null ? expectedCreq : expectedCreq.replace(token, "<redacted>"));
    assertThat(logged("string to sign")).isEqualTo(expectedSts);
    assertThat(outcome.message().header("authorization")).isEqualTo(expectedAuthz);
    assertThat(outcome.message().header("x-amz-date")).isEqualTo("20150830T123600Z");
    assertThat(outcome.message().bodyText())
        .isEqualTo(new String(raw.body(), StandardCharsets.UTF_8));
    if (token != null) {
      assertThat(outcome.message().header("x-amz-security-token")).isEqualTo(token);
      assertThat(String.join("\n", LOG)).doesNotContain(token);
    }
    assertThat(String.join("\n", LOG)).doesNotContain(SECRET);
  }

  /**
   * The session token a case signs with: the x-amz-security-token line of its canonical request.
   */
  private static String sessionToken(String canonicalRequest) {
    for (String line : canonicalRequest.split("\n")) {
      if (line.startsWith("x-amz-security-token:")) {
        return line.substring("x-amz-security-token:".length());
      }
    }
    return null;
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
}
