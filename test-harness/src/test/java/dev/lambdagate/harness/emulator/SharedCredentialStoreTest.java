package dev.lambdagate.harness.emulator;

import static dev.lambdagate.harness.emulator.LambdaSignatureTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.harness.emulator.credentials.CredentialStore;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** STS and Lambda in one JVM: Lambda accepts what STS issued, until it expires. */
class SharedCredentialStoreTest {

  private final SettableClock clock = SettableClock.at("2026-01-01T12:00:00Z");
  private StsEmulator sts;
  private LambdaEmulator lambda;

  @BeforeEach
  void start() throws Exception {
    CredentialStore store = new CredentialStore();
    sts =
        StsEmulator.start(
            StsEmulatorConfig.builder()
                .clock(clock)
                .credentialStore(store)
                .credentialLifetime(Duration.ofSeconds(5))
                .build());
    lambda =
        LambdaEmulator.start(
            LambdaEmulatorConfig.builder().clock(clock).credentialStore(store).build());
  }

  @AfterEach
  void stop() {
    lambda.close();
    sts.close();
  }

  @Test
  void issuedSessionCredentialsWorkUntilTheyExpire() throws Exception {
    Document xml =
        StsClient.xml(
            new StsClient(sts, clock)
                .postUnsigned(StsClient.webIdentityParams(StsClient.serviceAccountToken())));
    LambdaClient client =
        new LambdaClient(lambda, clock)
            .credentials(
                AwsSessionCredentials.create(
                    StsClient.text(xml, "AccessKeyId"),
                    StsClient.text(xml, "SecretAccessKey"),
                    StsClient.text(xml, "SessionToken")));

    assertThat(SignedHttp.text(client.invoke("echo", LambdaInvokeTest.SEED_REQUEST)))
        .isEqualTo(LambdaInvokeTest.SEED_RESPONSE);
    assertThat(sts.callCount()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(5));
    assertError(
        client.invoke("echo", "{}"),
        403,
        "ExpiredTokenException",
        "{\"message\":\"The security token included in the request is expired\"}");
  }

  @Test
  void bothDefaultToTheTestKeyPairInTheSharedStore() {
    assertThat(lambda.credentials()).isSameAs(sts.credentials());
    assertThat(lambda.credentials().find(CredentialStore.TEST_ACCESS_KEY_ID)).isPresent();
  }
}
