package dev.lambdagate.controlplane.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.state.ClusterState;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GatewayOwnershipTest {
  static final Set<String> NAMES = Set.copyOf(GatewayOwnership.DEFAULT_CLASS_NAMES);

  static GatewayClass gatewayClass(String name, String controller) {
    return new GatewayClassBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withControllerName(controller)
        .endSpec()
        .build();
  }

  static Gateway gateway(String name, String className) {
    return new GatewayBuilder()
        .withNewMetadata()
        .withNamespace("apps")
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withGatewayClassName(className)
        .endSpec()
        .build();
  }

  static ServiceAccount account(String name, Map<String, String> labels) {
    return new ServiceAccountBuilder()
        .withNewMetadata()
        .withNamespace("apps")
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .build();
  }

  static ClusterState state(
      List<GatewayClass> classes, List<Gateway> gateways, List<ServiceAccount> accounts) {
    return new ClusterState(
        classes, gateways, List.of(), List.of(), List.of(), List.of(), accounts, List.of());
  }

  @Test
  void anExistingClassDecidesByItsControllerAndTheNameListOnlyWhenThereIsNone() {
    GatewayClass kgateway = gatewayClass("kgateway", "kgateway.dev/kgateway");
    GatewayClass ourKgateway = gatewayClass("kgateway", GatewayOwnership.CONTROLLER_NAME);
    GatewayClass custom = gatewayClass("custom", GatewayOwnership.CONTROLLER_NAME);
    // kgateway installed: its class names its controller and wins over the name list.
    assertThat(GatewayOwnership.isOurClass("kgateway", List.of(kgateway), NAMES)).isFalse();
    // No kgateway: the guides' class name is ours.
    assertThat(GatewayOwnership.isOurClass("kgateway", List.of(), NAMES)).isTrue();
    assertThat(GatewayOwnership.isOurClass("kgateway", List.of(ourKgateway), NAMES)).isTrue();
    // A class naming our controller is ours whatever its name.
    assertThat(GatewayOwnership.isOurClass("custom", List.of(custom), NAMES)).isTrue();
    assertThat(GatewayOwnership.isOurClass("custom", List.of(), NAMES)).isFalse();
    assertThat(GatewayOwnership.isOurClass("istio", List.of(), NAMES)).isFalse();
    assertThat(GatewayOwnership.isOurClass(null, List.of(), NAMES)).isFalse();
    // Narrowing the list drops the guides' name.
    assertThat(GatewayOwnership.isOurClass("kgateway", List.of(), Set.of("lambdagate"))).isFalse();
  }

  @Test
  void ourGatewaysAreSortedAndSkipOtherControllers() {
    ClusterState s =
        state(
            List.of(gatewayClass("kgateway", "kgateway.dev/kgateway")),
            List.of(
                gateway("b", "lambdagate"),
                gateway("theirs", "kgateway"),
                gateway("a", "lambdagate")),
            List.of());
    assertThat(GatewayOwnership.ourGateways(s, NAMES))
        .extracting(g -> g.getMetadata().getName())
        .containsExactly("a", "b");
  }

  @Test
  void onlyAccountsLambdagateCreatedAreProxyAccounts() {
    Map<String, String> managed =
        Map.of(
            GatewayOwnership.MANAGED_BY, "lambdagate", GatewayOwnership.GATEWAY_NAME_LABEL, "edge");
    assertThat(GatewayOwnership.isProxyServiceAccount(account("edge", managed))).isTrue();
    assertThat(GatewayOwnership.isProxyServiceAccount(account("edge", Map.of()))).isFalse();
    assertThat(
            GatewayOwnership.isProxyServiceAccount(
                account("edge", Map.of(GatewayOwnership.MANAGED_BY, "Helm"))))
        .isFalse();
    // Labelled for another Gateway: not this name's proxy account.
    assertThat(GatewayOwnership.isProxyServiceAccount(account("payments", managed))).isFalse();

    Gateway edge = gateway("edge", "lambdagate");
    assertThat(GatewayOwnership.serviceAccountConflict(edge, List.of())).isEmpty();
    assertThat(GatewayOwnership.serviceAccountConflict(edge, List.of(account("edge", managed))))
        .isEmpty();
    assertThat(
            GatewayOwnership.serviceAccountConflict(
                edge, List.of(account("edge", Map.of("app", "payments")))))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains("ServiceAccount apps/edge")
                    .contains("not created by lambdagate"));
  }

  @Test
  void proxyAccountsAreThoseOfOurGatewaysThatLambdagateCreated() {
    Map<String, String> edgeLabels =
        Map.of(
            GatewayOwnership.MANAGED_BY, "lambdagate", GatewayOwnership.GATEWAY_NAME_LABEL, "edge");
    Map<String, String> theirsLabels =
        Map.of(
            GatewayOwnership.MANAGED_BY,
            "lambdagate",
            GatewayOwnership.GATEWAY_NAME_LABEL,
            "theirs");
    ClusterState s =
        state(
            List.of(gatewayClass("kgateway", "kgateway.dev/kgateway")),
            List.of(
                gateway("edge", "lambdagate"),
                gateway("app", "lambdagate"),
                gateway("theirs", "kgateway")),
            List.of(
                account("edge", edgeLabels),
                account("app", Map.of()),
                account("theirs", theirsLabels)));
    assertThat(GatewayOwnership.proxyServiceAccounts(s, NAMES))
        .extracting(sa -> sa.getMetadata().getName())
        .containsExactly("edge");
  }
}
