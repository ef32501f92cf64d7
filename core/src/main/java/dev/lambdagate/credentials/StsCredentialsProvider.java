package dev.lambdagate.credentials;

import dev.lambdagate.json.Utf8;
import dev.lambdagate.sigv4.Credentials;
import dev.lambdagate.sigv4.PayloadHash;
import java.util.ArrayList;
import java.util.List;

/**
 * Credentials obtained from STS and kept fresh: {@code AssumeRoleWithWebIdentity} with a web
 * identity token (IRSA), optionally followed by a SigV4-signed {@code AssumeRole} (role chaining) —
 * or {@code AssumeRole} alone, signed with configured keys.
 *
 * <p>{@link #credentials()} never blocks: it answers what is valid now (its own, or fresher ones
 * another VM put in the {@link SharedStore}) and starts a fetch when one is due — in the background
 * when the current credentials are still served (refresh ahead). A caller that got null either
 * answers at once when {@link #failing()} (the last fetch failed and the retry backoff has not
 * passed), or {@link #await}s the fetch in flight: every waiter shares that one call. Each stage
 * (web identity, assumed role) has its own {@link CredentialsRefresher} and its own shared-data
 * key.
 *
 * <p>Not thread-safe: a Wasm VM is single-threaded. Nothing here logs or prints a credential.
 */
public final class StsCredentialsProvider implements FetchedCredentialsProvider {
  /** Shared-data keys start with this, then the role ARN and a hash of what proves identity. */
  public static final String SHARED_KEY_PREFIX = "lambdagate/sts/v1/";

  /** {@code AssumeRoleWithWebIdentity} settings. */
  public static final class WebIdentity {
    final String roleArn;
    final String token;
    final StsEndpoint endpoint;

    public WebIdentity(String roleArn, String token, StsEndpoint endpoint) {
      this.roleArn = roleArn;
      this.token = token;
      this.endpoint = endpoint;
    }
  }

  /** {@code AssumeRole} settings; {@code sessionName} and {@code externalId} may be null. */
  public static final class AssumeRole {
    final String roleArn;
    final String sessionName;
    final String externalId;
    final StsEndpoint endpoint;

    public AssumeRole(String roleArn, String sessionName, String externalId, StsEndpoint endpoint) {
      this.roleArn = roleArn;
      this.sessionName = sessionName;
      this.externalId = externalId;
      this.endpoint = endpoint;
    }
  }

  private final WebIdentity webIdentity;
  private final Credentials staticBase;
  private final AssumeRole assumeRole;
  private final MillisClock clock;
  private final StsTransport transport;
  private final SharedStore shared;
  private final CredentialsRefresher baseState;
  private final CredentialsRefresher topState;
  private final String baseKey;
  private final String topKey;
  private final List<CredentialsListener> waiters = new ArrayList<>();
  private int stsCalls;
  private CredentialsEvents events = CredentialsEvents.NONE;

  private StsCredentialsProvider(
      WebIdentity webIdentity,
      Credentials staticBase,
      AssumeRole assumeRole,
      MillisClock clock,
      StsTransport transport,
      SharedStore shared,
      Jitter jitter) {
    this.webIdentity = webIdentity;
    this.staticBase = staticBase;
    this.assumeRole = assumeRole;
    this.clock = clock;
    this.transport = transport;
    this.shared = shared;
    this.baseState = webIdentity == null ? null : new CredentialsRefresher(jitter);
    this.baseKey =
        webIdentity == null
            ? null
            : SHARED_KEY_PREFIX + webIdentity.roleArn + "#" + hash(webIdentity.token);
    if (assumeRole == null) {
      this.topState = baseState;
      this.topKey = baseKey;
    } else {
      this.topState = new CredentialsRefresher(jitter);
      String identity =
          webIdentity != null
              ? baseKey
              : hash(staticBase.accessKeyId() + "\n" + staticBase.secretAccessKey());
      this.topKey =
          SHARED_KEY_PREFIX
              + assumeRole.roleArn
              + "#"
              + hash(identity + "\n" + assumeRole.sessionName + "\n" + assumeRole.externalId);
    }
  }

