package dev.lambdagate.controlplane.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What goes to Envoy's RE2 and what is refused first. The sizes RE2 gives are those of Debian's
 * libre2 (2022-06-01), measured once with {@code RE2::ProgramSize()}; the estimate must not fall
 * below them for these shapes.
 */
class RegexCheckTest {
  @Test
  void ordinaryRoutesPass() {
    for (String regex :
        new String[] {
          "/items/[0-9]+",
          "^(blue|green)$",
          "/api/v[0-9]+/users/[a-z0-9-]{1,36}",
          "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
          "/users/\\pN+",
          "(?i)/Static/.*\\.(css|js)",
          "/x{200}",
          "/[a-zA-Z0-9._-]{1,64}",
        }) {
      assertThat(RegexCheck.problem(regex)).as(regex).isNull();
    }
  }

  @Test
  void theEstimateIsAtLeastWhatRe2Measures() {
    assertThat(RegexCheck.estimatedSize("/[a-zA-Z0-9._-]{1,64}")).isGreaterThanOrEqualTo(324);
    assertThat(RegexCheck.estimatedSize("/users/\\pN+")).isGreaterThanOrEqualTo(245);
    assertThat(RegexCheck.estimatedSize("/x{200}")).isGreaterThanOrEqualTo(205);
    assertThat(RegexCheck.estimatedSize("[a-f0-9]{64}")).isGreaterThanOrEqualTo(132);
  }

  @Test
  void emptyAndNotRe2AreRefused() {
    assertThat(RegexCheck.problem("")).isEqualTo("is empty");
    assertThat(RegexCheck.problem("/unclosed/(abc")).contains("is not valid RE2");
    assertThat(RegexCheck.problem("v(?=1)")).contains("is not valid RE2");
    assertThat(RegexCheck.problem("(a)\\1")).contains("is not valid RE2");
  }

  /**
   * RE2 refuses counts above 1000, alone or nested; re2j would expand them (the first of these ran
   * out of a 6 GB heap), so they are refused before anything compiles them, at once.
   */
  @Test
  @Timeout(5)
  void repetitionsRe2RefusesAreRefusedWithoutCompiling() {
    assertThat(RegexCheck.problem("((a{1000}){1000}){100}")).contains("nests repetitions");
    assertThat(RegexCheck.problem("(a{1000}){1000}")).contains("nests repetitions");
    assertThat(RegexCheck.problem("(?:(?:a{10}){10}){11}")).contains("nests repetitions");
    assertThat(RegexCheck.problem("a{1001}")).contains("repeats 1001 times");
    assertThat(RegexCheck.problem("(?:(?:a{10}){10}){10}"))
        .as("1000 nested is RE2's limit, not over it; the program is too large, though")
        .doesNotContain("nests")
        .contains("too large");
    assertThat(RegexCheck.problem("(?:(?:ab{2}){3}){4}")).isNull();
  }

  @Test
  @Timeout(5)
  void programsTooLargeForEnvoyAreRefused() {
    assertThat(RegexCheck.problem("\\pL{100}")).contains("too large for Envoy's RE2");
    assertThat(RegexCheck.problem("a{1000}b{1000}")).contains("too large");
    assertThat(RegexCheck.problem("(abcdefghij){1000}")).contains("too large");
    assertThat(RegexCheck.problem("x".repeat(4096))).contains("too large");
  }

  @Test
  void bracesThatAreNotRepetitionsAreLiterals() {
    assertThat(RegexCheck.estimatedSize("a{x}")).isEqualTo(RegexCheck.PROGRAM_OVERHEAD + 4);
    assertThat(RegexCheck.problem("/path/{id}")).isNull();
  }
}
