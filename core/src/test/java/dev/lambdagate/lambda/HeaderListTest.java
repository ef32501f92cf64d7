package dev.lambdagate.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HeaderListTest {

  @Test
  void keepsOrderAndRepeatsAndLooksUpIgnoringCase() {
    HeaderList headers =
        new HeaderList(1).add("Content-Type", "text/plain").add("x-a", "1").add("X-A", "2");

    assertThat(headers.size()).isEqualTo(3);
    assertThat(headers.name(2)).isEqualTo("X-A");
    assertThat(headers.value(2)).isEqualTo("2");
    assertThat(headers.get("content-type")).isEqualTo("text/plain");
    assertThat(headers.get("X-a")).isEqualTo("1");
    assertThat(headers.getAll("x-a")).containsExactly("1", "2");
    assertThat(headers.get("missing")).isNull();
    assertThat(headers.contains("CONTENT-TYPE")).isTrue();
    assertThat(headers.toString()).isEqualTo("[Content-Type: text/plain, x-a: 1, X-A: 2]");
  }

  @Test
  void growsBeyondItsInitialCapacity() {
    HeaderList headers = new HeaderList(0);
    for (int i = 0; i < 100; i++) {
      headers.add("h" + i, "v" + i);
    }
    assertThat(headers.size()).isEqualTo(100);
    assertThat(headers.get("H99")).isEqualTo("v99");
  }

  @Test
  void equalityIsByNamesValuesAndOrder() {
    assertThat(HeaderList.of("a", "1", "b", "2"))
        .isEqualTo(HeaderList.of("a", "1", "b", "2"))
        .hasSameHashCodeAs(HeaderList.of("a", "1", "b", "2"))
        .isNotEqualTo(HeaderList.of("b", "2", "a", "1"))
        .isNotEqualTo(HeaderList.of("A", "1", "b", "2"));
  }

  @Test
  void rejectsMisuse() {
    assertThatThrownBy(() -> HeaderList.of("a")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HeaderList().add("a", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HeaderList().name(0))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
