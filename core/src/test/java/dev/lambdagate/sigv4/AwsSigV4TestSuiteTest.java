package dev.lambdagate.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official AWS SigV4 test suite: for every case, the canonical request, the string to sign and
 * the Authorization value must equal the case's {@code .creq}, {@code .sts} and {@code .authz}
 * files exactly.
 *
 * <p>The suite is vendored in {@code testdata/aws-sigv4-testsuite}; the build names it in the
 * system property {@code lambdagate.sigv4.suite}.
 *
 * <p>Each {@code .req} is a raw request: request line, {@code Name:value} header lines (a line
 * starting with white space continues the previous value), an empty line, the body. Its {@code
 * X-Amz-Date} and {@code X-Amz-Security-Token} headers are removed before signing because the
 * signer adds both itself. The session token of a case is the {@code X-Amz-Security-Token} of its
 * {@code .sreq}; it is signed, except in {@code post-sts-header-after}, whose readme says the token
 * header is added after signing: that case is signed with the same keys and no token, which is
 * exactly what such a request's signature covers. No case is skipped.
 */
class AwsSigV4TestSuiteTest {
  static final String SUITE_PROPERTY = "lambdagate.sigv4.suite";

  static final String ACCESS_KEY_ID = "AKIDEXAMPLE";
  static final String SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  static final String REGION = "us-east-1";
  static final String SERVICE = "service";
  static final String SUITE_TIME = "20150830T123600Z";

  /** Cases whose session token is added to the request after signing, never signed. */
  static final List<String> TOKEN_ADDED_AFTER_SIGNING = Arrays.asList("post-sts-header-after");

  /** One directory of the suite holding {@code NAME.req}, {@code NAME.creq}, ... */
  static final class SuiteCase {
    final Path dir;
    final String name;

    SuiteCase(Path dir) {
      this.dir = dir;
      this.name = dir.getFileName().toString();
    }

    Path file(String extension) {
      return dir.resolve(name + "." + extension);
    }

    String expected(String extension) {
      try {
        return new String(Files.readAllBytes(file(extension)), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String toString() {
      return suiteDir().relativize(dir).toString();
    }
  }

  /** A parsed {@code .req} file. */
  static final class RawRequest {
    String method;
    String target;
    final List<Header> headers = new ArrayList<>();
    byte[] body = new byte[0];

    String header(String name) {
      for (Header h : headers) {
        if (h.name().equalsIgnoreCase(name)) {
          return h.value();
        }
      }
      return null;
    }

    List<Header> headersWithout(String... names) {
      List<String> drop = Arrays.asList(names);
      return headers.stream()
          .filter(h -> drop.stream().noneMatch(d -> d.equalsIgnoreCase(h.name())))
          .collect(Collectors.toList());
    }
  }

  /** The vendored suite: {@code testdata/aws-sigv4-testsuite}, named by the build. */
  static Path suiteDir() {
    String configured = System.getProperty(SUITE_PROPERTY);
    if (configured == null || configured.isEmpty()) {
      return fail("-D" + SUITE_PROPERTY + " is not set (the parent pom sets it for surefire)");
    }
    Path dir = Paths.get(configured);
    if (!Files.isDirectory(dir)) {
      fail("-D" + SUITE_PROPERTY + "=" + configured + " is not a directory");
    }
    return dir;
  }

  static Stream<SuiteCase> cases() throws IOException {
    List<SuiteCase> found;
    try (Stream<Path> files = Files.walk(suiteDir())) {
      found =
          files
              .filter(p -> p.getFileName().toString().endsWith(".req"))
              .map(p -> new SuiteCase(p.getParent()))
              .sorted((a, b) -> a.toString().compareTo(b.toString()))
              .collect(Collectors.toList());
    }
    return found.stream();
  }

  static RawRequest parse(byte[] raw) {
    // Header section and body split at the first empty line; the body is kept byte for byte.
    int headerEnd = raw.length;
    int bodyStart = raw.length;
    for (int i = 0; i + 1 < raw.length; i++) {
      if (raw[i] == '\n' && raw[i + 1] == '\n') {
        headerEnd = i;
        bodyStart = i + 2;
        break;
      }
    }
    RawRequest request = new RawRequest();
    request.body = Arrays.copyOfRange(raw, bodyStart, raw.length);
    String head = new String(raw, 0, headerEnd, StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>(Arrays.asList(head.split("\n", -1)));
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1); // a file ending in one newline after the last header
    }
    String requestLine = lines.get(0);
    int firstSpace = requestLine.indexOf(' ');
    int lastSpace = requestLine.lastIndexOf(' ');
    request.method = requestLine.substring(0, firstSpace);
    // The target may itself contain spaces (normalize-path/get-space).
    request.target = requestLine.substring(firstSpace + 1, lastSpace);
    for (String line : lines.subList(1, lines.size())) {
      if (line.startsWith(" ") || line.startsWith("\t")) {
        // Folded continuation line: kept with its line break, as the raw value carries it.
        int last = request.headers.size() - 1;
        Header previous = request.headers.get(last);
        request.headers.set(last, new Header(previous.name(), previous.value() + "\n" + line));
        continue;
      }
      int colon = line.indexOf(':');
      request.headers.add(new Header(line.substring(0, colon), line.substring(colon + 1)));
    }
    return request;
  }

  static RawRequest request(SuiteCase c) throws IOException {
    return parse(Files.readAllBytes(c.file("req")));
  }

  static Credentials credentials(SuiteCase c) throws IOException {
    String token = null;
    if (!TOKEN_ADDED_AFTER_SIGNING.contains(c.name)) {
      token = parse(Files.readAllBytes(c.file("sreq"))).header("X-Amz-Security-Token");
    }
    return new Credentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY, token);
  }

