package dev.lambdagate.filter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A backend's label becomes one element of an Envoy stat name. */
class BackendStatsTest {
  @Test
  void dotsAndNonPrintableCharactersBecomeUnderscores() {
    assertThat(BackendStats.statLabel("orders.v2")).isEqualTo("orders_v2");
    assertThat(BackendStats.statLabel("lambdagate|default|fn.prod"))
        .isEqualTo("lambdagate|default|fn_prod");
    assertThat(BackendStats.statLabel("a b\tc\u00e9")).isEqualTo("a_b_c_");
  }

  @Test
  void aPlainLabelIsKeptAndAnEmptyOneIsNamed() {
    assertThat(BackendStats.statLabel("checkout-fn_1")).isEqualTo("checkout-fn_1");
    assertThat(BackendStats.statLabel("")).isEqualTo("_");
  }
}