  /** Web identity, optionally chained to {@code assumeRole} (null for none). */
  public static StsCredentialsProvider webIdentity(
      WebIdentity webIdentity,
      AssumeRole assumeRole,
      MillisClock clock,
      StsTransport transport,
      SharedStore shared,
      Jitter jitter) {
    return new StsCredentialsProvider(
        webIdentity, null, assumeRole, clock, transport, shared, jitter);
  }

  /** {@code AssumeRole} signed with long-lived (or configured session) keys. */
  public static StsCredentialsProvider assumeRole(
      Credentials caller,
      AssumeRole assumeRole,
      MillisClock clock,
      StsTransport transport,
      SharedStore shared,
      Jitter jitter) {
    return new StsCredentialsProvider(null, caller, assumeRole, clock, transport, shared, jitter);
  }

  @Override
  public Credentials credentials() {
    long now = clock.nowMillis();
    Credentials valid = current(topState, topKey, now);
    if (topState.needsFetch(now)) {
      startFetch(now);
      valid = topState.valid(now); // a synchronous failure or success changed the state
    }
    return valid;
  }

  /** No credentials now, and the last fetch failed less than a backoff ago. */
  @Override
  public boolean failing() {
    return topState.failing(clock.nowMillis());
  }

  /** The last failure's message (see {@link CredentialsListener#onFailure}), or null. */
  @Override
  public String failureMessage() {
    return topState.lastFailure();
  }

  /**
   * Waits for the fetch in flight (starting one if none is): {@code listener} is called once when
   * it ends. Call after {@link #credentials()} returned null and {@link #failing()} is false.
   */
  @Override
  public void await(CredentialsListener listener) {
    waiters.add(listener);
    long now = clock.nowMillis();
    if (!topState.inFlight()) {
      Credentials valid = current(topState, topKey, now);
      if (valid != null) {
        notifySuccess(valid);
      } else if (topState.failing(now)) {
        notifyFailure(topState.lastFailure());
      } else {
        startFetch(now);
      }
    }
  }

  /** Number of callers waiting for the fetch in flight. */
  public int waiting() {
    return waiters.size();
  }

  /** Reports each fetch's outcome to {@code events} from now on (metrics); none by default. */
  @Override
  public void reportTo(CredentialsEvents events) {
    this.events = events == null ? CredentialsEvents.NONE : events;
  }

  /** STS calls this provider started (for tests and metrics). */
  public int stsCalls() {
    return stsCalls;
  }

  /** The refresh state of the credentials served (for tests). */
  public CredentialsRefresher state() {
    return topState;
  }

  /** Valid credentials of one stage: its own, or better ones another VM shared. */
  private Credentials current(CredentialsRefresher state, String key, long now) {
    if (state.refreshDue(now) && !state.inFlight()) {
      adoptShared(state, key, now);
    }
    return state.valid(now);
  }

  /** Takes the shared entry when it expires later than ours and is not itself due. */
  private boolean adoptShared(CredentialsRefresher state, String key, long now) {
    return SharedCredentials.adopt(shared, key, state, now);
  }

  private void startFetch(long now) {
    topState.fetchStarted(now);
    if (assumeRole == null) {
      fetchWebIdentity(now, false);
      return;
    }
    Credentials caller = staticBase;
    if (caller == null) {
      caller = current(baseState, baseKey, now);
      if (caller == null || baseState.refreshDue(now)) {
        fetchWebIdentity(now, true);
        return;
      }
    }
    fetchAssumeRole(caller);
  }

