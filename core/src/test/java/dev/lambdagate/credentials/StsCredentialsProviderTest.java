package dev.lambdagate.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.sigv4.Credentials;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The provider with a fake STS, a simulated clock and an in-memory shared store. */
class StsCredentialsProviderTest {
  static final String ROLE = "arn:aws:iam::123456789012:role/invoker";
  static final String CHAINED = "arn:aws:iam::210987654321:role/target";
  static final String TOKEN = "eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl";
  static final long T0 = 1_700_000_000_000L;
  static final long HOUR = 3_600_000L;
  static final StsEndpoint ENDPOINT =
      new StsEndpoint("sts", "sts.us-east-1.amazonaws.com", "us-east-1");

  long now;
  FakeSts sts;
  MapStore shared;

  /** proxy-wasm shared data semantics: CAS 0 writes unconditionally. */
  static final class MapStore implements SharedStore {
    final Map<String, byte[]> values = new HashMap<>();
    final Map<String, Integer> cas = new HashMap<>();

    @Override
    public Entry get(String key) {
      return new Entry(values.get(key), cas.getOrDefault(key, 0));
    }

    @Override
    public boolean compareAndSet(String key, byte[] value, int expected) {
      int current = cas.getOrDefault(key, 0);
      if (expected != 0 && expected != current) {
        return false;
      }
      values.put(key, value);
      cas.put(key, current + 1);
      return true;
    }
  }

  static final class Recorder implements CredentialsListener {
    final List<String> events = new ArrayList<>();

    @Override
    public void onCredentials(Credentials credentials) {
      events.add("ok " + credentials.accessKeyId());
    }

    @Override
    public void onFailure(String message) {
      events.add("failed " + message);
    }
  }

  @BeforeEach
  void setUp() {
    now = T0;
    sts = new FakeSts();
    shared = new MapStore();
  }

  StsCredentialsProvider webIdentity(StsCredentialsProvider.AssumeRole chain) {
    return StsCredentialsProvider.webIdentity(
        new StsCredentialsProvider.WebIdentity(ROLE, TOKEN, ENDPOINT),
        chain,
        () -> now,
        sts,
        shared,
        Jitter.NONE);
  }

  @Test
  void concurrentFirstRequestsShareOneCall() {
    StsCredentialsProvider provider = webIdentity(null);
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    assertThat(provider.credentials()).isNull();
    assertThat(provider.failing()).isFalse();
    provider.await(a);
    assertThat(provider.credentials()).isNull();
    provider.await(b);
    assertThat(sts.calls).hasSize(1);
    FakeSts.Call call = sts.next();
    assertThat(call.cluster).isEqualTo("sts");
    assertThat(call.body())
        .startsWith(
            "Action=AssumeRoleWithWebIdentity&Version=2011-06-15"
                + "&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Finvoker&RoleSessionName="
                + "lambdagate-1700000000&WebIdentityToken="
                + TOKEN);
    call.succeed("AssumeRoleWithWebIdentity", "ASIAFIRST", now + HOUR);
    assertThat(a.events).containsExactly("ok ASIAFIRST");
    assertThat(b.events).containsExactly("ok ASIAFIRST");
    assertThat(provider.credentials().sessionToken()).isEqualTo("token-ASIAFIRST");
    assertThat(provider.stsCalls()).isEqualTo(1);
  }

  @Test
  void refreshAheadServesTheOldCredentialsWhileOneBackgroundCallRuns() {
    StsCredentialsProvider provider = webIdentity(null);
    provider.credentials();
    sts.next().succeed("AssumeRoleWithWebIdentity", "ASIAFIRST", now + HOUR);
    now += HOUR - 5 * 60_000L;
    assertThat(provider.credentials().accessKeyId()).isEqualTo("ASIAFIRST");
    assertThat(provider.credentials().accessKeyId()).isEqualTo("ASIAFIRST");
    assertThat(sts.calls).hasSize(2);
    sts.next().succeed("AssumeRoleWithWebIdentity", "ASIASECOND", now + HOUR);
    assertThat(provider.credentials().accessKeyId()).isEqualTo("ASIASECOND");
    assertThat(sts.calls).hasSize(2);
  }

  @Test
  void aFailureIsReportedThenRetriedAfterTheBackoff() {
    StsCredentialsProvider provider = webIdentity(null);
    Recorder waiter = new Recorder();
    provider.credentials();
    provider.await(waiter);
    sts.next().fail(400, "InvalidIdentityToken", "Token expired");
    String message = "STS AssumeRoleWithWebIdentity failed: InvalidIdentityToken: Token expired";
    assertThat(waiter.events).containsExactly("failed " + message);
    assertThat(provider.failing()).isTrue();
    assertThat(provider.failureMessage()).isEqualTo(message);
    assertThat(provider.credentials()).isNull();
    assertThat(sts.calls).hasSize(1); // within the backoff: no new call
    now += 1_000;
    assertThat(provider.failing()).isFalse();
    assertThat(provider.credentials()).isNull();
    assertThat(sts.calls).hasSize(2);
    sts.next().succeed("AssumeRoleWithWebIdentity", "ASIAOK", now + HOUR);
    assertThat(provider.credentials().accessKeyId()).isEqualTo("ASIAOK");
  }

