package dev.lambdagate.harness.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.UInt32Value;
import dev.lambdagate.controlplane.model.LambdaRetry;
import dev.lambdagate.controlplane.translate.EnvoyTranslator;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the embedded data plane reads and applies a route's retry_policy (Envoy's rules). */
class RouteRetryTest {

  @Test
  void readsWhatTheControlPlaneEmits() throws Exception {
    RouteRetry r =
        RouteRetry.of(
            EnvoyTranslator.retryPolicy(new LambdaRetry(3, List.of(429, 503), 50, 1000)), "route");
    assertThat(r.numRetries()).isEqualTo(3);
    assertThat(r.baseInterval()).isEqualTo(Duration.ofMillis(50));
    assertThat(r.maxInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(r.retriesStatus(429)).isTrue();
    assertThat(r.retriesStatus(503)).isTrue();
    assertThat(r.retriesStatus(500)).as("not listed").isFalse();
    assertThat(r.retriesStatus(200)).isFalse();
    assertThat(r.retriesConnectFailure()).isTrue();
    assertThat(r.retriesReset()).as("Invoke is not idempotent").isFalse();
  }

  @Test
  void envoysDefaultsAndConditions() throws Exception {
    RouteRetry r = RouteRetry.of(RetryPolicy.newBuilder().setRetryOn("5xx").build(), "route");
    assertThat(r.numRetries()).as("Envoy's default num_retries").isEqualTo(1);
    assertThat(r.baseInterval()).isEqualTo(Duration.ofMillis(25));
    assertThat(r.maxInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(r.retriesStatus(500)).isTrue();
    assertThat(r.retriesStatus(429)).isFalse();
    assertThat(r.retriesReset()).isTrue();
    RouteRetry g =
        RouteRetry.of(RetryPolicy.newBuilder().setRetryOn("gateway-error").build(), "route");
    assertThat(g.retriesStatus(502)).isTrue();
    assertThat(g.retriesStatus(500)).isFalse();
    assertThat(g.retriesReset()).isFalse();
    assertThat(g.retriesConnectFailure()).isTrue();
  }

  @Test
  void theBackOffIsFullyJitteredAndCapped() throws Exception {
    RouteRetry r =
        RouteRetry.of(
            RetryPolicy.newBuilder()
                .setRetryOn("5xx")
                .setNumRetries(UInt32Value.of(5))
                .setRetryBackOff(
                    RetryPolicy.RetryBackOff.newBuilder()
                        .setBaseInterval(
                            com.google.protobuf.Duration.newBuilder().setNanos(10_000_000))
                        .setMaxInterval(
                            com.google.protobuf.Duration.newBuilder().setNanos(50_000_000)))
                .build(),
            "route");
    long maxFirst = 0;
    long maxFifth = 0;
    for (int i = 0; i < 2000; i++) {
      long first = r.backOff(1).toMillis();
      long fifth = r.backOff(5).toMillis();
      assertThat(first).isBetween(0L, 9L); // below (2^1 - 1) × 10 ms
      assertThat(fifth).isBetween(0L, 49L); // (2^5 - 1) × 10 ms, capped at 50 ms
      maxFirst = Math.max(maxFirst, first);
      maxFifth = Math.max(maxFifth, fifth);
    }
    assertThat(maxFifth).as("later retries wait longer").isGreaterThan(maxFirst);
  }

  @Test
  void refusesWhatItDoesNotApply() {
    assertThatThrownBy(
            () ->
                RouteRetry.of(
                    RetryPolicy.newBuilder().setRetryOn("5xx,envoy-ratelimited").build(), "r1"))
        .isInstanceOf(XdsRejectedException.class)
        .hasMessageContaining("r1: retry_on 'envoy-ratelimited' is not supported");
    assertThatThrownBy(
            () ->
                RouteRetry.of(
                    RetryPolicy.newBuilder()
                        .setRetryOn("5xx")
                        .setPerTryTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(1))
                        .build(),
                    "r2"))
        .isInstanceOf(XdsRejectedException.class)
        .hasMessageContaining("r2: retry_policy supports");
    assertThatThrownBy(
            () ->
                RouteRetry.of(
                    RetryPolicy.newBuilder()
                        .setRetryOn("5xx")
                        .setRetryBackOff(
                            RetryPolicy.RetryBackOff.newBuilder()
                                .setBaseInterval(
                                    com.google.protobuf.Duration.newBuilder().setSeconds(2))
                                .setMaxInterval(
                                    com.google.protobuf.Duration.newBuilder().setSeconds(1)))
                        .build(),
                    "r3"))
        .isInstanceOf(XdsRejectedException.class)
        .hasMessageContaining("max_interval must be >= base_interval");
  }
}
