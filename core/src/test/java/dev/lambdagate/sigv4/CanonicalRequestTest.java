package dev.lambdagate.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class CanonicalRequestTest {
  private static final String EMPTY = PayloadHash.EMPTY_SHA256;

  private static List<Header> headers(String... nameValues) {
    List<Header> list = new ArrayList<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      list.add(new Header(nameValues[i], nameValues[i + 1]));
    }
    return list;
  }

  private static String[] lines(CanonicalRequest request) {
    return request.text().split("\n", -1);
  }

  @Test
  void layout() {
    CanonicalRequest request =
        CanonicalRequest.of(
            "POST",
            "/a/b?x=1",
            headers("Host", "h", "Content-Type", "text/plain"),
            List.of(),
            EMPTY,
            false);
    assertThat(request.text())
        .isEqualTo(
            "POST\n/a/b\nx=1\ncontent-type:text/plain\nhost:h\n\ncontent-type;host\n" + EMPTY);
    assertThat(request.signedHeaders()).isEqualTo("content-type;host");
  }

  @Test
  void headerValuesAreTrimmedAndInnerWhiteSpaceRunsCollapsed() {
    CanonicalRequest request =
        CanonicalRequest.of(
            "GET",
            "/",
            headers("Host", " h ", "X-A", " \t a \t  b\r\n   c \t", "X-B", "", "X-C", "   "),
            List.of(),
            EMPTY,
            false);
    assertThat(lines(request)).contains("host:h", "x-a:a b c", "x-b:", "x-c:");
  }

  @Test
  void duplicateNamesAreJoinedInArrivalOrderWhateverTheirCase() {
    CanonicalRequest request =
        CanonicalRequest.of(
            "GET",
            "/",
            headers("X-Dup", "3", "host", "h", "x-dup", " 1 ", "Z", "z", "X-DUP", "2", "A", "a"),
            List.of(),
            EMPTY,
            false);
    assertThat(request.text())
        .startsWith("GET\n/\n\na:a\nhost:h\nx-dup:3,1,2\nz:z\n\na;host;x-dup;z\n");
  }

  @Test
  void pseudoHeadersAlwaysExcludedAndConfiguredExclusionsAreNotSigned() {
    CanonicalRequest request =
        CanonicalRequest.of(
            "GET",
            "/",
            headers(
                ":authority",
                "h",
                ":path",
                "/",
                "Host",
                "h",
                "X-Forwarded-For",
                "1.2.3.4",
                "x-forwarded-proto",
                "https",
                "X-Amzn-Trace-Id",
                "Root=1",
                "User-Agent",
                "curl",
                "X-Keep",
                "k"),
            Arrays.asList("USER-agent"),
            EMPTY,
            false);
    assertThat(request.signedHeaders()).isEqualTo("host;x-keep");
  }

  @Test
  void hostIsRequired() {
    assertThatThrownBy(
            () -> CanonicalRequest.of("GET", "/", headers("X-A", "1"), List.of(), EMPTY, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host");
  }

  @Test
  void payloadHashMustBeLowerCaseHexOrUnsignedPayload() {
    List<Header> host = headers("Host", "h");
    assertThat(
            CanonicalRequest.of("GET", "/", host, List.of(), PayloadHash.UNSIGNED_PAYLOAD, false)
                .text())
        .endsWith("\nUNSIGNED-PAYLOAD");
    for (String bad :
        Arrays.asList(
            null,
            "",
            EMPTY.toUpperCase(Locale.ROOT),
            EMPTY + "0",
            EMPTY.substring(1),
            "unsigned-payload")) {
      assertThatThrownBy(() -> CanonicalRequest.of("GET", "/", host, List.of(), bad, false))
          .as("payload hash %s", bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void queryParametersAreCanonicallyEncodedAndSortedByKeyThenValue() {
    CanonicalRequest request =
        CanonicalRequest.of(
            "GET",
            "/?b=2&a=1&a=0&c&=e&&d=x=y&p=a+b&e=%7e&q=%2f/&",
            headers("Host", "h"),
            List.of(),
            EMPTY,
            false);
    assertThat(lines(request)[2]).isEqualTo("=e&a=0&a=1&b=2&c=&d=x%3Dy&e=~&p=a%2Bb&q=%2F%2F");
  }

  @Test
  void sortingComparesEncodedKeysBeforeValues() {
    // "Param" < "Param-3" by key, although "Param=" > "Param-" as whole strings.
    CanonicalRequest request =
        CanonicalRequest.of(
            "GET", "/?Param-3=1&Param=2&Param=10", headers("Host", "h"), List.of(), EMPTY, false);
    assertThat(lines(request)[2]).isEqualTo("Param=10&Param=2&Param-3=1");
  }

  @Test
  void emptyQueryAndEmptyPath() {
    assertThat(
            lines(CanonicalRequest.of("GET", "/p?", headers("Host", "h"), List.of(), EMPTY, false))[
                2])
        .isEmpty();
    CanonicalRequest noPath =
        CanonicalRequest.of("GET", "?a=1", headers("Host", "h"), List.of(), EMPTY, false);
    assertThat(lines(noPath)[1]).isEqualTo("/");
    assertThat(lines(noPath)[2]).isEqualTo("a=1");
    assertThat(
            lines(CanonicalRequest.of("GET", "", headers("Host", "h"), List.of(), EMPTY, true))[1])
        .isEqualTo("/");
  }

  @Test
  void nonS3PathsAreNormalizedAndEncodedTwice() {
    CanonicalRequest request =
        CanonicalRequest.of(
            "GET", "/bucket/a%20b//c/./d$e/../f~", headers("Host", "h"), List.of(), EMPTY, false);
    assertThat(lines(request)[1]).isEqualTo("/bucket/a%2520b/c/f~");
  }

  @Test
  void s3PathsAreNeitherNormalizedNorEncodedTwice() {
    CanonicalRequest request =
        CanonicalRequest.of(
            "GET",
            "/bucket/a%20b//c/./d$e/../f~%7e?x=%7e",
            headers("Host", "h"),
            List.of(),
            EMPTY,
            true);
    assertThat(lines(request)[1]).isEqualTo("/bucket/a%20b//c/./d%24e/../f~~");
    assertThat(lines(request)[2]).isEqualTo("x=~");
  }

  @Test
  void lambdaInvokePathWithAnArnIsEncodedTwice() {
    String path =
        "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aecho"
            + "/invocations?Qualifier=live";
    CanonicalRequest request =
        CanonicalRequest.of("POST", path, headers("Host", "h"), List.of(), EMPTY, false);
    assertThat(lines(request)[1])
        .isEqualTo(
            "/2015-03-31/functions/arn%253Aaws%253Alambda%253Aus-east-1%253A123456789012"
                + "%253Afunction%253Aecho/invocations");
    assertThat(lines(request)[2]).isEqualTo("Qualifier=live");
  }

  @Test
  void headerNamesAreLowerCasedIndependentlyOfTheDefaultLocale() {
    Locale saved = Locale.getDefault();
    try {
      // In Turkish, "I".toLowerCase() is a dotless i.
      Locale.setDefault(new Locale("tr", "TR"));
      CanonicalRequest request =
          CanonicalRequest.of(
              "GET", "/", headers("HOST", "h", "X-TITLE", "t"), List.of(), EMPTY, false);
      assertThat(request.signedHeaders()).isEqualTo("host;x-title");
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void lowerCaseAsciiReturnsLowerCaseInputItself() {
    String name = "content-type";
    assertThat(CanonicalRequest.lowerCaseAscii(name)).isSameAs(name);
    assertThat(CanonicalRequest.lowerCaseAscii("Content-TYPE")).isEqualTo("content-type");
  }
}