  @Test
  void noAnswerAndMalformedAnswersAreFailuresToo() {
    StsCredentialsProvider provider = webIdentity(null);
    provider.credentials();
    sts.next().callback.onFailure("no response from cluster 'sts' (timeout)");
    assertThat(provider.failureMessage())
        .isEqualTo(
            "STS AssumeRoleWithWebIdentity failed: no response from cluster 'sts' (timeout)");
    now += 2_000;
    provider.credentials();
    sts.next().callback.onResponse(200, "<html>".getBytes());
    assertThat(provider.failureMessage())
        .startsWith(
            "STS AssumeRoleWithWebIdentity failed: HTTP 200,"
                + " STS response is not well-formed XML");
  }

  @Test
  void eachFetchReportsOneRefreshOrOneFailure() {
    List<String> reported = new ArrayList<>();
    StsCredentialsProvider provider = webIdentity(null);
    provider.reportTo(
        new CredentialsEvents() {
          @Override
          public void refreshed() {
            reported.add("refreshed");
          }

          @Override
          public void refreshFailed() {
            reported.add("failed");
          }
        });
    provider.credentials();
    sts.next().fail(400, "InvalidIdentityToken", "Token expired");
    assertThat(reported).containsExactly("failed");
    now += 1_000;
    provider.credentials();
    sts.next().succeed("AssumeRoleWithWebIdentity", "ASIAOK", now + HOUR);
    assertThat(reported).containsExactly("failed", "refreshed");
    // Another VM's shared credentials are adopted, not fetched: no report.
    StsCredentialsProvider second = webIdentity(null);
    second.reportTo(
        new CredentialsEvents() {
          @Override
          public void refreshed() {
            reported.add("second refreshed");
          }

          @Override
          public void refreshFailed() {
            reported.add("second failed");
          }
        });
    assertThat(second.credentials().accessKeyId()).isEqualTo("ASIAOK");
    assertThat(reported).containsExactly("failed", "refreshed");
  }

  @Test
  void aCallThatCannotStartFailsAtOnce() {
    sts.refuseWith = "cannot call STS through cluster 'sts': BAD_ARGUMENT";
    StsCredentialsProvider provider = webIdentity(null);
    assertThat(provider.credentials()).isNull();
    assertThat(provider.failing()).isTrue();
    assertThat(provider.failureMessage()).contains("cluster 'sts'");
  }

  @Test
  void anotherVmsFreshCredentialsAreUsedWithoutCallingSts() {
    StsCredentialsProvider first = webIdentity(null);
    first.credentials();
    sts.next().succeed("AssumeRoleWithWebIdentity", "ASIASHARED", now + HOUR);
    StsCredentialsProvider second = webIdentity(null);
    assertThat(second.credentials().accessKeyId()).isEqualTo("ASIASHARED");
    assertThat(sts.calls).hasSize(1);
    // The second VM refreshes when due; the first then adopts what it stored.
    now += HOUR - 5 * 60_000L;
    assertThat(second.credentials().accessKeyId()).isEqualTo("ASIASHARED");
    sts.next().succeed("AssumeRoleWithWebIdentity", "ASIANEXT", now + HOUR);
    assertThat(first.credentials().accessKeyId()).isEqualTo("ASIANEXT");
    assertThat(sts.calls).hasSize(2);
    assertThat(shared.values.keySet())
        .singleElement()
        .satisfies(
            key ->
                assertThat(key)
                    .startsWith(StsCredentialsProvider.SHARED_KEY_PREFIX + ROLE + "#")
                    .doesNotContain(TOKEN));
  }

  @Test
  void olderCredentialsNeverReplaceNewerOnesInSharedData() {
    StsCredentialsProvider provider = webIdentity(null);
    provider.credentials();
    sts.next().succeed("AssumeRoleWithWebIdentity", "ASIANEW", now + 2 * HOUR);
    String key = shared.values.keySet().iterator().next();
    StsCredentialsProvider other =
        StsCredentialsProvider.webIdentity(
            new StsCredentialsProvider.WebIdentity(ROLE, TOKEN, ENDPOINT),
            null,
            () -> now,
            sts,
            SharedStore.NONE,
            Jitter.NONE);
    other.credentials();
    sts.next().succeed("AssumeRoleWithWebIdentity", "ASIAOLD", now + HOUR);
    assertThat(
            SharedCredentialsCodec.decode(shared.values.get(key))
                .credentials()
                .credentials()
                .accessKeyId())
        .isEqualTo("ASIANEW");
  }