  /**
   * @param chained true: the web identity credentials are the chain's first step
   */
  private void fetchWebIdentity(long now, final boolean chained) {
    if (chained) {
      baseState.fetchStarted(now);
    }
    StsHttpRequest request =
        StsRequest.webIdentity(
            webIdentity.endpoint.authority(),
            webIdentity.roleArn,
            StsRequest.sessionName("lambdagate", now / 1000L),
            webIdentity.token);
    send(
        webIdentity.endpoint.cluster(),
        request,
        new Outcome() {
          @Override
          void succeeded(long at, ExpiringCredentials credentials) {
            baseState.succeeded(at, credentials);
            publish(baseKey, at, credentials);
            if (chained) {
              fetchAssumeRole(credentials.credentials());
            } else {
              events.refreshed();
              notifySuccess(credentials.credentials());
            }
          }

          @Override
          void failed(long at, String message) {
            if (chained) {
              baseState.failed(at, message);
            }
            topState.failed(at, message);
            events.refreshFailed();
            notifyFailure(message);
          }
        });
  }

  private void fetchAssumeRole(Credentials caller) {
    long now = clock.nowMillis();
    String sessionName =
        assumeRole.sessionName != null
            ? assumeRole.sessionName
            : StsRequest.sessionName("lambdagate", now / 1000L);
    StsHttpRequest request =
        StsRequest.assumeRole(
            assumeRole.endpoint.authority(),
            assumeRole.endpoint.region(),
            assumeRole.roleArn,
            sessionName,
            assumeRole.externalId,
            caller,
            now / 1000L);
    send(
        assumeRole.endpoint.cluster(),
        request,
        new Outcome() {
          @Override
          void succeeded(long at, ExpiringCredentials credentials) {
            topState.succeeded(at, credentials);
            publish(topKey, at, credentials);
            events.refreshed();
            notifySuccess(credentials.credentials());
          }

          @Override
          void failed(long at, String message) {
            topState.failed(at, message);
            events.refreshFailed();
            notifyFailure(message);
          }
        });
  }

  /** Turns a transport outcome into credentials or a failure message naming the action. */
  private abstract class Outcome {
    abstract void succeeded(long at, ExpiringCredentials credentials);

    abstract void failed(long at, String message);
  }

  private void send(String cluster, StsHttpRequest request, Outcome outcome) {
    stsCalls++;
    final String prefix = "STS " + request.action() + " failed: ";
    transport.send(
        cluster,
        request,
        new StsTransport.Callback() {
          private boolean done;

          @Override
          public void onResponse(int httpStatus, byte[] body) {
            if (done) {
              return;
            }
            done = true;
            long at = clock.nowMillis();
            StsResponse response;
            try {
              response = StsResponseParser.parse(httpStatus, body);
            } catch (IllegalArgumentException e) {
              outcome.failed(at, prefix + "HTTP " + httpStatus + ", " + e.getMessage());
              return;
            }
            if (response.isSuccess()) {
              outcome.succeeded(at, response.credentials());
            } else {
              outcome.failed(at, prefix + response.describeError());
            }
          }

          @Override
          public void onFailure(String reason) {
            if (done) {
              return;
            }
            done = true;
            outcome.failed(clock.nowMillis(), prefix + reason);
          }
        });
  }

  /** Offers fetched credentials to the other VMs, unless they already hold later ones. */
  private void publish(String key, long obtainedMillis, ExpiringCredentials credentials) {
    SharedCredentials.publish(shared, key, obtainedMillis, credentials);
  }

  private void notifySuccess(Credentials credentials) {
    List<CredentialsListener> ready = new ArrayList<>(waiters);
    waiters.clear();
    for (int i = 0; i < ready.size(); i++) {
      ready.get(i).onCredentials(credentials);
    }
  }

  private void notifyFailure(String message) {
    List<CredentialsListener> failed = new ArrayList<>(waiters);
    waiters.clear();
    for (int i = 0; i < failed.size(); i++) {
      failed.get(i).onFailure(message);
    }
  }

  /** The first 16 hex digits of SHA-256: tells identities apart without storing them. */
  private static String hash(String text) {
    return PayloadHash.sha256Hex(Utf8.encode(text)).substring(0, 16);
  }

  @Override
  public String toString() {
    return "StsCredentialsProvider["
        + (webIdentity != null ? "webIdentity " + webIdentity.roleArn : "keys")
        + (assumeRole != null ? " -> assumeRole " + assumeRole.roleArn : "")
        + "]";
  }
}
