package dev.lambdagate.credentials;

import dev.lambdagate.sigv4.Credentials;

/**
 * The refresh state of one set of temporary credentials. Plain state, driven by the caller with the
 * time of each event, so it can be tested with a simulated clock:
 *
 * <ul>
 *   <li>no credentials: a fetch is needed (unless one is in flight or a retry is not due);
 *   <li>valid: served until shortly before {@code Expiration} (a margin of 10 s, or a tenth of the
 *       lifetime when that is shorter);
 *   <li>refresh ahead: from 5 minutes before expiry — or at 80 % of the lifetime when that is later
 *       (short-lived credentials) — minus up to a quarter of that lead as jitter, a fetch is needed
 *       while the current credentials are still served;
 *   <li>a failed fetch: remembered with its reason; the next attempt waits an exponential backoff
 *       (1 s doubling to 2 min, "equal jitter": between half and all of it).
 * </ul>
 *
 * Not thread-safe (a Wasm VM is single-threaded).
 */
public final class CredentialsRefresher {
  public static final long REFRESH_LEAD_MILLIS = 5 * 60_000L;
  public static final long EXPIRY_MARGIN_MILLIS = 10_000L;
  public static final long FIRST_BACKOFF_MILLIS = 1_000L;
  public static final long MAX_BACKOFF_MILLIS = 120_000L;

  private final Jitter jitter;
  private ExpiringCredentials current;
  private long usableUntilMillis;
  private long refreshAtMillis;
  private boolean inFlight;
  private int failures;
  private String lastFailure;
  private long retryAtMillis;

  public CredentialsRefresher(Jitter jitter) {
    this.jitter = jitter;
  }

  /** The current credentials if they may still be used at {@code now}, else null. */
  public Credentials valid(long now) {
    return current != null && now < usableUntilMillis ? current.credentials() : null;
  }

  /** The current credentials and their expiry (possibly expired), or null. */
  public ExpiringCredentials current() {
    return current;
  }

  /** Whether a fetch should start now: none in flight, no retry pending, and none valid or due. */
  public boolean needsFetch(long now) {
    if (inFlight || now < retryAtMillis) {
      return false;
    }
    return valid(now) == null || now >= refreshAtMillis;
  }

  /** Whether the current credentials are missing, expired, or due for refresh. */
  public boolean refreshDue(long now) {
    return valid(now) == null || now >= refreshAtMillis;
  }

  public boolean inFlight() {
    return inFlight;
  }

  /** No usable credentials and the last fetch failed less than a backoff ago: answer at once. */
  public boolean failing(long now) {
    return lastFailure != null && valid(now) == null && now < retryAtMillis;
  }

  /** Why the last fetch failed, or null after a success. */
  public String lastFailure() {
    return lastFailure;
  }

  /** When the next attempt may start after a failure (0 when none is pending). */
  public long retryAtMillis() {
    return retryAtMillis;
  }

  /** When a fetch becomes due while the current credentials are still served. */
  public long refreshAtMillis() {
    return refreshAtMillis;
  }

  public int consecutiveFailures() {
    return failures;
  }

  public void fetchStarted(long now) {
    inFlight = true;
  }

  /** Credentials arrived (from STS at {@code obtainedMillis}, or from another VM). */
  public void succeeded(long obtainedMillis, ExpiringCredentials credentials) {
    inFlight = false;
    failures = 0;
    lastFailure = null;
    retryAtMillis = 0;
    current = credentials;
    long expiration = credentials.expirationMillis();
    long lifetime = expiration - obtainedMillis;
    if (lifetime < 0) {
      lifetime = 0;
    }
    long margin = lifetime / 10 < EXPIRY_MARGIN_MILLIS ? lifetime / 10 : EXPIRY_MARGIN_MILLIS;
    usableUntilMillis = expiration - margin;
    refreshAtMillis =
        refreshTime(obtainedMillis, expiration)
            - jitter.below((expiration - refreshTime(obtainedMillis, expiration)) / 4);
  }

  /** Before jitter: 5 minutes before expiry, or at 80 % of the lifetime when that is later. */
  static long refreshTime(long obtainedMillis, long expirationMillis) {
    long lifetime = expirationMillis - obtainedMillis;
    long eightyPercent = obtainedMillis + lifetime - lifetime / 5;
    long leadBefore = expirationMillis - REFRESH_LEAD_MILLIS;
    return leadBefore > eightyPercent ? leadBefore : eightyPercent;
  }

  /** The fetch failed; the next one waits a backoff. */
  public void failed(long now, String reason) {
    inFlight = false;
    failures++;
    lastFailure = reason;
    long delay = backoff(failures);
    retryAtMillis = now + delay / 2 + jitter.below(delay / 2 + 1);
  }

  /** The full (un-jittered) backoff after {@code failures} consecutive failures. */
  static long backoff(int failures) {
    long delay = FIRST_BACKOFF_MILLIS;
    for (int i = 1; i < failures && delay < MAX_BACKOFF_MILLIS; i++) {
      delay *= 2;
    }
    return delay < MAX_BACKOFF_MILLIS ? delay : MAX_BACKOFF_MILLIS;
  }
}