  @Test
  void chainingCallsAssumeRoleSignedWithTheWebIdentityCredentials() {
    StsCredentialsProvider provider =
        webIdentity(new StsCredentialsProvider.AssumeRole(CHAINED, "gateway", "ext-1", ENDPOINT));
    Recorder waiter = new Recorder();
    assertThat(provider.credentials()).isNull();
    provider.await(waiter);
    sts.next().succeed("AssumeRoleWithWebIdentity", "ASIABASE", now + HOUR);
    assertThat(waiter.events).isEmpty();
    FakeSts.Call assume = sts.next();
    assertThat(assume.body())
        .isEqualTo(
            "Action=AssumeRole&Version=2011-06-15&RoleArn="
                + "arn%3Aaws%3Aiam%3A%3A210987654321%3Arole%2Ftarget&RoleSessionName=gateway"
                + "&ExternalId=ext-1");
    assertThat(assume.request.header("authorization"))
        .contains("Credential=ASIABASE/20231114/us-east-1/sts/aws4_request");
    assertThat(assume.request.header("x-amz-security-token")).isEqualTo("token-ASIABASE");
    assume.succeed("AssumeRole", "ASIACHAINED", now + HOUR);
    assertThat(waiter.events).containsExactly("ok ASIACHAINED");
    assertThat(provider.credentials().accessKeyId()).isEqualTo("ASIACHAINED");
    assertThat(shared.values).hasSize(2);
  }

  @Test
  void aChainedRefreshReusesValidBaseCredentials() {
    StsCredentialsProvider provider =
        webIdentity(new StsCredentialsProvider.AssumeRole(CHAINED, null, null, ENDPOINT));
    provider.credentials();
    sts.next().succeed("AssumeRoleWithWebIdentity", "ASIABASE", now + 3 * HOUR);
    sts.next().succeed("AssumeRole", "ASIACHAINED", now + HOUR);
    now += HOUR - 5 * 60_000L;
    assertThat(provider.credentials().accessKeyId()).isEqualTo("ASIACHAINED");
    FakeSts.Call refresh = sts.next();
    assertThat(refresh.request.action()).isEqualTo("AssumeRole");
    assertThat(refresh.request.header("authorization")).contains("Credential=ASIABASE/");
  }

  @Test
  void aFailedChainNamesTheStepThatFailed() {
    StsCredentialsProvider provider =
        webIdentity(new StsCredentialsProvider.AssumeRole(CHAINED, null, null, ENDPOINT));
    provider.credentials();
    sts.next().succeed("AssumeRoleWithWebIdentity", "ASIABASE", now + HOUR);
    sts.next().fail(403, "AccessDenied", "not authorized to perform sts:AssumeRole");
    assertThat(provider.failureMessage())
        .isEqualTo(
            "STS AssumeRole failed: AccessDenied: " + "not authorized to perform sts:AssumeRole");
  }

  @Test
  void assumeRoleWithInlineKeys() {
    StsCredentialsProvider provider =
        StsCredentialsProvider.assumeRole(
            Credentials.of("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            new StsCredentialsProvider.AssumeRole(CHAINED, null, null, ENDPOINT),
            () -> now,
            sts,
            shared,
            Jitter.NONE);
    provider.credentials();
    FakeSts.Call call = sts.next();
    assertThat(call.request.action()).isEqualTo("AssumeRole");
    assertThat(call.request.header("authorization")).contains("Credential=AKIDEXAMPLE/");
    assertThat(call.request.header("x-amz-security-token")).isNull();
    call.succeed("AssumeRole", "ASIAROLE", now + HOUR);
    assertThat(provider.credentials().accessKeyId()).isEqualTo("ASIAROLE");
    assertThat(shared.values.keySet())
        .singleElement()
        .satisfies(key -> assertThat(key).doesNotContain("wJalr").doesNotContain("AKIDEXAMPLE"));
  }

  @Test
  void sharedDataRoundTrips() {
    ExpiringCredentials c = new ExpiringCredentials(new Credentials("ASIA1", "s/+=", "t"), 42L);
    SharedCredentialsCodec.Stored back =
        SharedCredentialsCodec.decode(SharedCredentialsCodec.encode(7L, c));
    assertThat(back.obtainedMillis()).isEqualTo(7L);
    assertThat(back.credentials().expirationMillis()).isEqualTo(42L);
    assertThat(back.credentials().credentials().secretAccessKey()).isEqualTo("s/+=");
    assertThat(SharedCredentialsCodec.decode("v2\n1".getBytes())).isNull();
    assertThat(SharedCredentialsCodec.decode(null)).isNull();
  }
}
