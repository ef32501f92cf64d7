package dev.lambdagate.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.credentials.StsCredentialsProviderTest.MapStore;
import dev.lambdagate.credentials.StsCredentialsProviderTest.Recorder;
import dev.lambdagate.sigv4.Credentials;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Pod Identity provider with a fake agent, a simulated clock and an in-memory shared store. */
class PodIdentityCredentialsProviderTest {
  static final String TOKEN = "eyJhbGciOi.eyJhdWQiOiJwb2RzLmVrcyJ9.c2ln";
  static final String CLUSTER = "lambdagate-pod-identity-agent";
  static final long T0 = 1_700_000_000_000L;
  static final long HOUR = 3_600_000L;

  long now;
  FakeSts agent;
  MapStore shared;

  @BeforeEach
  void setUp() {
    now = T0;
    agent = new FakeSts();
    shared = new MapStore();
  }

  PodIdentityCredentialsProvider provider(Jitter jitter) {
    return new PodIdentityCredentialsProvider(
        CLUSTER, "169.254.170.23", TOKEN, () -> now, agent, shared, jitter);
  }

  static void answer(FakeSts.Call call, String accessKeyId, long expirationMillis) {
    String body =
        "{\"AccessKeyId\":\""
            + accessKeyId
            + "\",\"SecretAccessKey\":\"secret-"
            + accessKeyId
            + "\",\"Token\":\"session-"
            + accessKeyId
            + "\",\"AccountId\":\"123456789012\",\"Expiration\":\""
            + Instant.ofEpochMilli(expirationMillis)
            + "\"}";
    call.callback.onResponse(200, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void callsTheAgentThroughItsClusterWithTheTokenAsAuthorization() {
    PodIdentityCredentialsProvider provider = provider(Jitter.NONE);

    assertThat(provider.credentials()).isNull();

    FakeSts.Call call = agent.next();
    assertThat(call.cluster).isEqualTo(CLUSTER);
    assertThat(call.request.header(":method")).isEqualTo("GET");
    assertThat(call.request.header(":path")).isEqualTo("/v1/credentials");
    assertThat(call.request.header(":authority")).isEqualTo("169.254.170.23");
    assertThat(call.request.header("authorization")).isEqualTo(TOKEN); // no "Bearer"
    assertThat(call.request.body()).isEmpty();
    assertThat(call.request.toString()).doesNotContain(TOKEN);
    assertThat(provider.toString()).doesNotContain(TOKEN);
  }

  @Test
  void everyWaiterSharesTheOneCallAndGetsItsCredentials() {
    PodIdentityCredentialsProvider provider = provider(Jitter.NONE);
    Recorder first = new Recorder();
    Recorder second = new Recorder();

    assertThat(provider.credentials()).isNull();
    provider.await(first);
    provider.await(second);
    assertThat(agent.calls).hasSize(1);

    answer(agent.next(), "ASIAPOD1", now + HOUR);

    assertThat(first.events).containsExactly("ok ASIAPOD1");
    assertThat(second.events).containsExactly("ok ASIAPOD1");
    Credentials c = provider.credentials();
    assertThat(c.accessKeyId()).isEqualTo("ASIAPOD1");
    assertThat(c.secretAccessKey()).isEqualTo("secret-ASIAPOD1");
    assertThat(c.sessionToken()).isEqualTo("session-ASIAPOD1");
    assertThat(provider.agentCalls()).isEqualTo(1);
  }

  @Test
  void refreshesAheadOfExpiryWhileServingTheCurrentCredentials() {
    PodIdentityCredentialsProvider provider = provider(Jitter.NONE);
    provider.credentials();
    answer(agent.next(), "ASIAPOD1", T0 + 6 * HOUR);

    now = T0 + 6 * HOUR - 5 * 60_000L - 1; // just before the refresh lead
    assertThat(provider.credentials().accessKeyId()).isEqualTo("ASIAPOD1");
    assertThat(agent.open).isEmpty();

    now += 1; // 5 minutes before expiry: refresh in the background, keep serving
    assertThat(provider.credentials().accessKeyId()).isEqualTo("ASIAPOD1");
    assertThat(agent.open).hasSize(1);
    answer(agent.next(), "ASIAPOD2", now + 6 * HOUR);

    assertThat(provider.credentials().accessKeyId()).isEqualTo("ASIAPOD2");
    assertThat(provider.agentCalls()).isEqualTo(2);
  }

  @Test
  void jitterMovesTheRefreshEarlierByUpToAQuarterOfTheLead() {
    PodIdentityCredentialsProvider provider = provider(bound -> bound - 1);
    provider.credentials();
    answer(agent.next(), "ASIAPOD1", T0 + 6 * HOUR);

    long refreshAt = provider.state().refreshAtMillis();
    long lead = 5 * 60_000L;
    assertThat(refreshAt).isEqualTo(T0 + 6 * HOUR - lead - (lead / 4 - 1));
  }

  @Test
  void anAgentErrorFailsTheWaitersAndBacksOffWithoutRetryingAtOnce() {
    PodIdentityCredentialsProvider provider = provider(Jitter.NONE);
    Recorder waiter = new Recorder();
    provider.credentials();
    provider.await(waiter);

    agent
        .next()
        .callback
        .onResponse(
            400,
            "{\"code\":\"InvalidTokenException\",\"message\":\"audience mismatch\"}"
                .getBytes(StandardCharsets.UTF_8));

    assertThat(waiter.events)
        .containsExactly(
            "failed EKS Pod Identity agent GetCredentials failed: HTTP 400, "
                + "InvalidTokenException: audience mismatch");
    assertThat(provider.failing()).isTrue();
    assertThat(provider.credentials()).isNull();
    assertThat(agent.open).isEmpty(); // backoff: no new call yet
    assertThat(provider.failureMessage()).doesNotContain(TOKEN);

    now += CredentialsRefresher.FIRST_BACKOFF_MILLIS;
    assertThat(provider.failing()).isFalse();
    provider.credentials();
    assertThat(agent.open).hasSize(1);
  }

  @Test
  void aMalformedAnswerNamesTheMissingField() {
    PodIdentityCredentialsProvider provider = provider(Jitter.NONE);
    Recorder waiter = new Recorder();
    provider.credentials();
    provider.await(waiter);

    agent
        .next()
        .callback
        .onResponse(
            200,
            "{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"s\",\"Expiration\":\"2030-01-01T00:00:00Z\"}"
                .getBytes(StandardCharsets.UTF_8));

    assertThat(waiter.events)
        .containsExactly(
            "failed EKS Pod Identity agent GetCredentials failed: HTTP 200, "
                + "agent response has no Token");
  }

  @Test
  void aConnectionFailureIsReported() {
    agent.refuseWith = "no response from cluster 'x'";
    PodIdentityCredentialsProvider provider = provider(Jitter.NONE);

    assertThat(provider.credentials()).isNull();
    assertThat(provider.failing()).isTrue();
    assertThat(provider.failureMessage())
        .isEqualTo("EKS Pod Identity agent GetCredentials failed: no response from cluster 'x'");
  }

  @Test
  void anotherVmAdoptsSharedCredentialsInsteadOfCallingTheAgent() {
    PodIdentityCredentialsProvider first = provider(Jitter.NONE);
    first.credentials();
    answer(agent.next(), "ASIAPOD1", T0 + HOUR);

    PodIdentityCredentialsProvider second = provider(Jitter.NONE);
    assertThat(second.credentials().accessKeyId()).isEqualTo("ASIAPOD1");
    assertThat(second.agentCalls()).isZero();
    assertThat(shared.values.keySet())
        .singleElement()
        .satisfies(
            k ->
                assertThat(k)
                    .startsWith(PodIdentityCredentialsProvider.SHARED_KEY_PREFIX + CLUSTER + "#")
                    .doesNotContain(TOKEN));
  }

  @Test
  void reportsEachFetchOutcome() {
    int[] counts = new int[2];
    PodIdentityCredentialsProvider provider = provider(Jitter.NONE);
    provider.reportTo(
        new CredentialsEvents() {
          @Override
          public void refreshed() {
            counts[0]++;
          }

          @Override
          public void refreshFailed() {
            counts[1]++;
          }
        });
    provider.credentials();
    agent.next().callback.onFailure("reset");
    now += CredentialsRefresher.MAX_BACKOFF_MILLIS;
    provider.credentials();
    answer(agent.next(), "ASIAPOD1", now + HOUR);

    assertThat(counts).containsExactly(1, 1);
  }
}
