package dev.lambdagate.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathNormalizerTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    // The suite's normalize-path cases.
    "/example1/example2/../.., /",
    "/example/.., /",
    "//, /",
    "/./, /",
    "/./example, /example",
    "//example//, /example/",
    // Dot segments name directories.
    "/a/b/.., /a/",
    "/a/b/., /a/b/",
    "/a/./b/../c, /a/c",
    "/a/b/../../../c, /c",
    "/.., /",
    // Empty segments anywhere.
    "/a//b///c, /a/b/c",
    "/a/b//, /a/b/",
    // Not dot segments.
    "/a/.b/..c/.../d., /a/.b/..c/.../d.",
    "/a/%2E%2E/b, /a/%2E%2E/b",
    "/a%2F../b, /a%2F../b",
    // No leading slash, or nothing at all.
    "a/b, /a/b",
    "'', /",
  })
  void normalizes(String path, String expected) {
    assertThat(PathNormalizer.normalize(path)).isEqualTo(expected);
  }

  @Test
  void aNormalizedPathIsReturnedWithoutCopy() {
    String path = "/2015-03-31/functions/echo/invocations";
    assertThat(PathNormalizer.normalize(path)).isSameAs(path);
    assertThat(PathNormalizer.normalize("/")).isEqualTo("/");
    assertThat(PathNormalizer.normalize("/a/")).isEqualTo("/a/");
  }

  @Test
  void aRangeOfALongerStringIsNormalized() {
    String target = "//a/./b?x=/../";
    assertThat(PathNormalizer.normalize(target, 0, target.indexOf('?'))).isEqualTo("/a/b");
    assertThat(PathNormalizer.normalize(target, 0, 0)).isEqualTo("/");
  }
}
