package dev.lambdagate.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lambdagate.json.Utf8;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link CanonicalRequestWriter} writes exactly the UTF-8 bytes of {@link CanonicalRequest}'s text
 * (the readable reference), for random requests and with one writer reused across them.
 */
class CanonicalRequestWriterTest {
  private static final String[] PATH_PIECES = {
    "/",
    "a",
    "b",
    ".",
    "..",
    "//",
    "%2F",
    "%2e",
    "%20",
    "%7e",
    "%",
    "%zz",
    "~",
    "$",
    "+",
    " ",
    "é",
    "中",
    "\ud83d\ude00",
    "\ud800",
    "\udc00",
    "x=y",
    "2015-03-31",
    "functions"
  };
  private static final String[] QUERY_PIECES = {
    "a", "B", "=", "&", "&&", "%20", "+", "%2B", "é", "\ud83d\ude00", "\udc00", "1", "%", "~", "-"
  };
  private static final String[] NAMES = {
    "host",
    "Host",
    "X-Amz-Meta",
    "x-amz-meta",
    "content-type",
    ":path",
    "x-forwarded-for",
    "My-Header",
    "a",
    "zz",
    "x-amz-date",
    "authorization"
  };
  private static final String[] VALUE_PIECES = {
    "v", " ", "\t", "\r\n", "  x  ", "é", "中", "\ud83d\ude00", "\ud800", ",", "a b", "\"q\""
  };

  @Test
  void writesTheBytesOfTheReferenceTextForRandomRequests() {
    SplittableRandom random = new SplittableRandom(14);
    CanonicalRequestWriter writer = new CanonicalRequestWriter();
    Set<String> excluded =
        CanonicalRequest.lowerCaseWith(
            Arrays.asList("X-Excluded"), CanonicalRequest.ALWAYS_EXCLUDED);
    for (int round = 0; round < 3000; round++) {
      String path = pick(random, PATH_PIECES, random.nextInt(round % 50 == 0 ? 400 : 8));
      if (random.nextBoolean()) {
        path += "?" + pick(random, QUERY_PIECES, random.nextInt(round % 50 == 0 ? 300 : 10));
      }
      List<Header> headers = new ArrayList<>();
      headers.add(new Header("host", "example.amazonaws.com"));
      for (int i = random.nextInt(round % 50 == 0 ? 60 : 6); i > 0; i--) {
        headers.add(
            new Header(
                NAMES[random.nextInt(NAMES.length)],
                pick(random, VALUE_PIECES, random.nextInt(5))));
      }
      Collections.shuffle(headers, new java.util.Random(round));
      String[] addedNames = {"x-amz-date", "x-amz-security-token"};
      String[] addedValues = {"20150830T123600Z", pick(random, VALUE_PIECES, 3)};
      int addedCount = random.nextInt(3);
      boolean s3Like = random.nextBoolean();
      String payloadHash =
          random.nextBoolean() ? PayloadHash.UNSIGNED_PAYLOAD : PayloadHash.EMPTY_SHA256;

      CanonicalRequest reference =
          CanonicalRequest.build(
              "POST",
              path,
              headers,
              excluded,
              headerList(addedNames, addedValues, addedCount),
              payloadHash,
              s3Like);
      writer.write(
          "POST",
          path,
          headers,
          excluded,
          addedNames,
          addedValues,
          addedCount,
          payloadHash,
          s3Like);

      assertThat(Arrays.copyOf(writer.bytes, writer.length))
          .as("canonical request of %s", path)
          .isEqualTo(Utf8.encode(reference.text()));
      assertThat(Arrays.copyOf(writer.signedHeaders, writer.signedLength))
          .isEqualTo(Utf8.encode(reference.signedHeaders()));
    }
  }

  @Test
  void refusesWhatTheReferenceRefuses() {
    CanonicalRequestWriter writer = new CanonicalRequestWriter();
    List<Header> noHost = Arrays.asList(new Header("x-a", "1"));
    assertThatThrownBy(
            () ->
                writer.write(
                    "GET",
                    "/",
                    noHost,
                    CanonicalRequest.ALWAYS_EXCLUDED,
                    new String[0],
                    new String[0],
                    0,
                    PayloadHash.EMPTY_SHA256,
                    false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host header is required");
    List<Header> host = Arrays.asList(new Header("host", "h"));
    assertThatThrownBy(
            () ->
                writer.write(
                    "GET",
                    "/",
                    host,
                    CanonicalRequest.ALWAYS_EXCLUDED,
                    new String[0],
                    new String[0],
                    0,
                    "not-a-hash",
                    false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("payload hash");
  }

  private static List<Header> headerList(String[] names, String[] values, int count) {
    List<Header> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(new Header(names[i], values[i]));
    }
    return list;
  }

  private static String pick(SplittableRandom random, String[] pieces, int count) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < count; i++) {
      sb.append(pieces[random.nextInt(pieces.length)]);
    }
    return sb.toString();
  }
}
