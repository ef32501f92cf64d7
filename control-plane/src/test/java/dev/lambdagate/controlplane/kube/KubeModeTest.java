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

  @Test
  void onlyTheLeaderProvisionsAndWritesStatusAndAFollowerTakesOver() {
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

    List<ClusterState> statesA = new CopyOnWriteArrayList<>();
    List<ClusterState> statesB = new CopyOnWriteArrayList<>();
    KubeMode a = KubeMode.create(client, options("replica-a"));
    KubeMode b = KubeMode.create(client, options("replica-b"));
    // The first replica created the xDS CA Secret; the second reuses it.
    assertThat(b.xdsCa()).isEqualTo(a.xdsCa());
    assertThat(
            client
                .secrets()
                .inNamespace("lambdagate-system")
                .withName(XdsCaSecret.NAME)
                .get()
                .getData())
        .containsKeys("ca.crt", "ca.key");
    try {
      a.start();
      assertThat(MockApi.await(15000, a::isLeader)).as("a leads").isTrue();
      b.start();
      a.stateSource().start(statesA::add);
      b.stateSource().start(statesB::add);
      assertThat(MockApi.await(15000, () -> !statesA.isEmpty() && !statesB.isEmpty())).isTrue();

      // Every replica watches; only the leader provisions.
      assertThat(MockApi.await(15000, () -> a.provisioner().writes() >= 5)).isTrue();
      assertThat(client.services().inNamespace(NS).withName("http").get()).isNotNull();
      assertThat(b.isLeader()).isFalse();
      assertThat(b.provisioner().writes()).isZero();
      Lease lease =
          client
              .leases()
              .inNamespace("lambdagate-system")
              .withName("lambdagate-control-plane")
              .get();
      assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("replica-a");

      // Both replicas mint the IRSA token of the provisioned ServiceAccount (they all serve
      // xDS); the renewal listener re-delivers the state.
      assertThat(
              MockApi.await(
                  15000,
                  () ->
                      a.tokenSource().token(NS, "http").isPresent()
                          && b.tokenSource().token(NS, "http").isPresent()))
          .isTrue();
      assertThat(a.tokenSource().token(NS, "http")).contains("web-identity");

      // Only the leader writes status.
      a.statusSink().publish(status("from a"));
      b.statusSink().publish(status("from b"));
      assertThat(MockApi.await(15000, () -> a.statusWriter().writes() == 1)).isTrue();
      assertThat(b.statusWriter().writes()).isZero();
      assertThat(backendMessage()).isEqualTo("from a");

      // The leader goes away: b takes over and writes what it was last told.
      a.close();
      assertThat(MockApi.await(15000, b::isLeader)).as("b takes over").isTrue();
      assertThat(MockApi.await(15000, () -> "from b".equals(backendMessage()))).isTrue();
      assertThat(b.statusWriter().writes()).isEqualTo(1);
    } finally {
      a.close();
      b.close();
    }
  }

  private String backendMessage() {
    Backend backend = client.resources(Backend.class).inNamespace(NS).withName("lambda").get();
    return backend.getStatus() == null
        ? null
        : backend.getStatus().conditions().get(0).getMessage();
  }
}
