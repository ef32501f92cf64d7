package dev.lambdagate.credentials;

import dev.lambdagate.json.Utf8;
import dev.lambdagate.sigv4.Credentials;
import dev.lambdagate.sigv4.PayloadHash;
import java.util.ArrayList;
import java.util.List;

/**
 * Credentials from the EKS Pod Identity agent ({@code GET /v1/credentials} with the proxy's
 * ServiceAccount token, see {@link PodIdentityAgentRequest}), kept fresh the way {@link
 * StsCredentialsProvider} keeps STS credentials: a {@link CredentialsRefresher} (refresh ahead with
 * jitter, backoff after a failure), one call in flight shared by every waiter, and the result
 * shared with the other VMs through the {@link SharedStore} under a key made of the agent cluster
 * and a hash of the token.
 *
 * <p>The call only goes through the configured cluster: what the agent address is, and that it is
 * node-local, is the cluster's business (the control plane programs it), as the AWS SDKs accept
 * only link-local or loopback hosts for this provider.
 *
 * <p>Not thread-safe: a Wasm VM is single-threaded. Nothing here logs or prints the token or a
 * credential.
 */
public final class PodIdentityCredentialsProvider implements FetchedCredentialsProvider {
  /** Shared-data keys start with this, then the agent cluster and a hash of the token. */
  public static final String SHARED_KEY_PREFIX = "lambdagate/podidentity/v1/";

  private final String cluster;
  private final String authority;
  private final String token;
  private final MillisClock clock;
  private final StsTransport transport;
  private final SharedStore shared;
  private final CredentialsRefresher state;
  private final String key;
  private final List<CredentialsListener> waiters = new ArrayList<>();
  private int agentCalls;
  private CredentialsEvents events = CredentialsEvents.NONE;

  /**
   * @param cluster the Envoy cluster that reaches the agent
   * @param authority the {@code :authority} of the call (the agent's address)
   * @param token the ServiceAccount token for audience {@code pods.eks.amazonaws.com}
   */
  public PodIdentityCredentialsProvider(
      String cluster,
      String authority,
      String token,
      MillisClock clock,
      StsTransport transport,
      SharedStore shared,
      Jitter jitter) {
    this.cluster = cluster;
    this.authority = authority;
    this.token = token;
    this.clock = clock;
    this.transport = transport;
    this.shared = shared;
    this.state = new CredentialsRefresher(jitter);
    this.key =
        SHARED_KEY_PREFIX
            + cluster
            + "#"
            + PayloadHash.sha256Hex(Utf8.encode(token)).substring(0, 16);
  }

  @Override
  public Credentials credentials() {
    long now = clock.nowMillis();
    Credentials valid = current(now);
    if (state.needsFetch(now)) {
      fetch(now);
      valid = state.valid(now); // a synchronous failure changed the state
    }
    return valid;
  }

  @Override
  public boolean failing() {
    return state.failing(clock.nowMillis());
  }

  @Override
  public String failureMessage() {
    return state.lastFailure();
  }

  @Override
  public void await(CredentialsListener listener) {
    waiters.add(listener);
    long now = clock.nowMillis();
    if (!state.inFlight()) {
      Credentials valid = current(now);
      if (valid != null) {
        notifySuccess(valid);
      } else if (state.failing(now)) {
        notifyFailure(state.lastFailure());
      } else {
        fetch(now);
      }
    }
  }

  @Override
  public void reportTo(CredentialsEvents events) {
    this.events = events == null ? CredentialsEvents.NONE : events;
  }

  /** Agent calls this provider started (for tests and metrics). */
  public int agentCalls() {
    return agentCalls;
  }

  /** Number of callers waiting for the call in flight. */
  public int waiting() {
    return waiters.size();
  }

  /** The refresh state of the credentials served (for tests). */
  public CredentialsRefresher state() {
    return state;
  }

  private Credentials current(long now) {
    if (state.refreshDue(now) && !state.inFlight()) {
      SharedCredentials.adopt(shared, key, state, now);
    }
    return state.valid(now);
  }

  private void fetch(long now) {
    state.fetchStarted(now);
    agentCalls++;
    final String prefix = PodIdentityAgentRequest.ACTION + " failed: ";
    transport.send(
        cluster,
        PodIdentityAgentRequest.credentials(authority, token),
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
              response = PodIdentityResponseParser.parse(httpStatus, body);
            } catch (IllegalArgumentException e) {
              failed(at, prefix + "HTTP " + httpStatus + ", " + e.getMessage());
              return;
            }
            if (!response.isSuccess()) {
              failed(at, prefix + "HTTP " + httpStatus + ", " + response.describeError());
              return;
            }
            state.succeeded(at, response.credentials());
            SharedCredentials.publish(shared, key, at, response.credentials());
            events.refreshed();
            notifySuccess(response.credentials().credentials());
          }

          @Override
          public void onFailure(String reason) {
            if (done) {
              return;
            }
            done = true;
            failed(clock.nowMillis(), prefix + reason);
          }
        });
  }

  private void failed(long at, String message) {
    state.failed(at, message);
    events.refreshFailed();
    notifyFailure(message);
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

  @Override
  public String toString() {
    return "PodIdentityCredentialsProvider[" + authority + " via " + cluster + "]";
  }
}
