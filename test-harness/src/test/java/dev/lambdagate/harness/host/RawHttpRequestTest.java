package dev.lambdagate.harness.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lambdagate.harness.SigV4Suite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RawHttpRequestTest {

  static RawHttpRequest parse(String text) {
    return RawHttpRequest.parse(text.getBytes(StandardCharsets.UTF_8));
  }

  static List<String> flat(RawHttpRequest r) {
    return r.headers().stream().map(h -> h[0] + "=[" + h[1] + "]").toList();
  }

  @Test
  void crlfLineEndsAreNotPartOfAnything() {
    RawHttpRequest r =
        parse(
            "PUT /a%20b?x=1 HTTP/1.1\r\nHost: example.com\r\n"
                + "Content-Type: text/plain\r\n\r\nline1\r\nline2\r\n");
    assertThat(r.method()).isEqualTo("PUT");
    assertThat(r.target()).isEqualTo("/a%20b?x=1");
    assertThat(flat(r)).containsExactly("Host=[example.com]", "Content-Type=[text/plain]");
    // The body is bytes after the empty line, CRLFs included.
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("line1\r\nline2\r\n");
  }

  @Test
  void optionalWhiteSpaceAroundAValueIsDroppedInnerWhiteSpaceKept() {
    RawHttpRequest r =
        parse("GET / HTTP/1.1\nHost:example.com\nA: \t one  two \t\n" + "B:\t\nC:x\n");
    assertThat(flat(r)).containsExactly("Host=[example.com]", "A=[one  two]", "B=[]", "C=[x]");
  }

  @Test
  void mixedLineEndsAndACrAtTheEndOfTheFile() {
    RawHttpRequest r = parse("GET / HTTP/1.1\r\nHost: h\nX-A: 1\r");
    assertThat(flat(r)).containsExactly("Host=[h]", "X-A=[1]");
    assertThat(r.body()).isEmpty();
  }

  @Test
  void foldedLinesJoinWithOneSpaceInCrlfFilesToo() {
    RawHttpRequest r =
        parse(
            "GET / HTTP/1.1\r\nHost:h\r\nMy-Header1:value1\r\n  value2\r\n"
                + "\t value3 \r\nX:y\r\n\r\n");
    assertThat(flat(r)).containsExactly("Host=[h]", "My-Header1=[value1 value2 value3]", "X=[y]");
  }

  @Test
  void aTargetMayContainSpaces() {
    assertThat(parse("GET /example space/ HTTP/1.1\nHost:h\n").target())
        .isEqualTo("/example space/");
  }

  @Test
  void malformedInputNamesTheLine() {
    assertThatThrownBy(() -> parse("")).hasMessageStartingWith("line 1:");
    assertThatThrownBy(() -> parse("\nGET / HTTP/1.1\n")).hasMessageStartingWith("line 1:");
    assertThatThrownBy(() -> parse("GET /\n")).hasMessageStartingWith("line 1:");
    assertThatThrownBy(() -> parse("GET / HTTP/1.1\r\nHost h\r\n"))
        .hasMessageStartingWith("line 2: expected 'Name: value'");
    assertThatThrownBy(() -> parse("GET / HTTP/1.1\nHost:h\nBad Name: v\n"))
        .hasMessageStartingWith("line 3: header name 'Bad Name'");
    assertThatThrownBy(() -> parse("GET / HTTP/1.1\nHost :h\n"))
        .hasMessageContaining("no white space before the colon");
    assertThatThrownBy(() -> parse("GET / HTTP/1.1\nHost: a\rb\n"))
        .hasMessageStartingWith("line 2: a CR that does not end the line");
    assertThatThrownBy(() -> parse("GET / HTTP/1.1\n folded: first\n"))
        .hasMessageStartingWith("line 2: a continuation line");
  }

  static Stream<Path> suiteRequests() throws IOException {
    try (Stream<Path> files = Files.walk(SigV4Suite.dir())) {
      return files.filter(p -> p.toString().endsWith(".req")).sorted().toList().stream();
    }
  }

  /** Every suite file parses, and the same file with CRLF line ends parses to the same request. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("suiteRequests")
  void suiteFilesParseTheSameWithCrlf(Path file) throws IOException {
    byte[] lf = Files.readAllBytes(file);
    String text = new String(lf, StandardCharsets.UTF_8);
    int split = text.indexOf("\n\n");
    String head = split < 0 ? text : text.substring(0, split + 2);
    String body = split < 0 ? "" : text.substring(split + 2);
    byte[] crlf = (head.replace("\n", "\r\n") + body).getBytes(StandardCharsets.UTF_8);
    RawHttpRequest a = RawHttpRequest.parse(lf);
    RawHttpRequest b = RawHttpRequest.parse(crlf);
    assertThat(b.method()).isEqualTo(a.method());
    assertThat(b.target()).isEqualTo(a.target());
    assertThat(flat(b)).isEqualTo(flat(a));
    assertThat(b.body()).isEqualTo(a.body());
    assertThat(flat(a)).allSatisfy(h -> assertThat(h).doesNotContain("\r").doesNotContain("[ "));
  }

  @Test
  void theSuitesTrimAndMultilineCasesParseAsTheSuiteMeans() throws IOException {
    RawHttpRequest trim =
        RawHttpRequest.parse(
            Files.readAllBytes(
                SigV4Suite.dir().resolve("get-header-value-trim/get-header-value-trim.req")));
    assertThat(trim.header("My-Header1")).isEqualTo("value1");
    assertThat(trim.header("My-Header2")).isEqualTo("\"a   b   c\"");
    RawHttpRequest multi =
        RawHttpRequest.parse(
            Files.readAllBytes(
                SigV4Suite.dir()
                    .resolve("get-header-value-multiline/get-header-value-multiline.req")));
    assertThat(multi.header("My-Header1")).isEqualTo("value1 value2 value3");
  }
}
