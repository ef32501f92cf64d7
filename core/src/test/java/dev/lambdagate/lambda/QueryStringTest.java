package dev.lambdagate.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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

  /**
   * Repeated names answered as a map of name to values in order would answer them: random queries
   * over few names (so names repeat, in any order), against a LinkedHashMap model.
   */
  @Test
  void repeatedNamesAgreeWithAMapOfValuesInOrder() {
    Random random = new Random(15);
    String[] alphabet = {"a", "b", "Aa", "BB", "", "x%20y", "x y"};
    for (int round = 0; round < 2_000; round++) {
      int n = random.nextInt(12);
      StringBuilder raw = new StringBuilder();
      for (int i = 0; i < n; i++) {
        raw.append(i == 0 ? "" : "&")
            .append(alphabet[random.nextInt(alphabet.length)])
            .append('=')
            .append(i);
      }
      QueryString q = QueryString.parse(raw.toString());
      Map<String, List<String>> model = new LinkedHashMap<>();
      for (int i = 0; i < q.size(); i++) {
        model.computeIfAbsent(q.name(i), k -> new ArrayList<>()).add(q.value(i));
      }
      Map<String, Integer> firstSeen = new HashMap<>();
      for (int i = 0; i < q.size(); i++) {
        List<String> values = model.get(q.name(i));
        boolean first = firstSeen.putIfAbsent(q.name(i), i) == null;
        assertThat(q.isFirstOfName(i)).as("%s #%d first", raw, i).isEqualTo(first);
        List<String> chained = new ArrayList<>();
        for (int j = i; j >= 0; j = q.nextOfName(j)) {
          chained.add(q.value(j));
        }
        assertThat(chained)
            .as("%s #%d onwards", raw, i)
            .isEqualTo(values.subList(values.size() - chained.size(), values.size()));
        if (first) {
          assertThat(q.lastValueOfName(i))
              .as(raw.toString())
              .isEqualTo(values.get(values.size() - 1));
          assertThat(q.joinedValuesOfName(i))
              .as(raw.toString())
              .isEqualTo(String.join(",", values));
        }
      }
    }
  }

  /** Names whose String hash codes collide ("Aa", "BB") are still told apart. */
  @Test
  void collidingHashCodesAreDifferentNames() {
    assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
    QueryString q = QueryString.parse("Aa=1&BB=2&Aa=3");
    assertThat(q.isFirstOfName(1)).isTrue();
    assertThat(q.joinedValuesOfName(0)).isEqualTo("1,3");
    assertThat(q.joinedValuesOfName(1)).isEqualTo("2");
  }

  private static String pairs(QueryString q) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < q.size(); i++) {
      sb.append(i == 0 ? "" : " ").append(q.name(i)).append('=').append(q.value(i));
    }
    return sb.toString();
  }
}
