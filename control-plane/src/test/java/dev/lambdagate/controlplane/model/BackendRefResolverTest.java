package dev.lambdagate.controlplane.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.state.ClusterState;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRefBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendRefResolverTest {
  private static final String BACKENDS =
      """
      apiVersion: gateway.kgateway.dev/v1alpha1
      kind: Backend
      metadata: {name: fn, namespace: default}
      spec: {type: AWS, aws: {lambda: {functionName: echo}}}
      ---
      apiVersion: gateway.kgateway.dev/v1alpha1
      kind: Backend
      metadata: {name: fn, namespace: lambdas}
      spec: {type: AWS, aws: {lambda: {functionName: echo}}}
      """;

  private static String grant(String fromNamespace, String toName) {
    return """
        ---
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata: {name: g, namespace: lambdas}
        spec:
          from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: %s}]
          to: [{group: gateway.kgateway.dev, kind: Backend%s}]
        """
        .formatted(fromNamespace, toName == null ? "" : ", name: " + toName);
  }

  private static BackendRefResolver resolver(String yaml) throws Exception {
    ClusterState s = TestSupport.loader().loadString("t.yaml", yaml);
    Map<String, Backend> byId = new HashMap<>();
    for (Backend b : s.backends()) {
      byId.put(b.getMetadata().getNamespace() + "/" + b.getMetadata().getName(), b);
    }
    return new BackendRefResolver(byId, s.referenceGrants());
  }

  private static HTTPBackendRef backend(String namespace, String name) {
    return new HTTPBackendRefBuilder()
        .withGroup(Backend.GROUP)
        .withKind("Backend")
        .withNamespace(namespace)
        .withName(name)
        .build();
  }

  @Test
  void aBackendInTheRoutesNamespaceResolves() throws Exception {
    BackendRefResolver.ResolvedRef r = resolver(BACKENDS).resolve("default", backend(null, "fn"));
    assertThat(r.reason()).isNull();
    assertThat(r.backend().getMetadata().getNamespace()).isEqualTo("default");
    assertThat(r.errorId()).isNull();
    assertThat(r.weight()).as("Gateway API's default weight").isEqualTo(1);
  }

  @Test
  void anotherKindIsInvalidAndGetsAnErrorBackend() throws Exception {
    HTTPBackendRef service = new HTTPBackendRefBuilder().withName("svc").withPort(80).build();
    BackendRefResolver.ResolvedRef r = resolver(BACKENDS).resolve("default", service);
    assertThat(r.reason()).isEqualTo(StatusReason.INVALID_KIND);
    assertThat(r.message())
        .isEqualTo(
            "backendRef Service default/svc is not supported (use group gateway.kgateway.dev,"
                + " kind Backend)");
    assertThat(r.errorId()).isEqualTo("invalid:Service:default/svc");
    assertThat(r.errorCluster()).isEqualTo("lambdagate-invalid|default|Service|svc");
    assertThat(r.backend()).isNull();
  }

  @Test
  void anotherNamespaceNeedsAReferenceGrantFromTheRoutesNamespace() throws Exception {
    BackendRefResolver.ResolvedRef denied =
        resolver(BACKENDS).resolve("default", backend("lambdas", "fn"));
    assertThat(denied.reason()).isEqualTo(StatusReason.REF_NOT_PERMITTED);
    assertThat(denied.message())
        .isEqualTo(
            "backendRef Backend lambdas/fn is in another namespace and no ReferenceGrant in"
                + " lambdas allows HTTPRoutes from default");
    assertThat(denied.errorId()).isEqualTo("denied:default:lambdas/fn");
    assertThat(denied.errorCluster()).isEqualTo("lambdagate-denied|default|lambdas|fn");

    assertThat(
            resolver(BACKENDS + grant("default", null))
                .resolve("default", backend("lambdas", "fn"))
                .backend())
        .as("a grant for every Backend of the namespace")
        .isNotNull();
    assertThat(
            resolver(BACKENDS + grant("default", "fn"))
                .resolve("default", backend("lambdas", "fn"))
                .backend())
        .as("a grant naming the Backend")
        .isNotNull();
    assertThat(
            resolver(BACKENDS + grant("default", "other"))
                .resolve("default", backend("lambdas", "fn"))
                .reason())
        .as("a grant naming another Backend")
        .isEqualTo(StatusReason.REF_NOT_PERMITTED);
    assertThat(
            resolver(BACKENDS + grant("apps", null))
                .resolve("default", backend("lambdas", "fn"))
                .reason())
        .as("a grant for routes of another namespace")
        .isEqualTo(StatusReason.REF_NOT_PERMITTED);
  }

  @Test
  void aMissingBackendGetsItsOwnIdAndCluster() throws Exception {
    BackendRefResolver.ResolvedRef r = resolver(BACKENDS).resolve("default", backend(null, "gone"));
    assertThat(r.reason()).isEqualTo(StatusReason.BACKEND_NOT_FOUND);
    assertThat(r.message()).isEqualTo("Backend default/gone not found");
    assertThat(r.errorId()).isEqualTo("default/gone");
    assertThat(r.errorCluster()).isEqualTo("lambdagate|default|gone");
  }

  @Test
  void aRoutesSummaryIsItsFirstFailure() throws Exception {
    String route =
        """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r, namespace: default}
        spec:
          rules:
          - backendRefs: [{group: gateway.kgateway.dev, kind: Backend, name: fn, weight: 0}]
          - backendRefs:
            - {group: gateway.kgateway.dev, kind: Backend, name: gone}
            - {name: svc, port: 80}
          - {}
        """;
    ClusterState s = TestSupport.loader().loadString("t.yaml", BACKENDS + route);
    HTTPRoute r = s.httpRoutes().get(0);
    BackendRefResolver.RouteRefs refs = resolver(BACKENDS).resolve(r, r.getSpec().getRules());
    assertThat(refs.byRule()).hasSize(3);
    assertThat(refs.byRule().get(0))
        .extracting(BackendRefResolver.ResolvedRef::weight)
        .containsExactly(0);
    assertThat(refs.byRule().get(1))
        .extracting(BackendRefResolver.ResolvedRef::reason)
        .containsExactly(StatusReason.BACKEND_NOT_FOUND, StatusReason.INVALID_KIND);
    assertThat(refs.byRule().get(2)).isEmpty();
    assertThat(refs.resolved()).isFalse();
    assertThat(refs.reason()).isEqualTo(StatusReason.BACKEND_NOT_FOUND);
    assertThat(refs.message()).isEqualTo("Backend default/gone not found");

    BackendRefResolver.RouteRefs ok =
        resolver(BACKENDS).resolve(r, List.of(r.getSpec().getRules().get(0)));
    assertThat(ok.resolved()).isTrue();
    assertThat(ok.reason()).isEqualTo(StatusReason.RESOLVED_REFS);
    assertThat(ok.message()).isEqualTo("all backendRefs resolved");
  }
}
