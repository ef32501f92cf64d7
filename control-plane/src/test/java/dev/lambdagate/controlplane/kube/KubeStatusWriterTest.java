package dev.lambdagate.controlplane.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.model.GatewayOwnership;
import dev.lambdagate.controlplane.state.ResourceKey;
import dev.lambdagate.controlplane.status.DesiredStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReferenceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, https = false)
class KubeStatusWriterTest {
  static {
    MockApi.quiet();
  }

  static final String NS = "kgateway-system";
  static final ResourceKey BACKEND = new ResourceKey("Backend", NS, "lambda");
  static final ResourceKey ROUTE = new ResourceKey("HTTPRoute", NS, "lambda");
  static final ResourceKey GATEWAY = new ResourceKey("Gateway", NS, "http");
  static final String T0 = "2026-01-01T00:00:00Z";

  KubernetesClient client;
  KubernetesMockServer server;
  KubeStatusWriter writer;

  @BeforeEach
  void seed() {
    MockApi.installCrds(client);
    MockApi.apply(
        client, MockApi.load(client, "kube/seed-secret-credentials.yaml", MockApi.SEED_VARS));
    MockApi.apply(client, MockApi.load(client, "kube/seed-irsa.yaml", MockApi.SEED_VARS));
    writer =
        new KubeStatusWriter(
            client, null, Clock.fixed(Instant.parse("2026-06-01T12:00:00Z"), ZoneOffset.UTC));
  }

