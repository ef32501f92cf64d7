package dev.lambdagate.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestIdsTest {

  @Test
  void envoysRequestIdIsUsedAsItIs() {
    assertThat(RequestIds.isPlausible("7c1d9b5e-2f6a-4c3b-9d1e-0a2b3c4d5e6f")).isTrue();
    assertThat(RequestIds.isPlausible("trace_42.a-b")).isTrue();
  }

  @Test
  void oddValuesAreNotPlausible() {
    assertThat(RequestIds.isPlausible(null)).isFalse();
    assertThat(RequestIds.isPlausible("")).isFalse();
    assertThat(RequestIds.isPlausible("a\nlambdagate: forged log line")).isFalse();
    assertThat(RequestIds.isPlausible("\"},\"x\":\"")).isFalse();
    assertThat(RequestIds.isPlausible("a".repeat(129))).isFalse();
    assertThat(RequestIds.isPlausible("a".repeat(128))).isTrue();
  }

  @Test
  void formatsAVersion4Uuid() {
    assertThat(RequestIds.format(0x0123456789abcdefL, 0xfedcba9876543210L))
        .isEqualTo("01234567-89ab-4def-bedc-ba9876543210");
    assertThat(RequestIds.format(-1L, -1L))
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  }
}
