package dev.lambdagate.harness.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.roastedroot.proxywasm.MetricType;
import io.roastedroot.proxywasm.internal.WasmResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The filter's metrics through the Chicory host: FilterVm hands
 * proxy_define/increment/record_metric to a {@link HostMetrics}, and VMs that share one store add
 * up, as Envoy's workers do.
 */
class FilterVmMetricsTest {
  static final String BACKEND = "lambdagate.backend.default.";

  static FilterOutcome run(FilterVm vm, HttpMessage request) {
    try (FilterStream stream = vm.openStream(Map.of())) {
      return stream.request(request);
    }
  }

  @Test
  void twoVmsSharingOneStoreAddUp() throws Exception {
    HostMetrics metrics = new HostMetrics();
    FilterVmOptions options =
        FilterVmOptions.of(SigningModeTest.config(""))
            .withClock(SigningModeTest.CLOCK)
            .withMetrics(metrics);
    try (FilterVm first = FilterVm.start(ModuleUnderTest.filter(), options);
        FilterVm second = FilterVm.start(ModuleUnderTest.filter(), options)) {
      assertThat(run(first, SigningModeTest.request("GET", "")).localReply()).isFalse();
      assertThat(run(second, SigningModeTest.request("GET", "")).localReply()).isFalse();
      assertThat(run(first, SigningModeTest.request("PUT", "data")).localReply()).isFalse();
      assertThat(first.metrics()).isSameAs(metrics);
    }
    assertThat(metrics.value(BACKEND + "signing_added")).isEqualTo(3);
    assertThat(metrics.value(BACKEND + "payload_signing_added")).isEqualTo(3);
    assertThat(metrics.value(BACKEND + "signing_failed")).isZero();
    HostMetrics.HistogramSummary time = metrics.histogram("lambdagate.filter_time_us");
    assertThat(time.count()).as("one filter-time sample per request").isEqualTo(3);
    assertThat(time.sum()).isGreaterThanOrEqualTo(time.max()).isPositive();
    assertThat(metrics.envoyText())
        .contains("wasmcustom." + BACKEND + "signing_added: 3\n")
        .containsPattern("wasmcustom\\.lambdagate\\.filter_time_us: count=3 sum=\\d+ min=\\d+");
  }

  @Test
  void aSigningFailureIsCountedWithItsLocalReply() throws Exception {
    // Web identity credentials whose STS cluster answers nothing: the request gets 503.
    String config =
        "{\"sign\":{\"service\":\"service\",\"region\":\"us-east-1\"},"
            + "\"credentials\":{\"webIdentity\":{\"roleArn\":\"arn:aws:iam::123456789012:role/r\","
            + "\"token\":\"eyJh.eyJz.c2ln\",\"stsCluster\":\"sts\"}}}";
    HostMetrics metrics = new HostMetrics();
    try (FilterVm vm =
        FilterVm.start(
            ModuleUnderTest.filter(),
            FilterVmOptions.of(config)
                .withClock(SigningModeTest.CLOCK)
                .withLog((level, line) -> {}, io.roastedroot.proxywasm.LogLevel.ERROR)
                .withMetrics(metrics))) {
      FilterOutcome out = run(vm, SigningModeTest.request("GET", ""));
      assertThat(out.localReply()).isTrue();
      assertThat(out.status()).isEqualTo(503);
    }
    assertThat(metrics.value(BACKEND + "signing_failed")).isEqualTo(1);
    assertThat(metrics.value(BACKEND + "local_reply")).isEqualTo(1);
    assertThat(metrics.value(BACKEND + "rq_5xx")).isEqualTo(1);
    assertThat(metrics.value(BACKEND + "signing_added")).isZero();
    assertThat(metrics.value("lambdagate.sts.call")).isEqualTo(1);
    assertThat(metrics.value("lambdagate.sts.call_failed")).isEqualTo(1);
    assertThat(metrics.value(BACKEND + "credentials_refresh_failed")).isEqualTo(1);
  }

  @Test
  void theStoreKeepsEnvoysRules() throws Exception {
    HostMetrics metrics = new HostMetrics();
    int counter = metrics.defineMetric(MetricType.COUNTER, "a.count");
    int histogram = metrics.defineMetric(MetricType.HISTOGRAM, "a.time");
    assertThat(metrics.defineMetric(MetricType.COUNTER, "a.count")).isEqualTo(counter);
    assertThat(metrics.incrementMetric(counter, 0)).isEqualTo(WasmResult.BAD_ARGUMENT);
    assertThat(metrics.incrementMetric(counter, -1)).isEqualTo(WasmResult.BAD_ARGUMENT);
    assertThat(metrics.incrementMetric(histogram, 1)).isEqualTo(WasmResult.BAD_ARGUMENT);
    assertThat(metrics.incrementMetric(counter, 2)).isEqualTo(WasmResult.OK);
    assertThat(metrics.incrementMetric(99, 1)).isEqualTo(WasmResult.NOT_FOUND);
    assertThat(metrics.recordMetric(histogram, 7)).isEqualTo(WasmResult.OK);
    assertThat(metrics.recordMetric(histogram, 3)).isEqualTo(WasmResult.OK);
    assertThat(metrics.envoyText())
        .isEqualTo("wasmcustom.a.count: 2\nwasmcustom.a.time: count=2 sum=10 min=3 max=7\n");
  }
}