  static SigningResult sign(SuiteCase c) throws IOException {
    RawRequest request = request(c);
    SigV4Signer signer = new SigV4Signer(SERVICE, REGION, List.of(), false);
    return signer.sign(
        request.method,
        request.target,
        request.headersWithout("X-Amz-Date", "X-Amz-Security-Token"),
        PayloadHash.sha256Hex(request.body),
        credentials(c),
        AmzDate.parse(SUITE_TIME));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void canonicalRequest(SuiteCase c) throws IOException {
    assertThat(sign(c).canonicalRequest()).isEqualTo(c.expected("creq"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void stringToSign(SuiteCase c) throws IOException {
    assertThat(sign(c).stringToSign()).isEqualTo(c.expected("sts"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void authorization(SuiteCase c) throws IOException {
    assertThat(sign(c).authorization()).isEqualTo(c.expected("authz"));
  }

  /**
   * {@link CanonicalRequest#of} signs what it is given: the raw headers, {@code X-Amz-Date}
   * included, give the same canonical request (the signed token header added where the case signs
   * one its {@code .req} lacks).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void canonicalRequestOfRawHeaders(SuiteCase c) throws IOException {
    RawRequest request = request(c);
    List<Header> headers = new ArrayList<>(request.headers);
    Credentials credentials = credentials(c);
    if (credentials.hasSessionToken() && request.header("X-Amz-Security-Token") == null) {
      headers.add(new Header("X-Amz-Security-Token", credentials.sessionToken()));
    }
    CanonicalRequest canonical =
        CanonicalRequest.of(
            request.method,
            request.target,
            headers,
            List.of(),
            PayloadHash.sha256Hex(request.body),
            false);
    assertThat(canonical.text()).isEqualTo(c.expected("creq"));
  }

  /** Guards the discovery itself: a suite found empty or half-read must not pass. */
  @Test
  void discoversEveryCaseIncludingNestedOnes() throws IOException {
    List<String> names = cases().map(c -> c.name).collect(Collectors.toList());
    assertThat(names)
        .hasSize(34)
        .contains(
            "get-vanilla",
            "get-header-value-multiline",
            "get-relative-relative",
            "post-sts-header-after",
            "post-sts-header-before");
  }

  /** The .req files this parser reads are LF-only; a CR would end up in a header value. */
  @Test
  void requestFilesUseLineFeedsOnly() throws IOException {
    for (SuiteCase c : cases().collect(Collectors.toList())) {
      byte[] raw = Files.readAllBytes(c.file("req"));
      for (byte b : raw) {
        if (b == '\r') {
          fail(c + ".req contains CR");
        }
      }
    }
  }
}
