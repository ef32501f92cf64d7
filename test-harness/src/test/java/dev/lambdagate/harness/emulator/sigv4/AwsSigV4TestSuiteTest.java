package dev.lambdagate.harness.emulator.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.harness.emulator.credentials.CredentialStore;
import dev.lambdagate.harness.emulator.credentials.StoredCredential;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Feeds AWS's own SigV4 test suite (requests plus the Authorization headers AWS computed) to the
 * verifier: each must come out VALID (with the exceptions listed below). This checks the verifier's
 * request reconstruction against signatures that no code in this project produced. The suite is
 * vendored in {@code testdata/}.
 */
class AwsSigV4TestSuiteTest {

  private static final Instant SUITE_TIME = Instant.parse("2015-08-30T12:36:00Z");
  private static final String SUITE_TOKEN =
      "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWs"
          + "KWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsbu"
          + "rEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+s"
          + "cqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

  /** The token get-vanilla-with-session-token signed (see its .creq). */
  private static final String VANILLA_TOKEN =
      "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";

  /**
   * A raw space in the request line cannot reach a real server and Aws4Signer cannot build a URI
   * from it; the verifier says so instead of guessing.
   */
  private static final Map<String, SignatureVerification.Outcome> EXPECTED_EXCEPTIONS =
      Map.of(
          "get-space", SignatureVerification.Outcome.UNVERIFIABLE,
          // The suite adds the token after signing, which SigV4 allows for some services; the
          // emulator holds its clients to signing it (see SigV4Verifier).
          "post-sts-header-after", SignatureVerification.Outcome.REQUIRED_HEADER_UNSIGNED);

  @TestFactory
  Stream<DynamicTest> everySuiteRequestVerifies() throws IOException {
    Path suite = dev.lambdagate.harness.SigV4Suite.dir();
    List<Path> cases;
    try (Stream<Path> files = Files.walk(suite)) {
      cases = files.filter(p -> p.toString().endsWith(".req")).sorted().toList();
    }
    assertThat(cases).hasSizeGreaterThanOrEqualTo(30);
    return cases.stream().map(req -> DynamicTest.dynamicTest(name(req), () -> verify(req)));
  }

  private static void verify(Path reqFile) throws IOException {
    String name = name(reqFile);
    String authorization =
        Files.readString(reqFile.resolveSibling(name + ".authz"), StandardCharsets.UTF_8);
    ReceivedRequest parsed = parse(Files.readString(reqFile, StandardCharsets.UTF_8));
    Map<String, List<String>> headers = new LinkedHashMap<>(parsed.headers());
    headers.put("Authorization", List.of(authorization.trim()));
    CredentialStore store = new CredentialStore();
    switch (name) {
      case "get-vanilla-with-session-token" -> {
        headers.put("X-Amz-Security-Token", List.of(VANILLA_TOKEN));
        store.add(session(VANILLA_TOKEN));
      }
      case "post-sts-header-before" -> store.add(session(SUITE_TOKEN));
      case "post-sts-header-after" -> {
        headers.put("X-Amz-Security-Token", List.of(SUITE_TOKEN)); // added after signing
        store.add(session(SUITE_TOKEN));
      }
      default -> store.add(CredentialStore.testKeyPair());
    }
    ReceivedRequest request =
        new ReceivedRequest(
            parsed.method(), parsed.rawPath(), parsed.rawQuery(), headers, parsed.body());
    SigV4Verifier verifier =
        new SigV4Verifier(
            store,
            "us-east-1",
            "service",
            Duration.ofMinutes(5),
            Clock.fixed(SUITE_TIME, ZoneOffset.UTC));

    SignatureVerification result = verifier.verify(request);

    assertThat(result.outcome())
        .as(result.detail())
        .isEqualTo(EXPECTED_EXCEPTIONS.getOrDefault(name, SignatureVerification.Outcome.VALID));
  }

  private static StoredCredential session(String token) {
    return StoredCredential.session(
        CredentialStore.TEST_ACCESS_KEY_ID,
        CredentialStore.TEST_SECRET_ACCESS_KEY,
        token,
        null,
        null);
  }

  private static String name(Path reqFile) {
    String file = reqFile.getFileName().toString();
    return file.substring(0, file.length() - ".req".length());
  }

  /**
   * Parses a suite .req file: request line, {@code Name:value} lines (with folded continuations),
   * body.
   */
  static ReceivedRequest parse(String text) {
    String[] lines = text.split("\n", -1);
    String requestLine = lines[0];
    String method = requestLine.substring(0, requestLine.indexOf(' '));
    String target = requestLine.substring(method.length() + 1, requestLine.lastIndexOf(" HTTP/"));
    int question = target.indexOf('?');
    String path = question < 0 ? target : target.substring(0, question);
    String query = question < 0 ? null : target.substring(question + 1);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    String lastName = null;
    int i = 1;
    for (; i < lines.length && !lines[i].isEmpty(); i++) {
      String line = lines[i];
      if (Character.isWhitespace(line.charAt(0)) && lastName != null) {
        List<String> values = headers.get(lastName);
        values.set(values.size() - 1, values.get(values.size() - 1) + " " + line.trim());
        continue;
      }
      int colon = line.indexOf(':');
      lastName = line.substring(0, colon);
      headers.computeIfAbsent(lastName, k -> new ArrayList<>()).add(line.substring(colon + 1));
    }
    String body =
        i + 1 < lines.length ? String.join("\n", List.of(lines).subList(i + 1, lines.length)) : "";
    return new ReceivedRequest(method, path, query, headers, body.getBytes(StandardCharsets.UTF_8));
  }
}
