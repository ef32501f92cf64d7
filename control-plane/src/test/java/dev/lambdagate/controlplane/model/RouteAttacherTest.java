package dev.lambdagate.controlplane.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.state.ResourceKey;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteAttacherTest {

  /** Gateway default/gw: listener "a" on 8080 for *.example.com, "b" on 9090 for any host. */
  private static final String GATEWAY =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: gw, namespace: default}
      spec:
        gatewayClassName: kgateway
        listeners:
        - {name: a, protocol: HTTP, port: 8080, hostname: '*.example.com'}
        - {name: b, protocol: HTTP, port: 9090, allowedRoutes: {namespaces: {from: All}}}
      """;

  private static String route(String namespace, String hostnames, String parentRef) {
    return """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r, namespace: %s}
        spec:
          hostnames: %s
          parentRefs: [%s]
          rules: [{backendRefs: [{group: gateway.kgateway.dev, kind: Backend, name: b}]}]
        """
        .formatted(namespace, hostnames, parentRef);
  }

  /** The gateway's listeners and an attacher over them, with the route of {@code yaml}. */
  private record Fixture(RouteAttacher attacher, List<ListenerState> listeners, HTTPRoute route) {
    RouteAttacher.Decision decide() {
      return decideFor(route.getSpec().getParentRefs().get(0));
    }

    RouteAttacher.Decision decideFor(ParentReference parent) {
      return attacher.decide(route, parent);
    }

    /** The names of the listeners taking the route, with their hostnames. */
    Map<String, List<String>> hosts(RouteAttacher.Decision d) {
      Map<String, List<String>> out = new HashMap<>();
      d.hostsByListener().forEach((ls, h) -> out.put(ls.listener.getName(), h));
      return out;
    }
  }

  private static Fixture fixture(String gateway, String route) throws Exception {
    ClusterState s = TestSupport.loader().loadString("t.yaml", gateway + route);
    Gateway g = s.gateways().get(0);
    List<ListenerState> listeners = ListenerAssembler.listeners(g);
    RouteAttacher attacher =
        new RouteAttacher(Map.of("default/gw", g), Map.of("default/gw", listeners));
    return new Fixture(attacher, listeners, s.httpRoutes().get(0));
  }

  @Test
  void sameNamespaceRouteAttachesWhereHostnamesIntersect() throws Exception {
    Fixture f = fixture(GATEWAY, route("default", "[a.example.com, b.other.org]", "{name: gw}"));
    RouteAttacher.Decision d = f.decide();
    assertThat(d.gatewayId()).isEqualTo("default/gw");
    assertThat(d.reason()).isEqualTo(StatusReason.ACCEPTED);
    assertThat(d.message()).isEqualTo("attached to Gateway default/gw");
    // Listener a serves only its wildcard's hosts; b (no hostname) every host of the route.
    assertThat(f.hosts(d))
        .containsOnly(
            Map.entry("a", List.of("a.example.com")),
            Map.entry("b", List.of("a.example.com", "b.other.org")));
  }

  @Test
  void sectionNameAndPortPickListeners() throws Exception {
    Fixture byName =
        fixture(GATEWAY, route("default", "[a.example.com]", "{name: gw, sectionName: b}"));
    assertThat(byName.hosts(byName.decide())).containsOnlyKeys("b");

    Fixture byPort =
        fixture(GATEWAY, route("default", "[a.example.com]", "{name: gw, port: 8080}"));
    assertThat(byPort.hosts(byPort.decide())).containsOnlyKeys("a");

    Fixture none =
        fixture(GATEWAY, route("default", "[a.example.com]", "{name: gw, sectionName: c}"));
    RouteAttacher.Decision d = none.decide();
    assertThat(d.reason()).isEqualTo(StatusReason.NO_MATCHING_PARENT);
    assertThat(d.message())
        .isEqualTo("Gateway default/gw has no listener matching sectionName/port");
    assertThat(d.hostsByListener()).isEmpty();

    Fixture both =
        fixture(
            GATEWAY, route("default", "[a.example.com]", "{name: gw, sectionName: a, port: 9090}"));
    assertThat(both.decide().reason()).isEqualTo(StatusReason.NO_MATCHING_PARENT);
  }

  @Test
  void otherNamespacesAttachOnlyWhereAllowed() throws Exception {
    // Listener a allows only its Gateway's namespace (the default); b allows all.
    Fixture f =
        fixture(GATEWAY, route("apps", "[a.example.com]", "{name: gw, namespace: default}"));
    assertThat(f.hosts(f.decide())).containsOnlyKeys("b");

    Fixture onlyA =
        fixture(
            GATEWAY,
            route("apps", "[a.example.com]", "{name: gw, namespace: default, sectionName: a}"));
    RouteAttacher.Decision d = onlyA.decide();
    assertThat(d.reason()).isEqualTo(StatusReason.NOT_ALLOWED_BY_LISTENERS);
    assertThat(d.message())
        .isEqualTo("no listener of Gateway default/gw allows routes from namespace apps");

    // A namespace selector allows nothing: Namespace labels are not watched.
    String selector =
        GATEWAY.replace(
            "allowedRoutes: {namespaces: {from: All}}",
            "allowedRoutes: {namespaces: {from: Selector}}");
    Fixture bySelector =
        fixture(
            selector,
            route("apps", "[a.example.com]", "{name: gw, namespace: default, sectionName: b}"));
    assertThat(bySelector.decide().reason()).isEqualTo(StatusReason.NOT_ALLOWED_BY_LISTENERS);
  }

  @Test
  void noIntersectingHostnameIsNotAttached() throws Exception {
    Fixture f = fixture(GATEWAY, route("default", "[b.other.org]", "{name: gw, sectionName: a}"));
    RouteAttacher.Decision d = f.decide();
    assertThat(d.reason()).isEqualTo(StatusReason.NO_MATCHING_LISTENER_HOSTNAME);
    assertThat(d.message())
        .isEqualTo("no hostname of the route matches a listener of Gateway default/gw");
    assertThat(d.accepted()).isFalse();
  }

  @Test
  void conflictedListenersTakeNoRoute() throws Exception {
    String conflicting =
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: default}
        spec:
          gatewayClassName: kgateway
          listeners:
          - {name: a, protocol: HTTP, port: 8080}
          - {name: b, protocol: HTTP, port: 8080}
          - {name: c, protocol: HTTP, port: 9090}
        """;
    Fixture f = fixture(conflicting, route("default", "[]", "{name: gw}"));
    assertThat(f.listeners())
        .extracting(ls -> ls.conflict)
        .containsExactly(StatusReason.HOSTNAME_CONFLICT, StatusReason.HOSTNAME_CONFLICT, null);
    assertThat(f.hosts(f.decide())).containsOnly(Map.entry("c", List.of("*")));
  }

  @Test
  void parentsThatAreNotOurGatewaysAreSkipped() throws Exception {
    Fixture other = fixture(GATEWAY, route("default", "[]", "{name: someone-elses}"));
    assertThat(other.decide()).isNull();
    Fixture service =
        fixture(GATEWAY, route("default", "[]", "{name: gw, group: '', kind: Service}"));
    assertThat(service.decide()).isNull();
    Fixture elsewhere = fixture(GATEWAY, route("apps", "[]", "{name: gw}"));
    assertThat(elsewhere.decide()).as("apps/gw is not ours").isNull();
  }

  @Test
  void attachAddsTheRoutesOnceUnderEachHostAndCountsTheParent() throws Exception {
    Fixture f = fixture(GATEWAY, route("default", "[a.example.com]", "{name: gw}"));
    RouteAttacher.Decision d = f.decide();
    RouteModel m =
        new RouteModel(
            "default/r/rule-0/match-0",
            new ResourceKey("HTTPRoute", "default", "r"),
            0,
            0,
            new RouteModel.MatchModel("PathPrefix", "/", List.of(), List.of(), null),
            List.of(new RouteModel.WeightedBackend("default/b", "lambdagate|default|b", 1)),
            null,
            null,
            null,
            "",
            null,
            null);
    RouteOutcome.Attachment attachment = RouteOutcome.Attachment.of(d, f.listeners());
    attachment.attach(f.listeners(), List.of(m));
    attachment.attach(f.listeners(), List.of(m));
    ListenerState a = f.listeners().get(0);
    assertThat(a.attached).isEqualTo(2);
    assertThat(a.routesByHost).containsOnlyKeys("a.example.com");
    assertThat(a.routesByHost.get("a.example.com")).containsExactly(m);
  }

  @Test
  void hostnameIntersection() {
    assertThat(RouteAttacher.hostnames(null, null)).containsExactly("*");
    assertThat(RouteAttacher.hostnames("a.example.com", List.of()))
        .containsExactly("a.example.com");
    assertThat(RouteAttacher.hostnames("*.example.com", List.of("a.example.com", "b.other.org")))
        .containsExactly("a.example.com");
    assertThat(RouteAttacher.hostnames("a.example.com", List.of("*.example.com")))
        .containsExactly("a.example.com");
    assertThat(RouteAttacher.hostnames("a.example.com", List.of("b.example.com"))).isEmpty();
  }
}
