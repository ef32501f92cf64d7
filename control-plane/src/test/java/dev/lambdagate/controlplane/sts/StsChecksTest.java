package dev.lambdagate.controlplane.sts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.config.Endpoint;
import dev.lambdagate.controlplane.kube.MockApi;
import dev.lambdagate.controlplane.model.Credentials;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StsChecksTest {
  static final Endpoint STS = Endpoint.https("sts.us-east-1.amazonaws.com");

  /** Answers scripted per token, counting calls. */
  final Map<String, Function<Integer, StsCheckResult>> script = new ConcurrentHashMap<>();

  final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  final CopyOnWriteArrayList<String> changes = new CopyOnWriteArrayList<>();
  StsChecks checks;

  StsChecks checks(Duration recheck) {
    checks =
        new StsChecks(
            c -> {
              String token = ((Credentials.WebIdentity) c).token();
              int n = calls.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet();
              return script.get(token).apply(n);
            },
            Duration.ofMillis(20),
            Duration.ofMillis(80),
            recheck);
    checks.onChange(() -> changes.add("changed"));
    return checks;
  }

  @AfterEach
  void stop() {
    if (checks != null) {
      checks.close();
    }
  }

  static Credentials.WebIdentity source(String token) {
    return new Credentials.WebIdentity(
        "arn:aws:iam::123456789012:role/r", token, "us-east-1", STS, "c");
  }

  int calls(String token) {
    AtomicInteger n = calls.get(token);
    return n == null ? 0 : n.get();
  }

  @Test
  void aNewSourceIsCheckedOnceAndTheListenerHearsTheOutcome() throws Exception {
    script.put("a", n -> StsCheckResult.issued("ok " + n));
    checks(Duration.ofHours(1));
    assertThat(checks.result(source("a"))).isEqualTo(StsCheckResult.PENDING);

    checks.track(Set.of(source("a")));
    assertThat(
            MockApi.await(
                5000, () -> checks.result(source("a")).state() == StsCheckResult.State.ISSUED))
        .isTrue();
    // Tracking it again (another model with the same token) makes no new call.
    checks.track(Set.of(source("a")));
    // Waiting is the test: a new call would be scheduled at once (delay 0) and take
    // microseconds; no event announces that none was made.
    Thread.sleep(100);
    assertThat(calls("a")).isEqualTo(1);
    assertThat(changes).hasSize(1);
    assertThat(checks.result(source("a")).message()).isEqualTo("ok 1");
  }

  @Test
  void aFailureIsRetriedWithBackoffUntilItPasses() {
    // Rejected three times (a trust policy being fixed), then issued.
    script.put(
        "a",
        n -> n <= 3 ? StsCheckResult.rejected("AccessDenied " + n) : StsCheckResult.issued("ok"));
    checks(Duration.ofHours(1));
    checks.track(Set.of(source("a")));

    assertThat(
            MockApi.await(
                5000, () -> checks.result(source("a")).state() == StsCheckResult.State.ISSUED))
        .isTrue();
    assertThat(calls("a")).isEqualTo(4);
    // Each rejection differs (its message names the attempt), so each one is published. The
    // change listener runs after the result is stored (outside the lock): wait for the last one.
    assertThat(MockApi.await(5000, () -> changes.size() >= 4)).isTrue();
    assertThat(changes).hasSize(4);
  }

  @Test
  void anUnchangedOutcomeIsNotRepublished() throws Exception {
    script.put("a", n -> StsCheckResult.rejected("AccessDenied"));
    checks(Duration.ofHours(1));
    checks.track(Set.of(source("a")));
    // 20, 40, 80, 80 ms: several retries within half a second.
    assertThat(MockApi.await(5000, () -> calls("a") >= 4)).isTrue();
    assertThat(changes).hasSize(1);
  }

  @Test
  void aPassedSourceIsRecheckedAndABreakShows() {
    script.put(
        "a", n -> n == 1 ? StsCheckResult.issued("ok") : StsCheckResult.rejected("AccessDenied"));
    checks(Duration.ofMillis(50));
    checks.track(Set.of(source("a")));
    assertThat(
            MockApi.await(
                5000, () -> checks.result(source("a")).state() == StsCheckResult.State.REJECTED))
        .isTrue();
    // The change listener runs after the result is stored (outside the lock): wait for it too.
    assertThat(MockApi.await(5000, () -> changes.size() >= 2)).isTrue();
    assertThat(changes).hasSize(2);
  }

  @Test
  void aSourceNoLongerUsedIsForgottenAndNotCheckedAgain() throws Exception {
    script.put("old", n -> StsCheckResult.rejected("expired"));
    script.put("new", n -> StsCheckResult.issued("ok"));
    checks(Duration.ofHours(1));
    checks.track(Set.of(source("old")));
    assertThat(MockApi.await(5000, () -> calls("old") >= 1)).isTrue();

    // A renewed token replaces the old one.
    checks.track(Set.of(source("new")));
    assertThat(
            MockApi.await(
                5000, () -> checks.result(source("new")).state() == StsCheckResult.State.ISSUED))
        .isTrue();
    int oldCalls = calls("old");
    // Waiting is the test: were "old" still tracked, its retries (20 to 80 ms apart) would call
    // again several times within 300 ms.
    Thread.sleep(300);
    assertThat(calls("old")).isEqualTo(oldCalls);
    assertThat(checks.result(source("old"))).isEqualTo(StsCheckResult.PENDING);
  }

  @Test
  void aBugInTheCheckShowsInsteadOfStayingPending() {
    script.put(
        "a",
        n -> {
          throw new IllegalStateException("boom");
        });
    checks(Duration.ofHours(1));
    checks.track(Set.of(source("a")));
    assertThat(
            MockApi.await(
                5000, () -> checks.result(source("a")).state() == StsCheckResult.State.UNREACHABLE))
        .isTrue();
    assertThat(checks.result(source("a")).message()).contains("boom");
  }

  @Test
  void closedChecksIgnoreNewSources() throws Exception {
    script.put("a", n -> StsCheckResult.issued("ok"));
    checks(Duration.ofHours(1));
    checks.close();
    checks.track(Set.of(source("a")));
    // Waiting is the test: open checks call at once (delay 0); nothing announces a call not made.
    Thread.sleep(100);
    assertThat(calls("a")).isZero();
  }
}
