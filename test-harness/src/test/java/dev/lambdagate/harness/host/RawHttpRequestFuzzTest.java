package dev.lambdagate.harness.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the harness's request-file parser. Properties: any bytes give a request or an {@link
 * IllegalArgumentException} naming a line; a parsed request has no CR or LF in its parts, header
 * names are tokens and values have no surrounding white space; writing it back (CRLF or LF, with or
 * without a space after the colon) parses to the same request.
 */
@Timeout(10) // seconds per input: a parser must not hang
class RawHttpRequestFuzzTest {

  @FuzzTest
  @DictionaryEntries({
    "GET / HTTP/1.1",
    "\r\n",
    "\n",
    ": ",
    ":",
    " ",
    "\t",
    "Host:",
    "X-Amz-Date:",
    "\r\n\r\n",
    "\n\n"
  })
  void parse(byte[] input) {
    RawHttpRequest r;
    try {
      r = RawHttpRequest.parse(input);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).startsWith("line ");
      return;
    }
    assertThat(r.method()).isNotEmpty().doesNotContain(" ", "\r", "\n");
    assertThat(r.target()).doesNotContain("\r", "\n");
    for (String[] h : r.headers()) {
      assertThat(h[0]).matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
      assertThat(h[1])
          .doesNotContain("\r", "\n")
          .doesNotStartWith(" ")
          .doesNotStartWith("\t")
          .doesNotEndWith(" ")
          .doesNotEndWith("\t");
    }
    if (r.target().isEmpty() || r.target().startsWith(" ")) {
      return; // "GET  HTTP/1.1": an empty target does not survive a round trip, nor is it sent
    }
    for (boolean crlf : new boolean[] {true, false}) {
      RawHttpRequest again =
          RawHttpRequest.parse(write(r, crlf ? "\r\n" : "\n", crlf ? ": " : ":"));
      assertThat(again.method()).isEqualTo(r.method());
      assertThat(again.target()).isEqualTo(r.target());
      assertThat(flat(again.headers())).isEqualTo(flat(r.headers()));
      assertThat(again.body()).isEqualTo(r.body());
    }
  }

  /** Requests built from parts: parsing what is written gives the parts back. */
  @FuzzTest
  void writtenRequestsParseBack(FuzzedDataProvider data) {
    String eol = data.consumeBoolean() ? "\r\n" : "\n";
    List<String[]> headers = new ArrayList<>();
    int n = data.consumeInt(0, 5);
    for (int i = 0; i < n; i++) {
      String name = data.consumeAsciiString(12).replaceAll("[^A-Za-z0-9-]", "");
      String value =
          new String(
                  data.consumeString(40).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)
              .replaceAll("[\\r\\n]", "");
      if (!name.isEmpty()) {
        headers.add(new String[] {name, value});
      }
    }
    byte[] body = data.consumeRemainingAsBytes();
    RawHttpRequest r = new RawHttpRequest("PUT", "/a b?c=d", headers, body);
    RawHttpRequest parsed =
        RawHttpRequest.parse(write(r, eol, data.consumeBoolean() ? ": " : ":\t"));
    assertThat(parsed.method()).isEqualTo("PUT");
    assertThat(parsed.target()).isEqualTo("/a b?c=d");
    assertThat(flat(parsed.headers())).isEqualTo(flat(trimmed(headers)));
    assertThat(parsed.body()).isEqualTo(body);
  }

  static byte[] write(RawHttpRequest r, String eol, String separator) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringBuilder head = new StringBuilder(r.method() + " " + r.target() + " HTTP/1.1" + eol);
    for (String[] h : r.headers()) {
      head.append(h[0]).append(separator).append(h[1]).append(eol);
    }
    head.append(eol);
    out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
    out.writeBytes(r.body());
    return out.toByteArray();
  }

  /**
   * Values as HTTP reads them: surrounding spaces and tabs are not part of them. {@code \A} and
   * {@code \z}, not {@code ^} and {@code $}: a Java {@code $} also matches before a final line
   * terminator such as U+0085, which would trim spaces that sit inside the value.
   */
  static List<String[]> trimmed(List<String[]> headers) {
    List<String[]> out = new ArrayList<>();
    for (String[] h : headers) {
      out.add(new String[] {h[0], h[1].replaceAll("\\A[ \\t]+|[ \\t]+\\z", "")});
    }
    return out;
  }

  static List<String> flat(List<String[]> headers) {
    return headers.stream().map(h -> h[0] + "\u0000" + h[1]).toList();
  }
}
