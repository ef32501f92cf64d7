package dev.lambdagate.controlplane.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.config.Endpoint;
import dev.lambdagate.controlplane.kube.MockApi;
import dev.lambdagate.controlplane.model.Credentials;
import dev.lambdagate.controlplane.sts.StsCheckSchedule;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FunctionChecksTest {
  static final Endpoint LAMBDA = Endpoint.https("lambda.us-east-1.amazonaws.com");
  static final Credentials.Inline KEYS = new Credentials.Inline("AKID", "secret", null);

  /** Answers scripted per function name, given the call's number; each call's time. */
  final Map<String, IntFunction<FunctionCheckResult>> script = new ConcurrentHashMap<>();

  final Map<String, List<Long>> calls = new ConcurrentHashMap<>();
  final CopyOnWriteArrayList<String> changes = new CopyOnWriteArrayList<>();
  FunctionChecks checks;

  FunctionChecks checks(Duration recheck) {
    checks =
        new FunctionChecks(
            t -> {
              String f = t.lambda().functionName();
              List<Long> times = calls.computeIfAbsent(f, k -> new CopyOnWriteArrayList<>());
              times.add(System.nanoTime());
              return script.get(f).apply(times.size());
            },
            new StsCheckSchedule(Duration.ofMillis(40), Duration.ofMillis(160), recheck));
    checks.onChange(() -> changes.add("changed"));
    return checks;
  }

  @AfterEach
  void stop() {
    if (checks != null) {
      checks.close();
    }
  }

  static FunctionTarget target(String function) {
    return new FunctionTarget(DryRunInvokeTest.target(LAMBDA, function, null), KEYS);
  }

  int calls(String f) {
    List<Long> c = calls.get(f);
    return c == null ? 0 : c.size();
  }

  static FunctionCheckResult notFound(int n) {
    return FunctionCheckResult.failed("FunctionNotFound", "not found " + n);
  }

  @Test
  void aFailureIsRetriedWithGrowingDelaysUntilItPasses() throws Exception {
    script.put("f", n -> n < 4 ? notFound(n) : FunctionCheckResult.ready("ok " + n));
    checks(Duration.ofHours(1));
    assertThat(checks.result(target("f"))).isEqualTo(FunctionCheckResult.PENDING);

    checks.track(Set.of(target("f")));
    assertThat(
            MockApi.await(
                5000, () -> checks.result(target("f")).state() == FunctionCheckResult.State.READY))
        .isTrue();
    assertThat(calls("f")).isEqualTo(4);
    assertThat(checks.result(target("f")).message()).isEqualTo("ok 4");
    // Retried after 40, 80, 160 ms (the schedule's doubling): each gap at least that.
    List<Long> t = calls.get("f");
    assertThat(t.get(1) - t.get(0)).isGreaterThanOrEqualTo(Duration.ofMillis(35).toNanos());
    assertThat(t.get(2) - t.get(1)).isGreaterThanOrEqualTo(Duration.ofMillis(75).toNanos());
    assertThat(t.get(3) - t.get(2)).isGreaterThanOrEqualTo(Duration.ofMillis(150).toNanos());
    // Four distinct outcomes (not found 1..3, ok), each heard once.
    assertThat(changes).hasSize(4);
  }

  @Test
  void aPassIsCheckedAgainLater() throws Exception {
    script.put("f", n -> n == 1 ? FunctionCheckResult.ready("ok") : notFound(n));
    checks(Duration.ofMillis(100));
    checks.track(Set.of(target("f")));
    assertThat(
            MockApi.await(
                5000, () -> checks.result(target("f")).state() == FunctionCheckResult.State.FAILED))
        .isTrue();
    assertThat(checks.result(target("f")).reason()).isEqualTo("FunctionNotFound");
  }

  @Test
  void aTargetNoLongerUsedIsForgottenAndAChangedOneCheckedAnew() throws Exception {
    script.put("f", n -> notFound(n));
    script.put("g", n -> FunctionCheckResult.ready("ok"));
    checks(Duration.ofHours(1));
    checks.track(Set.of(target("f")));
    assertThat(MockApi.await(5000, () -> calls("f") >= 1)).isTrue();

    // The Backend now names another function: a new target, checked at once; the old one stops.
    checks.track(Set.of(target("g")));
    assertThat(MockApi.await(5000, () -> calls("g") == 1)).isTrue();
    assertThat(checks.tracked()).containsExactly(target("g"));
    int before = calls("f");
    Thread.sleep(400); // f would have been retried at least twice by now
    assertThat(calls("f")).isEqualTo(before);
    assertThat(checks.result(target("f"))).isEqualTo(FunctionCheckResult.PENDING);

    // The Backend is deleted: nothing is checked any more.
    checks.track(Set.of());
    assertThat(checks.tracked()).isEmpty();
  }

  @Test
  void aThrowingCheckShowsRatherThanStaysPending() throws Exception {
    script.put(
        "f",
        n -> {
          throw new IllegalStateException("boom");
        });
    checks(Duration.ofHours(1));
    checks.track(Set.of(target("f")));
    assertThat(
            MockApi.await(
                5000,
                () -> checks.result(target("f")).state() == FunctionCheckResult.State.UNKNOWN))
        .isTrue();
    assertThat(checks.result(target("f")).message()).contains("IllegalStateException");
  }
}
