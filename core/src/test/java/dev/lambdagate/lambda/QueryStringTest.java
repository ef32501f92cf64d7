package dev.lambdagate.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryStringTest {

  @Test
  void splitsDecodesAndKeepsOrder() {
    QueryString q = QueryString.parse("a=1&b&&a=2&c=x%20y%2Bz+w&=v&d=%E2%82%AC");

    assertThat(q.size()).isEqualTo(6);
    assertThat(pairs(q)).isEqualTo("a=1 b= a=2 c=x y+z+w =v d=\u20ac");
    assertThat(q.isFirstOfName(0)).isTrue();
    assertThat(q.isFirstOfName(2)).isFalse();
    assertThat(q.lastValueOfName(0)).isEqualTo("2");
    assertThat(q.joinedValuesOfName(0)).isEqualTo("1,2");
    assertThat(q.joinedValuesOfName(1)).isEqualTo("");
  }

  @Test
  void keepsMalformedEscapesAsWritten() {
    assertThat(QueryString.decode("100%", 0, 4)).isEqualTo("100%");
    assertThat(QueryString.decode("%zz%4", 0, 5)).isEqualTo("%zz%4");
    assertThat(QueryString.decode("%C3", 0, 3)).isEqualTo("\uFFFD");
    assertThat(QueryString.decode("x=%41", 2, 5)).isEqualTo("A");
  }

  @Test
  void anEmptyQueryHasNoParameters() {
    assertThat(QueryString.parse("").size()).isZero();
    assertThat(QueryString.parse("&&").size()).isZero();
  }

  private static String pairs(QueryString q) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < q.size(); i++) {
      sb.append(i == 0 ? "" : " ").append(q.name(i)).append('=').append(q.value(i));
    }
    return sb.toString();
  }
}
