package dev.lambdagate.controlplane.sts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.config.Endpoint;
import dev.lambdagate.controlplane.model.Credentials;
import dev.lambdagate.controlplane.tls.MutableClock;
import dev.lambdagate.credentials.ExpiringCredentials;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link SecretSessions} driven by hand ({@code tick()}) on a clock the test moves: when sessions
 * are fetched and refreshed, what is pushed while STS fails, when a session stops being pushed.
 */
class SecretSessionsTest {
  static final long HOUR = 3_600_000L;
  static final Credentials.SecretSession SOURCE =
      new Credentials.SecretSession(
          new Credentials.Inline("AKIDEXAMPLE", "long-term-secret", null),
          "us-east-1",
          Endpoint.https("sts.us-east-1.amazonaws.com"),
          null);

  final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
  final List<Long> calls = new ArrayList<>();
  final AtomicInteger issuedCount = new AtomicInteger();
  final AtomicInteger changes = new AtomicInteger();

  /** What STS does now: issue 12-hour sessions unless told otherwise. */
  Function<Credentials.SecretSession, StsExchange.Session> sts = s -> issue(12 * HOUR);

  StsExchange.Session issue(long lifetime) {
    int n = issuedCount.incrementAndGet();
    return new StsExchange.Session(
        new ExpiringCredentials(
            new dev.lambdagate.sigv4.Credentials(
                "ASIASESSION" + n, "session-secret-" + n, "session-token-" + n),
            clock.millis() + lifetime),
        null);
  }

  static StsExchange.Session refused() {
    return new StsExchange.Session(
        null,
        StsCheckResult.rejected(
            "GetSessionToken with the Secret's keys: InvalidClientTokenId: The security token "
                + "included in the request is invalid."));
  }

  SecretSessions sessions(double jitter) {
    SecretSessions s =
        new SecretSessions(
            src -> {
              calls.add(clock.millis());
              return sts.apply(src);
            },
            clock,
            () -> jitter,
            Duration.ofSeconds(15),
            Duration.ofMinutes(5));
    s.onChange(changes::incrementAndGet);
    return s;
  }

  @Test
  void aNewSourceIsExchangedAtOnceAndNothingIsPushedBefore() {
    SecretSessions s = sessions(0);
    assertThat(s.session(SOURCE)).as("first ask starts the exchange").isNull();
    assertThat(s.result(SOURCE)).isEqualTo(StsCheckResult.PENDING);

    s.tick();

    assertThat(calls).containsExactly(clock.millis());
    assertThat(s.session(SOURCE))
        .isEqualTo(new Credentials.Inline("ASIASESSION1", "session-secret-1", "session-token-1"));
    // Keyed by the exchange, whatever session a model built earlier carries.
    assertThat(s.session(SOURCE.withSession(s.session(SOURCE)))).isEqualTo(s.session(SOURCE));
    assertThat(s.result(SOURCE).state()).isEqualTo(StsCheckResult.State.ISSUED);
    assertThat(s.result(SOURCE).message())
        .contains("valid until 2026-12-01T12:00:00Z")
        .doesNotContain("session-secret")
        .doesNotContain("long-term-secret");
    assertThat(changes).hasValue(1);
  }

  @Test
  void refreshesBetweenHalfAndThreeQuartersOfTheLifetimeByJitter() {
    long start = clock.millis();
    assertThat(SecretSessions.refreshAt(start, start + 12 * HOUR, 0)).isEqualTo(start + 6 * HOUR);
    assertThat(SecretSessions.refreshAt(start, start + 12 * HOUR, 0.999))
        .isBetween(start + 6 * HOUR, start + 9 * HOUR);

    SecretSessions s = sessions(0.5); // 62.5 %: 7.5 h into 12
    s.session(SOURCE);
    long next = s.tick();
    assertThat(next).isEqualTo(start + 7 * HOUR + HOUR / 2);

    clock.set(Instant.ofEpochMilli(next - 1));
    s.tick();
    assertThat(calls).hasSize(1);
    clock.set(Instant.ofEpochMilli(next));
    s.tick();
    assertThat(calls).hasSize(2);
    assertThat(s.session(SOURCE).accessKeyId()).isEqualTo("ASIASESSION2");
    assertThat(changes).hasValue(2);
  }

