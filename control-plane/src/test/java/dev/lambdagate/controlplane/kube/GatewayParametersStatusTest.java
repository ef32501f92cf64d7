package dev.lambdagate.controlplane.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.crd.GatewayParameters;
import dev.lambdagate.controlplane.model.Model;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.status.DesiredStatus;
import dev.lambdagate.controlplane.status.StatusComputer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A GatewayParameters with keys lambdagate does not support gets {@code UnsupportedFields=True}
 * naming them on its status subresource, through the same path as every status write (informer
 * objects, {@link StatusComputer}, {@link KubeStatusWriter}) against the mock API server.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class GatewayParametersStatusTest {
  static {
    MockApi.quiet();
  }

  static final String NS = "team-a";

  KubernetesClient client;

  @BeforeEach
  void seed() {
    MockApi.installCrds(client);
    MockApi.apply(client, MockApi.load(client, "kube/seed-unsupported-parameters.yaml", Map.of()));
  }

  ClusterState state() {
    return new ClusterState(
        client.resources(GatewayClass.class).list().getItems(),
        client.resources(Gateway.class).inAnyNamespace().list().getItems(),
        client.resources(HTTPRoute.class).inAnyNamespace().list().getItems(),
        client.resources(Backend.class).inAnyNamespace().list().getItems(),
        client.resources(GatewayParameters.class).inAnyNamespace().list().getItems(),
        List.of(),
        client.serviceAccounts().inAnyNamespace().list().getItems(),
        client.resources(ReferenceGrant.class).inAnyNamespace().list().getItems());
  }

  DesiredStatus desired() {
    ClusterState state = state();
    Model model = TestSupport.modelBuilder().build(state);
    return new DesiredStatus(Map.of(), Map.of(), Map.of())
        .withGatewayParameters(StatusComputer.gatewayParameters(model, state));
  }

  List<Condition> conditions(String name) {
    GatewayParameters gp =
        client.resources(GatewayParameters.class).inNamespace(NS).withName(name).get();
    return gp.getStatus() == null ? null : gp.getStatus().conditions();
  }

  static Condition of(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  @Test
  void ignoredKeysAreNamedInTheUnsupportedFieldsCondition() {
    KubeStatusWriter writer = new KubeStatusWriter(client);
    writer.publish(desired());

    List<Condition> cs = conditions("edge-params");
    assertThat(cs).extracting(Condition::getType).containsExactly("Accepted", "UnsupportedFields");
    assertThat(of(cs, "Accepted").getStatus()).isEqualTo("True");
    Condition unsupported = of(cs, StatusComputer.UNSUPPORTED_FIELDS);
    assertThat(unsupported.getStatus()).isEqualTo("True");
    assertThat(unsupported.getReason()).isEqualTo("UnsupportedFields");
    assertThat(unsupported.getMessage())
        .isEqualTo(
            "lambdagate does not support these keys yet and ignores them: spec.kube.sdsContainer,"
                + " spec.kube.podTemplate.livenessProbe, spec.kube.stats");
    assertThat(unsupported.getObservedGeneration())
        .isEqualTo(
            client
                .resources(GatewayParameters.class)
                .inNamespace(NS)
                .withName("edge-params")
                .get()
                .getMetadata()
                .getGeneration());
    assertThat(unsupported.getLastTransitionTime()).isNotBlank();
    assertThat(conditions("unreferenced")).as("no Gateway of lambdagate's uses it").isNull();

    // The status write kept the spec as the user wrote it, unknown keys included.
    GenericKubernetesResource raw =
        client
            .genericKubernetesResources(
                new ResourceDefinitionContext.Builder()
                    .withGroup(Backend.GROUP)
                    .withVersion(Backend.VERSION)
                    .withPlural("gatewayparameters")
                    .withNamespaced(true)
                    .build())
            .inNamespace(NS)
            .withName("edge-params")
            .get();
    assertThat(
            client.getKubernetesSerialization().asJson(raw.getAdditionalProperties().get("spec")))
        .contains("sdsContainer")
        .contains("livenessProbe");

    // Nothing changed: nothing written.
    int writes = writer.writes();
    writer.publish(desired());
    assertThat(writer.writes()).isEqualTo(writes);

    // The user drops the unsupported keys: UnsupportedFields=False.
    client
        .resources(GatewayParameters.class)
        .inNamespace(NS)
        .withName("edge-params")
        .edit(
            gp -> {
              gp.setSpec(
                  client
                      .getKubernetesSerialization()
                      .unmarshal(
                          "{\"kube\":{\"deployment\":{\"replicas\":2}}}",
                          dev.lambdagate.controlplane.crd.GatewayParametersSpec.class));
              return gp;
            });
    writer.publish(desired());
    cs = conditions("edge-params");
    assertThat(of(cs, StatusComputer.UNSUPPORTED_FIELDS).getStatus()).isEqualTo("False");
    assertThat(of(cs, StatusComputer.UNSUPPORTED_FIELDS).getReason())
        .isEqualTo("AllFieldsSupported");
    assertThat(of(cs, "Accepted").getMessage())
        .isEqualTo("the Gateways' proxies are provisioned from it");
  }

  @Test
  void anEditTheModelDoesNotSeeStillRefreshesTheParametersStatus() {
    List<DesiredStatus> published = new java.util.ArrayList<>();
    dev.lambdagate.controlplane.ControlPlane cp =
        new dev.lambdagate.controlplane.ControlPlane(
            TestSupport.modelBuilder(), TestSupport.translator(), null, published::add);
    assertThat(cp.onState(state())).isTrue();
    assertUnsupported(published.get(published.size() - 1), "True");

    // Only an unsupported key goes: the model (and so xDS) is unchanged, the status is not.
    client
        .resources(GatewayParameters.class)
        .inNamespace(NS)
        .withName("edge-params")
        .edit(
            gp -> {
              gp.setSpec(
                  client
                      .getKubernetesSerialization()
                      .unmarshal(
                          "{\"kube\":{\"deployment\":{\"replicas\":2},"
                              + "\"envoyContainer\":{\"resources\":{\"limits\":{\"cpu\":\"2\"}}},"
                              + "\"podTemplate\":{\"nodeSelector\":{\"pool\":\"edge\"}}}}",
                          dev.lambdagate.controlplane.crd.GatewayParametersSpec.class));
              return gp;
            });
    int before = published.size();
    assertThat(cp.onState(state())).as("nothing to push").isFalse();
    assertThat(published).hasSize(before + 1);
    assertUnsupported(published.get(published.size() - 1), "False");

    // Nothing changed at all: nothing published.
    cp.onState(state());
    assertThat(published).hasSize(before + 1);
  }

  /** Asserts the UnsupportedFields status of team-a/edge-params in a published status. */
  static void assertUnsupported(DesiredStatus status, String expected) {
    List<Condition> cs =
        status
            .gatewayParameters()
            .get(
                new dev.lambdagate.controlplane.state.ResourceKey(
                    "GatewayParameters", NS, "edge-params"));
    assertThat(of(cs, StatusComputer.UNSUPPORTED_FIELDS).getStatus()).isEqualTo(expected);
  }
}
