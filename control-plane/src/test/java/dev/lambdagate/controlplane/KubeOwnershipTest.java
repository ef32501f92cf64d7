package dev.lambdagate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.kube.KubeMode;
import dev.lambdagate.controlplane.kube.KubeModeOptions;
import dev.lambdagate.controlplane.kube.MockApi;
import dev.lambdagate.controlplane.model.GatewayOwnership;
import dev.lambdagate.controlplane.model.ModelBuilder;
import dev.lambdagate.controlplane.model.ModelOptions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes mode wired as in production (informers, leader election, provisioning,
 * TokenRequest, status writes) in a cluster that also runs kgateway, against fabric8's mock API
 * server. Three Gateways in one namespace:
 *
 * <ul>
 *   <li>{@code http} (the IRSA guide's, class {@code kgateway}): kgateway's own GatewayClass names
 *       kgateway's controller, so it is not ours although "kgateway" is an accepted name;
 *   <li>{@code edge} (class {@code lambdagate}, no GatewayClass object): ours — the positive
 *       control: once it is provisioned, has its token and its status, every decision about the
 *       others has been made;
 *   <li>{@code payments} (class {@code lambdagate}) named after an application's IRSA
 *       ServiceAccount lambdagate did not create.
 * </ul>
 *
 * The TokenRequest path of every account is scripted to succeed, so only lambdagate's own rule
 * stands between a Gateway and a token.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubeOwnershipTest {
  static {
    MockApi.quiet();
  }

  static final String NS = "kgateway-system";
  static final String APP_ROLE = "arn:aws:iam::210987654321:role/payments-app";

  KubernetesClient client;
  KubernetesMockServer server;

  static String tokenPath(String account) {
    return "/api/v1/namespaces/" + NS + "/serviceaccounts/" + account + "/token";
  }

  @Test
  void kgatewaysGatewaysAndForeignServiceAccountsGetNothing() throws Exception {
    MockApi.installCrds(client);
    client
        .resource(
            new GatewayClassBuilder()
                .withNewMetadata()
                .withName("kgateway")
                .endMetadata()
                .withNewSpec()
                .withControllerName("kgateway.dev/kgateway")
                .endSpec()
                .build())
        .create();
    MockApi.apply(client, MockApi.load(client, "kube/seed-irsa.yaml", MockApi.SEED_VARS));
    client
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("payments")
                .withNamespace(NS)
                .withAnnotations(Map.of("eks.amazonaws.com/role-arn", APP_ROLE))
                .withLabels(Map.of("app", "payments"))
                .endMetadata()
                .build())
        .create();
    for (String name : List.of("edge", "payments")) {
      client
          .resource(
              """
          apiVersion: gateway.networking.k8s.io/v1
          kind: Gateway
          metadata: {name: %s, namespace: kgateway-system}
          spec:
            gatewayClassName: lambdagate
            infrastructure:
              parametersRef: {group: gateway.kgateway.dev, kind: GatewayParameters, name: http-lambda}
            listeners:
            - {protocol: HTTP, port: 8080, name: http, allowedRoutes: {namespaces: {from: All}}}
          """
                  .formatted(name))
          .create();
    }
    client
        .resource(
            """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: lambda, namespace: kgateway-system}
        spec:
          parentRefs: [{name: http}, {name: edge}, {name: payments}]
          rules:
          - backendRefs: [{group: gateway.kgateway.dev, kind: Backend, name: lambda}]
        """)
        .create();
    for (String account : List.of("http", "edge", "payments")) {
      server
          .expect()
          .post()
          .withPath(tokenPath(account))
          .andReturn(
              201,
              new TokenRequestBuilder()
                  .withNewStatus()
                  .withToken("token-of-" + account)
                  .withExpirationTimestamp(Instant.now().plusSeconds(3600).toString())
                  .endStatus()
                  .build())
          .always();
    }
    ServiceAccount appAccount = account("payments").orElseThrow();

    KubeModeOptions options =
        KubeModeOptions.defaults("lambdagate-system", "replica-a")
            .withLease(
                "lambdagate-control-plane",
                Duration.ofMillis(10000),
                Duration.ofMillis(8000),
                Duration.ofMillis(200))
            .withCoalesce(Duration.ofMillis(50));
    KubeMode kube = KubeMode.create(client, options);
    ControlPlane plane =
        new ControlPlane(
            new ModelBuilder(
                new ModelOptions(Set.copyOf(options.gatewayClassNames()), null)
                    .withOwnServiceAccountsOnly(true),
                kube.tokenSource()),
            TestSupport.translator(),
            null,
            kube.statusSink());
    try {
      kube.start();
      kube.stateSource().start(plane::onState);

      // The positive control: edge is provisioned, has its token and is Programmed.
      assertThat(
              MockApi.await(
                  20000,
                  () -> client.apps().deployments().inNamespace(NS).withName("edge").get() != null))
          .as("edge provisioned")
          .isTrue();
      assertThat(MockApi.await(20000, () -> kube.tokenSource().token(NS, "edge").isPresent()))
          .as("edge's token")
          .isTrue();
      assertThat(
              MockApi.await(
                  20000,
                  () -> programmed("edge").filter(c -> c.getStatus().equals("True")).isPresent()))
          .as("edge Programmed")
          .isTrue();
      // ... and payments carries the conflict.
      assertThat(MockApi.await(20000, () -> programmed("payments").isPresent()))
          .as("payments has status")
          .isTrue();
      Condition conflict = programmed("payments").orElseThrow();
      assertThat(conflict.getStatus()).isEqualTo("False");
      assertThat(conflict.getReason()).isEqualTo("NoResources");
      assertThat(conflict.getMessage())
          .contains("ServiceAccount " + NS + "/payments")
          .contains("not created by lambdagate");

      // kgateway's Gateway: no proxy, no token, no status (Gateway or route parent).
      assertThat(account("http")).as("no ServiceAccount for kgateway's Gateway").isEmpty();
      assertThat(client.apps().deployments().inNamespace(NS).withName("http").get()).isNull();
      assertThat(client.services().inNamespace(NS).withName("http").get()).isNull();
      assertThat(client.configMaps().inNamespace(NS).withName("http").get()).isNull();
      assertThat(
              gateway("http").getStatus() == null
                  || gateway("http").getStatus().getConditions() == null
                  || gateway("http").getStatus().getConditions().isEmpty())
          .isTrue();
      assertThat(kube.tokenSource().token(NS, "http")).isEmpty();
      HTTPRoute route = client.resources(HTTPRoute.class).inNamespace(NS).withName("lambda").get();
      assertThat(MockApi.await(20000, () -> routeParents().size() == 2)).isTrue();
      assertThat(routeParents())
          .allSatisfy(
              p -> assertThat(p.getControllerName()).isEqualTo(GatewayOwnership.CONTROLLER_NAME))
          .extracting(p -> p.getParentRef().getName())
          .containsExactlyInAnyOrder("edge", "payments");
      assertThat(route).isNotNull();

      // The application's account: untouched, no token, no proxy running as it.
      ServiceAccount after = account("payments").orElseThrow();
      assertThat(after.getMetadata().getResourceVersion())
          .isEqualTo(appAccount.getMetadata().getResourceVersion());
      assertThat(after.getMetadata().getLabels()).isEqualTo(Map.of("app", "payments"));
      assertThat(after.getMetadata().getAnnotations())
          .isEqualTo(Map.of("eks.amazonaws.com/role-arn", APP_ROLE));
      assertThat(after.getMetadata().getOwnerReferences()).isNullOrEmpty();
      assertThat(kube.tokenSource().token(NS, "payments")).isEmpty();
      assertThat(client.apps().deployments().inNamespace(NS).withName("payments").get()).isNull();

      // The API server's request log: a TokenRequest for edge only.
      List<String> tokenRequests = new ArrayList<>();
      for (int i = server.getRequestCount(); i > 0; i--) {
        var r = server.takeRequest();
        if (r.getPath().endsWith("/token")) {
          tokenRequests.add(r.getMethod() + " " + r.getPath());
        }
      }
      assertThat(tokenRequests)
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r).isEqualTo("POST " + tokenPath("edge")));
    } finally {
      kube.close();
    }
  }

  private Optional<ServiceAccount> account(String name) {
    return Optional.ofNullable(client.serviceAccounts().inNamespace(NS).withName(name).get());
  }

  private Gateway gateway(String name) {
    return client.resources(Gateway.class).inNamespace(NS).withName(name).get();
  }

  private Optional<Condition> programmed(String gateway) {
    Gateway g = gateway(gateway);
    if (g == null || g.getStatus() == null || g.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return g.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals("Programmed"))
        .findFirst();
  }

  private List<RouteParentStatus> routeParents() {
    HTTPRoute r = client.resources(HTTPRoute.class).inNamespace(NS).withName("lambda").get();
    return r == null || r.getStatus() == null || r.getStatus().getParents() == null
        ? List.of()
        : r.getStatus().getParents();
  }
}
