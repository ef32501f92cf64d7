package dev.lambdagate.controlplane.sts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.ControlPlane;
import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.kube.KubeStateSource;
import dev.lambdagate.controlplane.kube.KubeStatusWriter;
import dev.lambdagate.controlplane.kube.MockApi;
import dev.lambdagate.controlplane.model.ModelBuilder;
import dev.lambdagate.controlplane.model.ModelOptions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The service-account (IRSA) guide's Backend in fabric8's mock API server, the control plane
 * checking its STS exchange against a stand-in STS: STS's refusal shows on the Backend's status
 * with STS's code and message, and once STS issues credentials the condition turns True by itself.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class BackendStsStatusTest {
  static {
    MockApi.quiet();
  }

  static final String NS = "kgateway-system";
  static final String ROLE = "arn:aws:iam::210987654321:role/lambda-role";

  /** The guides' route to the Backend. */
  static final String ROUTE =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: lambda, namespace: kgateway-system}
      spec:
        parentRefs: [{name: http, namespace: kgateway-system}]
        rules:
        - matches: [{path: {type: PathPrefix, value: /echo}}]
          backendRefs:
          - {name: lambda, namespace: kgateway-system, group: gateway.kgateway.dev, kind: Backend}
      """;

  KubernetesClient client;
  KubeStateSource source;
  StsChecks checks;
  FakeSts sts;

  @AfterEach
  void stop() {
    if (source != null) {
      source.close();
    }
    if (checks != null) {
      checks.close();
    }
    if (sts != null) {
      sts.close();
    }
    client.close(); // before the mock server shuts down, which waits for open connections
  }

  @Test
  void anStsRefusalShowsOnTheBackendAndClearsWhenStsAgrees() throws Exception {
    MockApi.installCrds(client);
    MockApi.apply(client, MockApi.load(client, "kube/seed-irsa.yaml", MockApi.SEED_VARS));
    client.resource(ROUTE).create();
    sts = new FakeSts();
    sts.answer(
        c ->
            FakeSts.error(
                403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity"));

    ModelBuilder builder =
        new ModelBuilder(
            new ModelOptions(Set.copyOf(ModelOptions.DEFAULT_GATEWAY_CLASSES), sts.endpoint()),
            TestSupport.TOKENS);
    ControlPlane cp =
        new ControlPlane(builder, TestSupport.translator(), new KubeStatusWriter(client));
    checks =
        new StsChecks(
            new StsExchange(
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
                    Duration.ofSeconds(2),
                    Clock.systemUTC())
                ::check,
            Duration.ofMillis(100),
            Duration.ofMillis(400),
            Duration.ofHours(1));
    cp.checkStsWith(checks);
    source = new KubeStateSource(client, null, Duration.ofMillis(50));
    source.start(cp::onState);

    assertThat(MockApi.await(15000, () -> "False".equals(status("CredentialsReady"))))
        .as("conditions: %s", conditions())
        .isTrue();
    Condition refused = condition("CredentialsReady");
    assertThat(refused.getReason()).isEqualTo("StsError");
    assertThat(refused.getMessage())
        .isEqualTo(
            "AssumeRoleWithWebIdentity for "
                + ROLE
                + ": AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity");
    assertThat(refused.getObservedGeneration()).isNotNull();
    // The configuration itself is fine: Accepted stays True.
    assertThat(status("Accepted")).isEqualTo("True");
    // The call was the filter's, with the token the control plane holds for the Gateway's
    // ServiceAccount, which never reaches the status.
    assertThat(sts.calls.get(0).form())
        .containsEntry("WebIdentityToken", TestSupport.TOKEN)
        .containsEntry("RoleArn", ROLE);
    assertThat(Serialization.asJson(backend().getStatus())).doesNotContain(TestSupport.TOKEN);

    // The trust policy is fixed: the retry passes and the condition turns True.
    sts.answer(c -> FakeSts.issued(c, 1));
    assertThat(MockApi.await(15000, () -> "True".equals(status("CredentialsReady"))))
        .as("conditions: %s", conditions())
        .isTrue();
    Condition issued = condition("CredentialsReady");
    assertThat(issued.getReason()).isEqualTo("CredentialsIssued");
    assertThat(issued.getMessage()).contains(ROLE);
    assertThat(Serialization.asJson(backend().getStatus())).doesNotContain("issued-secret");
  }

  private Backend backend() {
    return client.resources(Backend.class).inNamespace(NS).withName("lambda").get();
  }

  private java.util.List<Condition> conditions() {
    Backend b = backend();
    return b == null || b.getStatus() == null ? java.util.List.of() : b.getStatus().conditions();
  }

  private Condition condition(String type) {
    return conditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  private String status(String type) {
    Condition c = condition(type);
    return c == null ? null : c.getStatus();
  }
}
