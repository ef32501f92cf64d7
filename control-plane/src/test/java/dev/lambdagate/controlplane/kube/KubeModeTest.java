package dev.lambdagate.controlplane.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.state.ResourceKey;
import dev.lambdagate.controlplane.status.DesiredStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, https = false)
class KubeModeTest {
  static {
    MockApi.quiet();
  }

  static final String NS = "kgateway-system";
  static final ResourceKey BACKEND = new ResourceKey("Backend", NS, "lambda");

  KubernetesClient client;
  KubernetesMockServer server;

  KubeModeOptions options(String identity) {
    return KubeModeOptions.defaults("lambdagate-system", identity)
        .withLease(
            "lambdagate-control-plane",
            Duration.ofMillis(10000),
            Duration.ofMillis(8000),
            Duration.ofMillis(200))
        .withCoalesce(Duration.ofMillis(50));
  }

  static DesiredStatus status(String message) {
    return new DesiredStatus(
        Map.of(
            BACKEND,
            List.of(
                new ConditionBuilder()
                    .withType("Accepted")
                    .withStatus("True")
                    .withReason("Accepted")
                    .withMessage(message)
                    .build())),
        Map.of(),
        Map.of());
  }

  /** Replica a, started first and leading; replica b, started once a leads. */
  KubeMode a;

  KubeMode b;
  final List<ClusterState> statesA = new CopyOnWriteArrayList<>();
  final List<ClusterState> statesB = new CopyOnWriteArrayList<>();

  /**
   * The IRSA guide's documents, and a mock TokenRequest for the ServiceAccount the leader
   * provisions; two replicas created (not started).
   */
  @BeforeEach
  void twoReplicas() {
    MockApi.installCrds(client);
    MockApi.apply(client, MockApi.load(client, "kube/seed-irsa.yaml", MockApi.SEED_VARS));
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/" + NS + "/serviceaccounts/http/token")
        .andReturn(
            201,
            new TokenRequestBuilder()
                .withNewStatus()
                .withToken("web-identity")
                .withExpirationTimestamp(Instant.now().plusSeconds(3600).toString())
                .endStatus()
                .build())
        .always();
    a = KubeMode.create(client, options("replica-a"));
    b = KubeMode.create(client, options("replica-b"));
  }

  @AfterEach
  void closeReplicas() {
    a.close();
    b.close();
  }

  /** Starts a, waits until it leads, starts b; both watch and have their first state. */
  void startAWithBFollowing() {
    a.start();
    assertThat(MockApi.await(15000, a::isLeader)).as("a leads").isTrue();
    b.start();
    a.stateSource().start(statesA::add);
    b.stateSource().start(statesB::add);
    assertThat(MockApi.await(15000, () -> !statesA.isEmpty() && !statesB.isEmpty()))
        .as("both replicas watch")
        .isTrue();
  }

  @Test
  void theSecondReplicaReusesTheXdsCaSecretTheFirstCreated() {
    assertThat(b.xdsCa()).isEqualTo(a.xdsCa());
    assertThat(
            client
                .secrets()
                .inNamespace("lambdagate-system")
                .withName(XdsCaSecret.NAME)
                .get()
                .getData())
        .containsKeys("ca.crt", "ca.key");
  }

  @Test
  void onlyTheLeaderProvisions() {
    startAWithBFollowing();
    assertThat(MockApi.await(15000, () -> a.provisioner().writes() >= 5)).isTrue();
    assertThat(client.services().inNamespace(NS).withName("http").get()).isNotNull();
    assertThat(b.isLeader()).isFalse();
    assertThat(b.provisioner().writes()).isZero();
    Lease lease =
        client.leases().inNamespace("lambdagate-system").withName("lambdagate-control-plane").get();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("replica-a");
  }

  /** Every replica serves xDS, so each mints the token of the provisioned ServiceAccount. */
  @Test
  void everyReplicaMintsTheIrsaTokenOfTheProvisionedServiceAccount() {
    startAWithBFollowing();
    assertThat(
            MockApi.await(
                15000,
                () ->
                    a.tokenSource().token(NS, "http").isPresent()
                        && b.tokenSource().token(NS, "http").isPresent()))
        .isTrue();
    assertThat(a.tokenSource().token(NS, "http")).contains("web-identity");
    assertThat(b.tokenSource().token(NS, "http")).contains("web-identity");
  }

  /**
   * A Pod Identity token of the provisioned ServiceAccount is minted once translation asks for it
   * (audience pods.eks.amazonaws.com), beside the IRSA one.
   */
  @Test
  void thePodIdentityTokenOfTheProvisionedServiceAccountIsMintedOnDemand() throws Exception {
    startAWithBFollowing();
    assertThat(MockApi.await(15000, () -> a.tokenSource().token(NS, "http").isPresent())).isTrue();
    assertThat(MockApi.await(15000, () -> a.tokenSource().podIdentityToken(NS, "http").isPresent()))
        .isTrue();
    java.util.List<String> audiences = new java.util.ArrayList<>();
    for (int i = server.getRequestCount(); i > 0; i--) {
      var r = server.takeRequest();
      if (r.getPath().equals("/api/v1/namespaces/" + NS + "/serviceaccounts/http/token")) {
        audiences.addAll(
            client
                .getKubernetesSerialization()
                .unmarshal(
                    r.getBody().readUtf8(),
                    io.fabric8.kubernetes.api.model.authentication.TokenRequest.class)
                .getSpec()
                .getAudiences());
      }
    }
    assertThat(audiences).contains("sts.amazonaws.com", "pods.eks.amazonaws.com");
  }

  @Test
  void onlyTheLeaderWritesStatus() {
    startAWithBFollowing();
    a.statusSink().publish(status("from a"));
    b.statusSink().publish(status("from b"));
    assertThat(MockApi.await(15000, () -> a.statusWriter().writes() == 1)).isTrue();
    assertThat(b.statusWriter().writes()).isZero();
    assertThat(backendMessage()).isEqualTo("from a");
  }

  @Test
  void whenTheLeaderGoesAwayTheFollowerTakesOverAndWritesWhatItWasLastTold() {
    startAWithBFollowing();
    awaitProvisioningSettled(a);
    b.statusSink().publish(status("from b"));
    a.close();
    assertThat(MockApi.await(15000, b::isLeader)).as("b takes over").isTrue();
    assertThat(MockApi.await(15000, () -> b.statusWriter().writes() == 1)).isTrue();
    assertThat(backendMessage()).isEqualTo("from b");
  }

  /**
   * Waits until the leader has provisioned the proxy and then written nothing for a second. Why:
   * fabric8's mock API server stalls its one event loop for up to 10 s when a watch closes while an
   * event is being sent to it (the close awaits the sender, the sender awaits the event loop), and
   * every request then times out, the Lease's included. A real API server does not; a leader taken
   * away mid-write would test that stall, not the hand-over.
   */
  private void awaitProvisioningSettled(KubeMode leader) {
    long end = System.currentTimeMillis() + 15000;
    int before = -1;
    while (System.currentTimeMillis() < end) {
      int now = leader.provisioner().writes();
      if (now == before
          && client.apps().deployments().inNamespace(NS).withName("http").get() != null) {
        return;
      }
      before = now;
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("the leader's provisioning did not settle in 15 s");
  }

  private String backendMessage() {
    Backend backend = client.resources(Backend.class).inNamespace(NS).withName("lambda").get();
    return backend.getStatus() == null
        ? null
        : backend.getStatus().conditions().get(0).getMessage();
  }
}
