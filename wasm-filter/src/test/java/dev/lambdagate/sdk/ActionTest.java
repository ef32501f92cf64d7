package dev.lambdagate.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ActionTest {
  @Test
  void codesAreTheAbiFilterStatuses() {
    // proxy-wasm ABI 0.2.1: FilterHeadersStatus/FilterDataStatus Continue = 0,
    // StopIteration (headers) / StopIterationAndBuffer (data) = 1.
    assertThat(Action.CONTINUE.code()).isZero();
    assertThat(Action.PAUSE.code()).isEqualTo(1);
  }
}