  @Test
  void keepsPushingTheLastSessionWhileRefreshesFailThenStops() {
    SecretSessions s = sessions(0);
    long start = clock.millis();
    s.session(SOURCE);
    s.tick(); // session 1, valid until start + 12 h, refreshed from 6 h
    sts = src -> refused();

    clock.set(Instant.ofEpochMilli(start + 6 * HOUR));
    long next = s.tick();
    assertThat(next).as("retried after 15 s").isEqualTo(clock.millis() + 15_000);
    assertThat(s.session(SOURCE).accessKeyId()).isEqualTo("ASIASESSION1");
    StsCheckResult r = s.result(SOURCE);
    assertThat(r.state()).isEqualTo(StsCheckResult.State.REJECTED);
    assertThat(r.reason()).isEqualTo("StsError");
    assertThat(r.message())
        .startsWith("GetSessionToken with the Secret's keys: " + "InvalidClientTokenId")
        .contains("the last session (valid until 2026-12-01T12:00:00Z)" + " is still pushed");
    assertThat(changes).hasValue(2);

    clock.set(Instant.ofEpochMilli(next));
    assertThat(s.tick()).as("then 30 s").isEqualTo(clock.millis() + 30_000);
    assertThat(changes).as("the same failure again changes nothing").hasValue(2);

    // Pushed until 5 minutes before it expires, then not any more.
    clock.set(Instant.ofEpochMilli(start + 12 * HOUR - 5 * 60_000 - 1));
    s.tick();
    assertThat(s.session(SOURCE)).isNotNull();
    clock.set(clock.instant().plusMillis(1));
    s.tick();
    assertThat(s.session(SOURCE)).isNull();
    assertThat(s.result(SOURCE).message())
        .endsWith("no credentials are pushed, so requests to " + "the Backend are refused");
    int before = changes.get();
    assertThat(before).isGreaterThan(2);

    // STS agrees again: a new session is pushed.
    sts = src -> issue(12 * HOUR);
    clock.set(clock.instant().plusMillis(5 * 60_000));
    s.tick();
    assertThat(s.session(SOURCE).accessKeyId()).isEqualTo("ASIASESSION2");
    assertThat(s.result(SOURCE).state()).isEqualTo(StsCheckResult.State.ISSUED);
    assertThat(changes.get()).isGreaterThan(before);
  }

  @Test
  void unreachableStsWithNoSessionIsFalseNotUnknown() {
    sts =
        src ->
            new StsExchange.Session(
                null,
                StsCheckResult.unreachable(
                    "GetSessionToken with the Secret's keys at https://sts.us-east-1.amazonaws.com: "
                        + "ConnectException"));
    SecretSessions s = sessions(0);
    s.session(SOURCE);
    s.tick();

    assertThat(s.session(SOURCE)).isNull();
    StsCheckResult r = s.result(SOURCE);
    assertThat(r.state())
        .as("a verdict: this is what the proxies sign with")
        .isEqualTo(StsCheckResult.State.REJECTED);
    assertThat(r.reason()).isEqualTo("StsUnreachable");
  }

  @Test
  void retriesBackOffToFiveMinutes() {
    sts = src -> refused();
    SecretSessions s = sessions(0);
    s.session(SOURCE);
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      long next = s.tick();
      delays.add((next - clock.millis()) / 1000);
      clock.set(Instant.ofEpochMilli(next));
    }
    assertThat(delays).containsExactly(15L, 30L, 60L, 120L, 240L, 300L, 300L);
  }

  @Test
  void forgottenSourcesAreNotRefreshed() {
    SecretSessions s = sessions(0);
    s.session(SOURCE);
    s.tick();
    s.retain(Set.of());

    assertThat(s.tick()).isEqualTo(Long.MAX_VALUE);
    clock.set(clock.instant().plusMillis(13 * HOUR));
    s.tick();
    assertThat(calls).hasSize(1);
    assertThat(s.result(SOURCE)).isEqualTo(StsCheckResult.PENDING);
  }

  @Test
  void awaitSettledReturnsOnceEverySourceHasAnAnswer() throws Exception {
    SecretSessions s = sessions(0);
    s.session(SOURCE);
    assertThat(s.awaitSettled(Duration.ofMillis(50))).isFalse();
    s.tick();
    assertThat(s.awaitSettled(Duration.ofMillis(50))).isTrue();
  }
}
