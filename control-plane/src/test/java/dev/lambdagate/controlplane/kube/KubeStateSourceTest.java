package dev.lambdagate.controlplane.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.model.GatewayOwnership;
import dev.lambdagate.controlplane.state.ClusterState;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, https = false)
class KubeStateSourceTest {
  static {
    MockApi.quiet();
  }

  KubernetesClient client;
  KubeStateSource source;
  final List<ClusterState> states = new CopyOnWriteArrayList<>();
  final List<String> threads = new CopyOnWriteArrayList<>();

  @BeforeEach
  void seed() {
    MockApi.installCrds(client);
    client
        .resource(
            new GatewayClassBuilder()
                .withNewMetadata()
                .withName("kgateway")
                .endMetadata()
                .withNewSpec()
                .withControllerName(GatewayOwnership.CONTROLLER_NAME)
                .endSpec()
                .build())
        .create();
    MockApi.apply(
        client, MockApi.load(client, "kube/seed-secret-credentials.yaml", MockApi.SEED_VARS));
    MockApi.apply(client, MockApi.load(client, "kube/seed-irsa.yaml", MockApi.SEED_VARS));
    client
        .serviceAccounts()
        .inNamespace("kgateway-system")
        .resource(
            new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata()
                .withName("http")
                .endMetadata()
                .build())
        .create();
  }

  @AfterEach
  void stop() {
    if (source != null) {
      source.close();
    }
  }

  private void start(String namespace) {
    start(namespace, Duration.ofMillis(100));
  }

  private void start(String namespace, Duration coalesce) {
    source = new KubeStateSource(client, namespace, coalesce);
    source.start(
        s -> {
          threads.add(Thread.currentThread().getName());
          states.add(s);
        });
    assertThat(MockApi.await(15000, () -> !states.isEmpty())).as("first state").isTrue();
  }

  @Test
  void deliversOneCoalescedStateAfterTheInitialSync() throws Exception {
    start(null);
    // Waiting is the test: a second delivery would follow within one coalescing window (100 ms)
    // of the initial sync; four windows pass without one.
    Thread.sleep(400);
    assertThat(states).hasSize(1);
    ClusterState s = states.get(0);
    assertThat(s.gatewayClasses())
        .extracting(g -> g.getMetadata().getName())
        .containsExactly("kgateway");
    assertThat(s.gateways()).extracting(g -> g.getMetadata().getName()).containsExactly("http");
    assertThat(s.httpRoutes()).extracting(r -> r.getMetadata().getName()).containsExactly("lambda");
    assertThat(s.backends())
        .singleElement()
        .satisfies(b -> assertThat(b.getSpec().aws().lambda().functionName()).isEqualTo("echo"));
    assertThat(s.gatewayParameters())
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("http-lambda");
    assertThat(s.secrets()).extracting(x -> x.getMetadata().getName()).contains("aws-creds");
    assertThat(s.serviceAccounts()).extracting(x -> x.getMetadata().getName()).contains("http");
    assertThat(s.referenceGrants()).isEmpty();
    assertThat(threads).containsOnly("lambdagate-state");
  }

