package dev.lambdagate.controlplane.sts;

import dev.lambdagate.controlplane.model.Credentials;
import dev.lambdagate.controlplane.model.SessionCredentials;
import dev.lambdagate.credentials.ExpiringCredentials;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session credentials pushed in place of Secrets' long-term keys: each Secret key pair a model
 * uses is exchanged with STS {@code GetSessionToken} in the background, and the session is
 * refreshed well before it expires.
 *
 * <ul>
 *   <li>A new source is exchanged at once ({@link #session} returns null until then, so the backend
 *       is not programmed; nothing with the long-term keys is ever pushed).
 *   <li>A session is refreshed at a random point between 50 % and 75 % of its lifetime (6 to 9
 *       hours into STS's default 12): early enough that hours of failed retries still leave a valid
 *       session, spread so that many Backends do not refresh at the same moment.
 *   <li>A failed exchange is retried after 15 s, doubling to 5 min. Meanwhile the last session
 *       keeps being pushed while it is valid: until 5 minutes (or a tenth of its lifetime, if
 *       shorter) before its expiration, a margin for clock skew and for Envoy to apply the push.
 *       After that the backend is not programmed until an exchange succeeds.
 *   <li>{@link #result} is what the Backend's {@code CredentialsReady} shows: Issued, or the
 *       failure — a verdict either way, since these sessions are what the proxies sign with — and
 *       whether the last session is still pushed.
 * </ul>
 *
 * <p>The change listener ({@link #onChange}) is called after a session appears, is replaced or
 * expires, or an outcome changes; the control plane rebuilds its model then. Credentials are never
 * logged.
 *
 * <p>Thread-safe: state is guarded by {@code this}; exchanges run on one daemon thread ({@code
 * lambdagate-secret-sessions}) outside the lock, one at a time; the listener is called on that
 * thread without the lock.
 */
public final class SecretSessions implements SessionCredentials, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SecretSessions.class);

  /** Refresh from this fraction of the lifetime ... */
  static final double REFRESH_FROM = 0.5;

  /** ... plus up to this fraction, at random. */
  static final double REFRESH_SPREAD = 0.25;

  /** A session is no longer pushed this long (at most) before it expires. */
  static final Duration EXPIRY_MARGIN = Duration.ofMinutes(5);

  private final Function<Credentials.SecretSession, StsExchange.Session> exchange;
  private final Clock clock;
  private final DoubleSupplier jitter;
  private final long firstRetry;
  private final long maxRetry;
  private volatile Runnable listener = () -> {};

  /**
   * @GuardedBy("this"), keyed by {@link Credentials.SecretSession#source()}.
   */
  private final Map<Credentials.SecretSession, Entry> entries = new HashMap<>();

  /**
   * @GuardedBy("this"): a tick's exchanges and listener call are underway.
   */
  private boolean publishing;

  /**
   * @GuardedBy("this")
   */
  private boolean wake;

  /**
   * @GuardedBy("this")
   */
  private boolean closed;

  private Thread driver;

  private static final class Entry {
    Credentials.Inline session;
    long expiresAt;
    long pushableUntil;

    /** The last exchange's failure, or null after a success (or before the first try). */
    StsCheckResult failure;

    boolean attempted;
    long nextAttempt;
    long retryDelay;
  }

  /**
   * @param exchange one GetSessionToken call
   * @param clock when sessions are refreshed and stop being pushed
   * @param jitter a value in [0, 1) per issued session, spreading refreshes
   * @param firstRetry delay before retrying a failed exchange, doubled after each failure
   * @param maxRetry the most the retry delay grows to
   */
  public SecretSessions(
      Function<Credentials.SecretSession, StsExchange.Session> exchange,
      Clock clock,
      DoubleSupplier jitter,
      Duration firstRetry,
      Duration maxRetry) {
    this.exchange = exchange;
    this.clock = clock;
    this.jitter = jitter;
    this.firstRetry = firstRetry.toMillis();
    this.maxRetry = maxRetry.toMillis();
  }

  /**
   * Real STS calls (STS's default duration), retried after 15 s up to 5 min, on a started
   * background thread.
   */
  public static SecretSessions start(StsExchange exchange) {
    SecretSessions sessions =
        new SecretSessions(
            s -> exchange.getSessionToken(s, null),
            Clock.systemUTC(),
            () -> ThreadLocalRandom.current().nextDouble(),
            Duration.ofSeconds(15),
            Duration.ofMinutes(5));
    sessions.startDriver();
    return sessions;
  }

  /** Called (on the exchanges' thread) after a pushed session or an outcome changed. */
  public void onChange(Runnable listener) {
    this.listener = listener;
  }

  @Override
  public synchronized Credentials.Inline session(Credentials.SecretSession source) {
    Credentials.SecretSession key = source.source();
    Entry e = entries.get(key);
    if (e == null) {
      e = new Entry();
      e.nextAttempt = clock.millis();
      e.retryDelay = firstRetry;
      entries.put(key, e);
      wake = true;
      notifyAll();
      return null;
    }
    return e.session != null && clock.millis() < e.pushableUntil ? e.session : null;
  }

  /** Forgets every source but {@code sources} (Backends gone, keys rotated): no more refreshes. */
  public synchronized void retain(Set<Credentials.SecretSession> sources) {
    Set<Credentials.SecretSession> keys = new HashSet<>();
    sources.forEach(s -> keys.add(s.source()));
    entries.keySet().retainAll(keys);
  }

  /**
   * How the exchange of {@code source} stands: Pending before the first answer; Issued while the
   * last exchange succeeded; otherwise the failure (reason {@code StsError} or {@code
   * StsUnreachable}), saying whether the last session is still pushed.
   */
  public synchronized StsCheckResult result(Credentials.SecretSession source) {
    Entry e = entries.get(source.source());
    if (e == null || !e.attempted) {
      return StsCheckResult.PENDING;
    }
    boolean pushed = e.session != null && clock.millis() < e.pushableUntil;
    if (e.failure == null) {
      return pushed
          ? StsCheckResult.issued(
              "STS GetSessionToken issued session credentials for "
                  + "the Secret's keys, valid until "
                  + Instant.ofEpochMilli(e.expiresAt)
                  + "; only they "
                  + "are pushed to the proxies")
          : StsCheckResult.PENDING;
    }
    String then =
        pushed
            ? "; the last session (valid until "
                + Instant.ofEpochMilli(e.expiresAt)
                + ") is still pushed"
            : "; no credentials are pushed, so requests to the Backend are " + "refused";
    // A verdict either way: these sessions are what the proxies sign with.
    return new StsCheckResult(
        StsCheckResult.State.REJECTED, e.failure.reason(), e.failure.message() + then);
  }

  /** When a session issued at {@code issuedAt} and expiring at {@code expiresAt} is renewed. */
  static long refreshAt(long issuedAt, long expiresAt, double jitter) {
    long lifetime = expiresAt - issuedAt;
    return issuedAt + (long) (lifetime * (REFRESH_FROM + REFRESH_SPREAD * jitter));
  }

  /** Until when such a session is pushed. */
  static long pushableUntil(long issuedAt, long expiresAt) {
    long lifetime = Math.max(0, expiresAt - issuedAt);
    return expiresAt - Math.min(EXPIRY_MARGIN.toMillis(), lifetime / 10);
  }

  /**
   * Does what is due at the clock's time: drops sessions past their push limit, makes the due
   * exchanges, calls the listener if anything changed. The background thread calls it; tests call
   * it directly with their own clock.
   *
   * @return when something is next due (epoch millis), {@link Long#MAX_VALUE} for never
   */
  long tick() {
    long now = clock.millis();
    List<Credentials.SecretSession> due = new ArrayList<>();
    boolean changed = false;
    synchronized (this) {
      for (Map.Entry<Credentials.SecretSession, Entry> en : entries.entrySet()) {
        Entry e = en.getValue();
        if (e.session != null && now >= e.pushableUntil) {
          e.session = null;
          changed = true;
          LOG.warn(
              "the session for the Secret keys of {} expired without a successful refresh;"
                  + " its Backends are no longer programmed",
              en.getKey().stsEndpoint().url());
        }
        if (e.nextAttempt <= now) {
          due.add(en.getKey());
        }
      }
      publishing = changed || !due.isEmpty();
    }
    try {
      for (Credentials.SecretSession source : due) {
        changed |= exchangeOne(source);
      }
      if (changed) {
        try {
          listener.run();
        } catch (RuntimeException e) {
          LOG.error("publishing new session credentials failed: {}", e.toString());
        }
      }
    } finally {
      synchronized (this) {
        publishing = false;
        notifyAll();
      }
    }
    synchronized (this) {
      long next = Long.MAX_VALUE;
      for (Entry e : entries.values()) {
        next = Math.min(next, e.nextAttempt);
        if (e.session != null) {
          next = Math.min(next, e.pushableUntil);
        }
      }
      return next;
    }
  }

  /** One exchange; returns whether what is pushed or shown changed. */
  private boolean exchangeOne(Credentials.SecretSession source) {
    StsExchange.Session got;
    try {
      got = exchange.apply(source);
    } catch (RuntimeException ex) {
      // A bug, not STS: show it rather than stay Pending forever.
      LOG.error("exchanging Secret keys with STS failed", ex);
      got =
          new StsExchange.Session(
              null,
              StsCheckResult.unreachable("the exchange failed: " + ex.getClass().getSimpleName()));
    }
    long done = clock.millis();
    synchronized (this) {
      Entry e = entries.get(source);
      if (e == null) {
        return false; // forgotten while the call was in flight
      }
      boolean first = !e.attempted;
      e.attempted = true;
      ExpiringCredentials issued = got.issued();
      if (issued != null && issued.expirationMillis() > done) {
        long expiresAt = issued.expirationMillis();
        e.session =
            new Credentials.Inline(
                issued.credentials().accessKeyId(),
                issued.credentials().secretAccessKey(),
                issued.credentials().sessionToken());
        e.expiresAt = expiresAt;
        e.pushableUntil = pushableUntil(done, expiresAt);
        e.nextAttempt = refreshAt(done, expiresAt, jitter.getAsDouble());
        e.retryDelay = firstRetry;
        e.failure = null;
        LOG.info(
            "STS GetSessionToken issued session credentials for the Secret keys used with {},"
                + " valid until {}; next refresh at {}",
            source.stsEndpoint().url(),
            Instant.ofEpochMilli(expiresAt),
            Instant.ofEpochMilli(e.nextAttempt));
        return true;
      }
      StsCheckResult failure =
          issued != null
              ? StsCheckResult.unreachable(
                  "GetSessionToken with the Secret's keys: STS issued "
                      + "credentials that expire at "
                      + Instant.ofEpochMilli(issued.expirationMillis())
                      + ", not after now (is a clock wrong?)")
              : got.failure();
      e.nextAttempt = done + e.retryDelay;
      e.retryDelay = Math.min(e.retryDelay * 2, maxRetry);
      boolean changed = first || !failure.equals(e.failure);
      e.failure = failure;
      if (changed) {
        LOG.warn("STS: {}; retrying in {} s", failure.message(), (e.nextAttempt - done) / 1000);
      }
      return changed;
    }
  }

  /**
   * Waits until every source in use has had an answer from STS and the listener has seen it (for
   * {@code run} and tests: the first push after start then carries the sessions).
   *
   * @return false when {@code timeout} passed first
   */
  public synchronized boolean awaitSettled(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (publishing || entries.values().stream().anyMatch(e -> !e.attempted)) {
      long left = end - System.nanoTime();
      if (left <= 0 || closed) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  /** Starts the background thread that calls {@link #tick} when something is due. */
  void startDriver() {
    driver = new Thread(this::drive, "lambdagate-secret-sessions");
    driver.setDaemon(true);
    driver.start();
  }

  private void drive() {
    while (true) {
      long next;
      try {
        next = tick();
      } catch (RuntimeException e) {
        LOG.error("refreshing session credentials failed", e);
        next = clock.millis() + firstRetry;
      }
      synchronized (this) {
        if (closed) {
          return;
        }
        long wait = next == Long.MAX_VALUE ? 60_000 : next - clock.millis();
        if (!wake && wait > 0) {
          try {
            // Bounded, so that a clock that jumps is noticed within a minute.
            wait(Math.min(wait, 60_000));
          } catch (InterruptedException e) {
            return;
          }
        }
        wake = false;
        if (closed) {
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    if (driver != null) {
      driver.interrupt();
    }
  }
}
