package dev.lambdagate.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.config.InvocationMode;
import org.junit.jupiter.api.Test;

class PayloadLimitTest {

  @Test
  void acceptsPayloadsUpToTheLimit() {
    assertThat(PayloadLimit.check(0, InvocationMode.SYNC)).isNull();
    assertThat(PayloadLimit.check(6291456, InvocationMode.SYNC)).isNull();
    assertThat(PayloadLimit.check(6291456, InvocationMode.DRY_RUN)).isNull();
    assertThat(PayloadLimit.check(1048576, InvocationMode.ASYNC)).isNull();
  }

  @Test
  void refusesALargerSyncPayloadWith413() {
    HttpResponse response = PayloadLimit.check(6291457, InvocationMode.SYNC);

    assertThat(response.status()).isEqualTo(413);
    assertThat(response.headers()).isEqualTo(HeaderList.of("content-type", "application/json"));
    assertThat(response.bodyText())
        .isEqualTo("{\"error\":\"payload_too_large\",\"message\":\"Payload Too Large\"}");
    assertThat(response.errorDetail())
        .isEqualTo(
            "the request payload "
                + "of 6291457 bytes exceeds the limit 6291456 bytes for Sync invocations");
  }

  @Test
  void asyncHasTheSmallerLimit() {
    assertThat(PayloadLimit.check(1048577, InvocationMode.ASYNC).errorDetail())
        .isEqualTo(
            "the request payload of 1048577 bytes exceeds the limit "
                + "1048576 bytes for Async invocations");
    assertThat(PayloadLimit.check(10_000_000_000L, InvocationMode.DRY_RUN).errorDetail())
        .contains("10000000000 bytes exceeds the limit 6291456 bytes for DryRun invocations");
  }
}
