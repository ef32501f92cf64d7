package dev.lambdagate.harness.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.config.Endpoint;
import dev.lambdagate.controlplane.model.Credentials;
import dev.lambdagate.controlplane.sts.StsCheckResult;
import dev.lambdagate.controlplane.sts.StsExchange;
import dev.lambdagate.harness.emulator.credentials.CredentialStore;
import dev.lambdagate.harness.emulator.sts.StsCallRecord;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The control plane's signed AssumeRole ({@link StsExchange#check} for role chaining), made by the
 * filter's signer, goes through the STS emulator's Aws4Signer check: it is served only when the
 * signature verifies (every required header signed, the session token included when the base is a
 * session), and a wrong secret is refused as STS refuses it.
 */
class StsExchangeAssumeRoleTest {

  private static final String CHAINED_ROLE = "arn:aws:iam::111122223333:role/path/chained-role";

  private final SettableClock clock = SettableClock.at("2026-01-01T12:00:00Z");
  private StsEmulator sts;
  private StsExchange exchange;
  private Endpoint endpoint;

  @BeforeEach
  void start() throws Exception {
    sts = StsEmulator.start(StsEmulatorConfig.builder().clock(clock).build());
    exchange =
        new StsExchange(
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
            Duration.ofSeconds(5),
            clock);
    endpoint = Endpoint.parse(sts.endpoint().toString());
  }

  @AfterEach
  void stop() {
    sts.close();
  }

  private Credentials.Chained chained(Credentials base) {
    return new Credentials.Chained(
        base, CHAINED_ROLE, "check-session", null, "us-east-1", endpoint, "sts");
  }

  private static Credentials.Inline secretKeys(String secret) {
    return new Credentials.Inline(CredentialStore.TEST_ACCESS_KEY_ID, secret, null);
  }

  @Test
  void assumeRoleWithTheSecretsKeysIsVerifiedAndServed() {
    StsCheckResult result =
        exchange.check(chained(secretKeys(CredentialStore.TEST_SECRET_ACCESS_KEY)));

    assertThat(result.state()).as(result.message()).isEqualTo(StsCheckResult.State.ISSUED);
    assertThat(result.message())
        .isEqualTo(
            "STS issued credentials for " + CHAINED_ROLE + " (AssumeRole with the Secret's keys)");
    StsCallRecord call = sts.calls().last().orElseThrow();
    assertThat(call.action()).isEqualTo("AssumeRole");
    assertThat(call.status()).isEqualTo(200);
    assertThat(call.parameters())
        .containsEntry("RoleArn", CHAINED_ROLE)
        .containsEntry("RoleSessionName", "check-session");
    // Issued credentials reach the store only after the signature verified.
    assertThat(sts.credentials().find(call.issuedAccessKeyId())).isPresent();
  }

  @Test
  void aWrongSecretIsRefusedAsSignatureDoesNotMatch() {
    StsCheckResult result = exchange.check(chained(secretKeys("not-the-secret")));

    assertThat(result.state()).isEqualTo(StsCheckResult.State.REJECTED);
    assertThat(result.reason()).isEqualTo("StsError");
    assertThat(result.message())
        .startsWith("AssumeRole for " + CHAINED_ROLE + ": SignatureDoesNotMatch: ");
    StsCallRecord call = sts.calls().last().orElseThrow();
    assertThat(call.action()).isEqualTo("AssumeRole");
    assertThat(call.status()).isEqualTo(403);
    assertThat(call.errorCode()).isEqualTo("SignatureDoesNotMatch");
    assertThat(call.issuedAccessKeyId()).isNull();
  }

  @Test
  void assumeRoleChainedAfterWebIdentityIsSignedWithTheSessionAndVerified() {
    Credentials.WebIdentity webIdentity =
        new Credentials.WebIdentity(
            StsClient.ROLE_ARN, StsClient.serviceAccountToken(), "us-east-1", endpoint, "sts");

    StsCheckResult result = exchange.check(chained(webIdentity));

    assertThat(result.state()).as(result.message()).isEqualTo(StsCheckResult.State.ISSUED);
    List<StsCallRecord> calls = sts.calls().all();
    assertThat(calls)
        .extracting(StsCallRecord::action)
        .containsExactly("AssumeRoleWithWebIdentity", "AssumeRole");
    assertThat(calls).extracting(StsCallRecord::status).containsExactly(200, 200);
    // The AssumeRole caller is the web-identity session (its token verified and signed), and
    // the role's credentials were issued from that.
    assertThat(sts.credentials().find(calls.get(0).issuedAccessKeyId())).isPresent();
    assertThat(
            sts.credentials().find(calls.get(1).issuedAccessKeyId()).orElseThrow().principalArn())
        .contains("chained-role");
  }
}