  static Condition condition(String type, String status, String reason, String message) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(1L)
        .build();
  }

  static RouteParentStatus ourParent(String status, String message) {
    return new RouteParentStatusBuilder()
        .withParentRef(new ParentReferenceBuilder().withName("http").withNamespace(NS).build())
        .withControllerName(GatewayOwnership.CONTROLLER_NAME)
        .withConditions(
            condition("Accepted", status, "Accepted", message),
            condition("ResolvedRefs", "True", "ResolvedRefs", "ok"))
        .build();
  }

  static DesiredStatus desired(String acceptedStatus, String message) {
    GatewayStatus gw =
        new GatewayStatusBuilder()
            .withConditions(
                condition("Accepted", "True", "Accepted", "ok"),
                condition("Programmed", "True", "Programmed", "ok"))
            .addNewListener()
            .withName("http")
            .withAttachedRoutes(1)
            .withConditions(condition("Programmed", "True", "Programmed", "ok"))
            .endListener()
            .build();
    HTTPRouteStatus route =
        new HTTPRouteStatusBuilder().withParents(ourParent(acceptedStatus, message)).build();
    return new DesiredStatus(
        Map.of(BACKEND, List.of(condition("Accepted", acceptedStatus, "Accepted", message))),
        Map.of(ROUTE, route),
        Map.of(GATEWAY, gw));
  }

  Backend backend() {
    return client.resources(Backend.class).inNamespace(NS).withName("lambda").get();
  }

  HTTPRoute route() {
    return client.resources(HTTPRoute.class).inNamespace(NS).withName("lambda").get();
  }

  @Test
  void writesConditionsThroughTheStatusSubresource() {
    writer.publish(desired("True", "accepted"));
    assertThat(writer.writes()).isEqualTo(3);
    assertThat(backend().getStatus().conditions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getType()).isEqualTo("Accepted");
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getLastTransitionTime()).isEqualTo("2026-06-01T12:00:00Z");
            });
    Gateway gw = client.resources(Gateway.class).inNamespace(NS).withName("http").get();
    assertThat(gw.getStatus().getConditions())
        .extracting(Condition::getType)
        .containsExactly("Accepted", "Programmed");
    assertThat(gw.getStatus().getListeners())
        .singleElement()
        .satisfies(l -> assertThat(l.getAttachedRoutes()).isEqualTo(1));
    assertThat(gw.getSpec().getListeners()).hasSize(1); // spec untouched
    assertThat(route().getStatus().getParents())
        .singleElement()
        .satisfies(
            p -> assertThat(p.getControllerName()).isEqualTo(GatewayOwnership.CONTROLLER_NAME));
  }

  /**
   * A message over metav1.Condition's 32768 characters (a Backend's 40,000-letter region, quoted
   * back) would make the API server refuse the whole status write, again at every publish.
   */
  @Test
  void aMessageOverTheApiLimitIsCutNotRefused() {
    String huge = "region us-" + "a".repeat(40_000) + "-1 is not an AWS region";
    writer.publish(desired("False", huge));
    String written = backend().getStatus().conditions().get(0).getMessage();
    assertThat(written)
        .hasSize(KubeStatusWriter.MAX_MESSAGE)
        .startsWith("region us-aaa")
        .endsWith("...");
  }

  @Test
  void unchangedStatusIsNotRewrittenAndKeepsItsTransitionTime() {
    writer.publish(desired("True", "accepted"));
    String rv = backend().getMetadata().getResourceVersion();
    String routeRv = route().getMetadata().getResourceVersion();

    KubeStatusWriter later =
        new KubeStatusWriter(
            client, null, Clock.fixed(Instant.parse("2026-06-02T00:00:00Z"), ZoneOffset.UTC));
    later.publish(desired("True", "accepted"));
    assertThat(later.writes()).isZero();
    assertThat(backend().getMetadata().getResourceVersion()).isEqualTo(rv);
    assertThat(route().getMetadata().getResourceVersion()).isEqualTo(routeRv);

    // Same status, new message: written, but the transition time stays.
    later.publish(desired("True", "accepted again"));
    assertThat(later.writes()).isEqualTo(2);
    assertThat(backend().getStatus().conditions().get(0).getMessage()).isEqualTo("accepted again");
    assertThat(backend().getStatus().conditions().get(0).getLastTransitionTime())
        .isEqualTo("2026-06-01T12:00:00Z");

    // Status flips: new transition time.
    later.publish(desired("False", "function not found"));
    assertThat(backend().getStatus().conditions().get(0).getLastTransitionTime())
        .isEqualTo("2026-06-02T00:00:00Z");
    assertThat(route().getStatus().getParents().get(0).getConditions())
        .satisfiesExactly(
            c -> assertThat(c.getLastTransitionTime()).isEqualTo("2026-06-02T00:00:00Z"),
            c -> assertThat(c.getLastTransitionTime()).isEqualTo("2026-06-01T12:00:00Z"));
  }

  @Test
  void aReconciledStatusIsComparedAgainOnlyWhenItOrItsObjectChanged() {
    DesiredStatus first = desired("True", "accepted");
    writer.publish(first);
    assertThat(writer.compared()).isEqualTo(3);
    assertThat(writer.writes()).isEqualTo(3);

    // The same status again, objects untouched: nothing is read into JSON, nothing written.
    writer.publish(first);
    writer.publish(desired("True", "accepted")); // equal, other instances
    assertThat(writer.compared()).isEqualTo(3);
    assertThat(writer.writes()).isEqualTo(3);

    // Someone else rewrites the Backend's status: a new resourceVersion, compared and put back.
    Backend b = backend();
    b.setStatus(
        new dev.lambdagate.controlplane.crd.ConditionsStatus(
            List.of(condition("Accepted", "False", "Invalid", "not ours"))));
    client.resource(b).updateStatus();
    writer.publish(first);
    assertThat(writer.compared()).isEqualTo(4);
    assertThat(writer.writes()).isEqualTo(4);
    assertThat(backend().getStatus().conditions().get(0).getMessage()).isEqualTo("accepted");

    // A changed desired status of one object: only that one is compared and written.
    DesiredStatus changed =
        new DesiredStatus(
            Map.of(BACKEND, List.of(condition("Accepted", "True", "Accepted", "still fine"))),
            first.httpRoutes(),
            first.gateways());
    writer.publish(changed);
    assertThat(writer.compared()).isEqualTo(5);
    assertThat(writer.writes()).isEqualTo(5);
    assertThat(backend().getStatus().conditions().get(0).getMessage()).isEqualTo("still fine");
  }

  @Test
  void otherControllersParentEntriesAreLeftAlone() {
    HTTPRoute r = route();
    RouteParentStatus theirs =
        new RouteParentStatusBuilder()
            .withParentRef(
                new ParentReferenceBuilder().withName("other-gw").withNamespace(NS).build())
            .withControllerName("example.com/other-controller")
            .withConditions(
                new ConditionBuilder(condition("Accepted", "False", "NoMatchingParent", "theirs"))
                    .withLastTransitionTime(T0)
                    .build())
            .build();
    RouteParentStatus staleOurs =
        new RouteParentStatusBuilder()
            .withParentRef(new ParentReferenceBuilder().withName("gone").withNamespace(NS).build())
            .withControllerName(GatewayOwnership.CONTROLLER_NAME)
            .withConditions(
                new ConditionBuilder(condition("Accepted", "True", "Accepted", "old"))
                    .withLastTransitionTime(T0)
                    .build())
            .build();
    r.setStatus(new HTTPRouteStatusBuilder().withParents(theirs, staleOurs).build());
    client.resource(r).updateStatus();

    writer.publish(desired("True", "accepted"));
    List<RouteParentStatus> parents = route().getStatus().getParents();
    assertThat(parents).hasSize(2);
    assertThat(parents.get(0)).isEqualTo(theirs);
    assertThat(parents.get(1).getParentRef().getName()).isEqualTo("http");
    assertThat(parents).noneMatch(p -> p.getParentRef().getName().equals("gone"));
  }

  @Test
  void aConflictIsRetriedWithAFreshRead() {
    server
        .expect()
        .put()
        .withPath(
            "/apis/gateway.kgateway.dev/v1alpha1/namespaces/" + NS + "/backends/lambda/status")
        .andReturn(
            409,
            new StatusBuilder()
                .withCode(409)
                .withReason("Conflict")
                .withMessage("the object has been modified")
                .build())
        .once();
    writer.publish(
        new DesiredStatus(
            Map.of(BACKEND, List.of(condition("Accepted", "True", "Accepted", "ok"))),
            Map.of(),
            Map.of()));
    assertThat(writer.conflicts()).isEqualTo(1);
    assertThat(writer.writes()).isEqualTo(1);
    assertThat(backend().getStatus().conditions()).hasSize(1);
  }

  @Test
  void aStaleCachedCopyDoesNotUndoOtherChanges() {
    // The informer's copy is older than the server's: only the status subresource is written,
    // so the newer labels stay. (The mock does not answer a stale resourceVersion on /status
    // with 409; conflicts are scripted in aConflictIsRetriedWithAFreshRead.)
    Backend stale = backend();
    client
        .resources(Backend.class)
        .inNamespace(NS)
        .withName("lambda")
        .edit(
            b -> {
              b.getMetadata().setLabels(Map.of("touched", "yes"));
              return b;
            });
    KubeStatusWriter cached =
        new KubeStatusWriter(
            client,
            new KubeStatusWriter.Lookup() {
              @Override
              @SuppressWarnings("unchecked")
              public <T extends io.fabric8.kubernetes.api.model.HasMetadata> T get(
                  Class<T> type, String namespace, String name) {
                return type == Backend.class ? (T) stale : null;
              }
            },
            Clock.systemUTC());
    cached.publish(
        new DesiredStatus(
            Map.of(BACKEND, List.of(condition("Accepted", "True", "Accepted", "ok"))),
            Map.of(),
            Map.of()));
    assertThat(cached.writes()).isEqualTo(1);
    assertThat(backend().getStatus().conditions()).hasSize(1);
    assertThat(backend().getMetadata().getLabels()).containsEntry("touched", "yes");
  }
}
