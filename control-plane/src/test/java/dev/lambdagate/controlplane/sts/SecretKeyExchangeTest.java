package dev.lambdagate.controlplane.sts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.ControlPlane;
import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.model.ModelBuilder;
import dev.lambdagate.controlplane.model.ModelOptions;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.status.DesiredStatus;
import dev.lambdagate.controlplane.translate.FilterConfigWriter;
import dev.lambdagate.controlplane.translate.XdsYaml;
import io.fabric8.kubernetes.api.model.Condition;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The control plane with its session source against a stand-in STS, on the Secret guide's Backend:
 * the Secret's long-term keys never reach the xDS resources; a refused exchange leaves the backend
 * unprogrammed and shows on {@code CredentialsReady}; once STS issues a session it is what is
 * pushed. Keys that are already a session, and the switch turned off, are pushed as they are with
 * no STS call.
 */
class SecretKeyExchangeTest {
  static final String AKID = "AKIDEXAMPLE";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

  FakeSts sts;
  SecretSessions sessions;
  final AtomicReference<DesiredStatus> status = new AtomicReference<>();

  @BeforeEach
  void start() throws Exception {
    sts = new FakeSts();
    StsExchange exchange =
        new StsExchange(
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
            Duration.ofSeconds(2),
            Clock.systemUTC());
    sessions =
        new SecretSessions(
            s -> exchange.getSessionToken(s, null),
            Clock.systemUTC(),
            () -> 0.5,
            Duration.ofMillis(50),
            Duration.ofMillis(200));
    sessions.startDriver();
  }

  @AfterEach
  void stop() {
    sessions.close();
    sts.close();
  }

  ControlPlane controlPlane(boolean exchangeByDefault) {
    ModelBuilder builder =
        new ModelBuilder(
            new ModelOptions(Set.copyOf(ModelOptions.DEFAULT_GATEWAY_CLASSES), sts.endpoint())
                .withExchangeSecretKeys(exchangeByDefault),
            TestSupport.TOKENS,
            sessions);
    ControlPlane cp = new ControlPlane(builder, TestSupport.translator(), null, status::set);
    cp.exchangeSecretKeysWith(sessions);
    return cp;
  }

  static ClusterState seed(String scenario) throws Exception {
    Path input = TestSupport.goldenDir().resolve(scenario).resolve("input.yaml");
    return TestSupport.loader().loadString(input.toString(), Files.readString(input));
  }

  /**
   * Everything the proxies get, as text: the xDS resources (YAML, line folds removed so that no key
   * hides across a line break) and the filter configuration as sent.
   */
  static String pushed(ControlPlane cp) {
    StringBuilder all =
        new StringBuilder(XdsYaml.dump(cp.resources()).replaceAll("\\\\?\n\\s*", ""));
    cp.model().gateways().forEach(g -> all.append('\n').append(FilterConfigWriter.json(g)));
    return all.toString();
  }

  Condition credentialsReady() {
    DesiredStatus s = status.get();
    if (s == null) {
      return null;
    }
    return s.backends().entrySet().stream()
        .filter(e -> e.getKey().name().equals("lambda"))
        .flatMap(e -> e.getValue().stream())
        .filter(c -> c.getType().equals("CredentialsReady"))
        .findFirst()
        .orElse(null);
  }

  static boolean await(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < end) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
  }

  @Test
  void onlyTheSessionIsPushedAndARefusalLeavesTheBackendUnprogrammed() throws Exception {
    sts.answer(
        c ->
            FakeSts.error(
                403,
                "InvalidClientTokenId",
                "The security token included in the request is invalid."));
    ControlPlane cp = controlPlane(true);
    cp.onState(seed("seed-secret"));

    assertThat(
            await(
                () -> credentialsReady() != null && "False".equals(credentialsReady().getStatus())))
        .as("%s", status.get())
        .isTrue();
    Condition refused = credentialsReady();
    assertThat(refused.getReason()).isEqualTo("StsError");
    assertThat(refused.getMessage())
        .isEqualTo(
            "GetSessionToken with the Secret's keys: "
                + "InvalidClientTokenId: The security token included in the request is invalid.; no "
                + "credentials are pushed, so requests to the Backend are refused");
    assertThat(cp.resources()).as("published once STS answered").containsKey("default/http");
    String refusedConfig = pushed(cp);
    assertThat(refusedConfig)
        .doesNotContain(AKID)
        .doesNotContain(SECRET)
        .contains("Backend default/lambda: no session credentials for its Secret's keys yet");
    assertThat(sts.calls.get(0).form()).containsEntry("Action", "GetSessionToken");
    assertThat(sts.calls.get(0).headers().get("authorization"))
        .contains("Credential=" + AKID + "/");

    sts.answer(c -> FakeSts.issued(c, 7));
    assertThat(
            await(
                () -> credentialsReady() != null && "True".equals(credentialsReady().getStatus())))
        .as("%s", status.get())
        .isTrue();
    assertThat(credentialsReady().getReason()).isEqualTo("CredentialsIssued");
    assertThat(credentialsReady().getMessage()).doesNotContain("issued-secret");
    String sessionConfig = pushed(cp);
    assertThat(sessionConfig)
        .contains("ASIAISSUED7")
        .contains("issued-secret-7")
        .contains("issued-session-token-7")
        .doesNotContain(AKID)
        .doesNotContain(SECRET)
        .doesNotContain("no session credentials");
  }

  @Test
  void theConfigurationWaitsForStsFirstAnswer() throws Exception {
    java.util.concurrent.CountDownLatch answer = new java.util.concurrent.CountDownLatch(1);
    sts.answer(
        c -> {
          try {
            answer.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return FakeSts.issued(c, 3);
        });
    ControlPlane cp = controlPlane(true);
    cp.onState(seed("seed-secret"));

    // Envoys keep what they have rather than get an unprogrammed backend meanwhile.
    assertThat(await(() -> !sts.calls.isEmpty())).isTrue();
    assertThat(cp.resources()).isEmpty();
    answer.countDown();
    assertThat(await(() -> cp.resources().containsKey("default/http"))).isTrue();
    assertThat(pushed(cp))
        .contains("ASIAISSUED3")
        .doesNotContain(AKID)
        .doesNotContain("no session credentials");
  }

  @Test
  void keysThatAreAlreadyASessionArePushedAsTheyAre() throws Exception {
    ControlPlane cp = controlPlane(true);
    cp.onState(seed("secret-with-session-token"));

    assertThat(pushed(cp)).contains(AKID).contains("FwoGZXIvYXdzEXAMPLESESSIONTOKEN");
    assertThat(sessions.awaitSettled(Duration.ofSeconds(5))).isTrue();
    assertThat(sts.calls).isEmpty();
    assertThat(credentialsReady()).as("no STS involved, no condition").isNull();
  }

  @Test
  void switchedOffTheKeysArePushedAsTheyAre() throws Exception {
    ControlPlane off = controlPlane(false);
    off.onState(seed("seed-secret"));
    assertThat(pushed(off)).contains(AKID).contains(SECRET);

    // GatewayParameters turn it off for their Gateway even where the default is on.
    ControlPlane on = controlPlane(true);
    on.onState(seed("secret-keys-not-exchanged"));
    assertThat(pushed(on)).contains(AKID).contains(SECRET);

    assertThat(sessions.awaitSettled(Duration.ofSeconds(5))).isTrue();
    assertThat(sts.calls).isEmpty();
  }
}
