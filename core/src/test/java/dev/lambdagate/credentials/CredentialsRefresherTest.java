package dev.lambdagate.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.sigv4.Credentials;
import org.junit.jupiter.api.Test;

/** The refresh state machine on a simulated clock (milliseconds from 0). */
class CredentialsRefresherTest {
  static final long HOUR = 3_600_000L;
  static final long MINUTE = 60_000L;

  static ExpiringCredentials creds(String id, long expiration) {
    return new ExpiringCredentials(new Credentials(id, "secret", "token"), expiration);
  }

  @Test
  void noCredentialsNeedAFetchAndAFetchInFlightIsNotStartedTwice() {
    CredentialsRefresher r = new CredentialsRefresher(Jitter.NONE);
    assertThat(r.valid(0)).isNull();
    assertThat(r.needsFetch(0)).isTrue();
    r.fetchStarted(0);
    assertThat(r.inFlight()).isTrue();
    assertThat(r.needsFetch(1)).isFalse();
    assertThat(r.failing(1)).isFalse();
  }

  @Test
  void oneHourCredentialsAreRefreshedFiveMinutesAheadAndServedUntilJustBeforeExpiry() {
    CredentialsRefresher r = new CredentialsRefresher(Jitter.NONE);
    r.fetchStarted(0);
    r.succeeded(0, creds("A", HOUR));
    assertThat(r.refreshAtMillis()).isEqualTo(HOUR - 5 * MINUTE);
    assertThat(r.needsFetch(HOUR - 5 * MINUTE - 1)).isFalse();
    assertThat(r.needsFetch(HOUR - 5 * MINUTE)).isTrue();
    // Refresh ahead: still served while the new ones are fetched.
    r.fetchStarted(HOUR - 5 * MINUTE);
    assertThat(r.valid(HOUR - 5 * MINUTE).accessKeyId()).isEqualTo("A");
    assertThat(r.valid(HOUR - 10_001)).isNotNull();
    assertThat(r.valid(HOUR - 10_000)).isNull(); // 10 s margin before Expiration
  }

  @Test
  void shortLivedCredentialsAreRefreshedAtEightyPercent() {
    CredentialsRefresher r = new CredentialsRefresher(Jitter.NONE);
    r.succeeded(1_000, creds("A", 6_000)); // 5 s lifetime
    assertThat(r.refreshAtMillis()).isEqualTo(5_000);
    assertThat(r.valid(5_499)).isNotNull(); // margin: a tenth of the lifetime
    assertThat(r.valid(5_500)).isNull();
    CredentialsRefresher fifteen = new CredentialsRefresher(Jitter.NONE);
    fifteen.succeeded(0, creds("B", 15 * MINUTE));
    assertThat(fifteen.refreshAtMillis()).isEqualTo(12 * MINUTE);
  }

  @Test
  void jitterMovesTheRefreshEarlierByAtMostAQuarterOfTheLead() {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    Jitter jitter = Jitter.xorShift(42);
    for (int i = 0; i < 2_000; i++) {
      CredentialsRefresher r = new CredentialsRefresher(jitter);
      r.succeeded(0, creds("A", HOUR));
      min = Math.min(min, r.refreshAtMillis());
      max = Math.max(max, r.refreshAtMillis());
    }
    long base = HOUR - 5 * MINUTE;
    assertThat(min).isGreaterThan(base - 5 * MINUTE / 4).isLessThan(base - MINUTE);
    assertThat(max).isLessThanOrEqualTo(base).isGreaterThan(base - 10_000);
  }

  @Test
  void failuresBackOffExponentiallyWithJitterAndRememberTheReason() {
    CredentialsRefresher r = new CredentialsRefresher(Jitter.NONE);
    long now = 0;
    long[] expectedHalf = {500, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000};
    for (int i = 0; i < expectedHalf.length; i++) {
      r.fetchStarted(now);
      r.failed(now, "STS AssumeRoleWithWebIdentity failed: Throttling: Rate exceeded #" + i);
      assertThat(r.retryAtMillis() - now).as("after failure %d", i + 1).isEqualTo(expectedHalf[i]);
      assertThat(r.failing(now)).isTrue();
      assertThat(r.needsFetch(r.retryAtMillis() - 1)).isFalse();
      assertThat(r.needsFetch(r.retryAtMillis())).isTrue();
      assertThat(r.failing(r.retryAtMillis())).isFalse();
      now = r.retryAtMillis();
    }
    assertThat(r.lastFailure()).endsWith("#8");
    assertThat(r.consecutiveFailures()).isEqualTo(9);
    r.succeeded(now, creds("A", now + HOUR));
    assertThat(r.lastFailure()).isNull();
    assertThat(r.consecutiveFailures()).isZero();
    assertThat(r.retryAtMillis()).isZero();
  }

  @Test
  void backoffJitterStaysBetweenHalfAndAllOfTheDelay() {
    Jitter jitter = Jitter.xorShift(7);
    for (int failures = 1; failures <= 10; failures++) {
      long full = CredentialsRefresher.backoff(failures);
      for (int i = 0; i < 200; i++) {
        CredentialsRefresher r = new CredentialsRefresher(jitter);
        for (int f = 0; f < failures; f++) {
          r.failed(0, "x");
        }
        assertThat(r.retryAtMillis()).isBetween(full / 2, full);
      }
    }
    assertThat(CredentialsRefresher.backoff(1)).isEqualTo(1_000);
    assertThat(CredentialsRefresher.backoff(30)).isEqualTo(120_000);
  }

  @Test
  void aFailedRefreshKeepsServingTheValidCredentials() {
    CredentialsRefresher r = new CredentialsRefresher(Jitter.NONE);
    r.succeeded(0, creds("A", HOUR));
    long due = r.refreshAtMillis();
    r.fetchStarted(due);
    r.failed(due, "STS AssumeRoleWithWebIdentity failed: InternalFailure: boom");
    assertThat(r.valid(due).accessKeyId()).isEqualTo("A");
    assertThat(r.failing(due)).isFalse(); // still has credentials: nobody is refused
    assertThat(r.needsFetch(due + 1)).isFalse();
    assertThat(r.needsFetch(r.retryAtMillis())).isTrue();
  }

  @Test
  void expiredCredentialsAreNotServed() {
    CredentialsRefresher r = new CredentialsRefresher(Jitter.NONE);
    r.succeeded(0, creds("A", HOUR));
    assertThat(r.valid(2 * HOUR)).isNull();
    assertThat(r.refreshDue(2 * HOUR)).isTrue();
    assertThat(r.needsFetch(2 * HOUR)).isTrue();
  }
}