  @Test
  void anUpdateRedeliversAndABurstIsCoalesced() throws Exception {
    start(null, Duration.ofMillis(300));
    Backend b =
        client.resources(Backend.class).inNamespace("kgateway-system").withName("lambda").get();
    client
        .resources(Backend.class)
        .inNamespace("kgateway-system")
        .withName("lambda")
        .edit(
            x -> {
              x.getMetadata().setLabels(Map.of("changed", "yes"));
              return x;
            });
    assertThat(MockApi.await(15000, () -> states.size() >= 2)).isTrue();
    assertThat(states.get(states.size() - 1).backends().get(0).getMetadata().getLabels())
        .containsEntry("changed", "yes");
    assertThat(b.getMetadata().getLabels()).doesNotContainKey("changed");
    // Only the Backends were listed again: every other kind is the same list as before.
    ClusterState first = states.get(0);
    ClusterState last = states.get(states.size() - 1);
    assertThat(last.backends()).isNotSameAs(first.backends());
    assertThat(last.secrets()).isSameAs(first.secrets());
    assertThat(last.httpRoutes()).isSameAs(first.httpRoutes());
    assertThat(last.gateways()).isSameAs(first.gateways());
    assertThat(last.serviceAccounts()).isSameAs(first.serviceAccounts());

    awaitNoDeliveryFor(Duration.ofMillis(600));
    int before = states.size();
    for (int i = 0; i < 10; i++) {
      client
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("burst-" + i)
                  .withNamespace("kgateway-system")
                  .endMetadata()
                  .build())
          .create();
    }
    assertThat(MockApi.await(15000, () -> states.get(states.size() - 1).secrets().size() >= 11))
        .isTrue();
    awaitNoDeliveryFor(Duration.ofMillis(600));
    assertThat(states.size() - before).as("deliveries for a burst of 10 creates").isBetween(1, 5);
  }

  /**
   * After creates, updates and deletes in several namespaces, each in its own burst or several in
   * one, the delivered list (patched from the last one, not sorted afresh) holds exactly the
   * objects the API server has, their latest versions, sorted by namespace and name.
   */
  @Test
  void changedObjectsArePutInPlaceInTheLastList() throws Exception {
    start(null, Duration.ofMillis(50));
    java.util.Random rnd = new java.util.Random(3);
    String[] namespaces = {"a-ns", "kgateway-system", "z-ns"};
    for (int round = 0; round < 12; round++) {
      int burst = 1 + rnd.nextInt(4);
      for (int k = 0; k < burst; k++) {
        String ns = namespaces[rnd.nextInt(namespaces.length)];
        String name = "s-" + rnd.nextInt(6);
        var secrets = client.secrets().inNamespace(ns);
        if (secrets.withName(name).get() != null && rnd.nextInt(3) == 0) {
          secrets.withName(name).delete();
        } else {
          secrets
              .resource(
                  new SecretBuilder()
                      .withNewMetadata()
                      .withName(name)
                      .withNamespace(ns)
                      .endMetadata()
                      .withStringData(Map.of("round", Integer.toString(round)))
                      .build())
              .createOr(x -> x.update());
        }
      }
      List<String> expected =
          client.secrets().inAnyNamespace().list().getItems().stream()
              .sorted(
                  java.util.Comparator.comparing((Secret x) -> x.getMetadata().getNamespace())
                      .thenComparing(x -> x.getMetadata().getName()))
              .map(KubeStateSourceTest::nameAndVersion)
              .toList();
      assertThat(
              MockApi.await(
                  15000,
                  () ->
                      states.get(states.size() - 1).secrets().stream()
                          .map(KubeStateSourceTest::nameAndVersion)
                          .toList()
                          .equals(expected)))
          .as("round %d: the delivered Secrets, in order, are the API server's %s", round, expected)
          .isTrue();
    }
  }

  /** {@code ns/name@resourceVersion}: which object, and which version of it. */
  private static String nameAndVersion(Secret s) {
    return s.getMetadata().getNamespace()
        + "/"
        + s.getMetadata().getName()
        + "@"
        + s.getMetadata().getResourceVersion();
  }

  @Test
  void aSecretChangeRedelivers() {
    start(null);
    int before = states.size();
    client
        .secrets()
        .inNamespace("kgateway-system")
        .withName("aws-creds")
        .edit(
            s -> {
              s.setData(
                  Map.of(
                      "accessKey",
                      Base64.getEncoder()
                          .encodeToString(
                              "AKIAROTATEDROTATED00".getBytes(StandardCharsets.UTF_8))));
              return s;
            });
    assertThat(MockApi.await(15000, () -> states.size() > before)).isTrue();
    Secret s =
        states.get(states.size() - 1).secrets().stream()
            .filter(x -> x.getMetadata().getName().equals("aws-creds"))
            .findFirst()
            .orElseThrow();
    assertThat(s.getData()).containsKey("accessKey");
  }

  @Test
  void unrelatedKindsDoNotRedeliverAndNamespaceScopingHolds() throws Exception {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("elsewhere")
                .withNamespace("other")
                .endMetadata()
                .build())
        .create();
    start("kgateway-system");
    assertThat(states.get(0).secrets())
        .extracting(x -> x.getMetadata().getNamespace())
        .containsOnly("kgateway-system");
    assertThat(states.get(0).gatewayClasses()).hasSize(1); // cluster scoped, still seen
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("x")
                .withNamespace("kgateway-system")
                .endMetadata()
                .build())
        .create();
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("elsewhere-2")
                .withNamespace("other")
                .endMetadata()
                .build())
        .create();
    // Waiting is the test: a delivery for these would come within one coalescing window (100 ms)
    // of their creation; four windows pass without one.
    Thread.sleep(400);
    assertThat(states).hasSize(1);
  }

  /**
   * Returns once no state has been delivered for {@code quiet} (two coalescing windows here), so
   * what is counted next is not a late delivery of an earlier change; fails after 15 s without such
   * a pause.
   */
  private void awaitNoDeliveryFor(Duration quiet) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    int seen = states.size();
    long quietSince = System.nanoTime();
    while (System.nanoTime() - quietSince < quiet.toNanos()) {
      assertThat(System.nanoTime()).as("a pause in deliveries within 15 s").isLessThan(deadline);
      Thread.sleep(20);
      if (states.size() != seen) {
        seen = states.size();
        quietSince = System.nanoTime();
      }
    }
  }
}
