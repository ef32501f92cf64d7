package dev.lambdagate.controlplane.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.state.ResourceKey;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListenerAssemblerTest {

  private static List<ListenerState> listeners(String listenersYaml) throws Exception {
    String gateway =
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: default}
        spec:
          gatewayClassName: kgateway
          listeners:
        %s"""
            .formatted(listenersYaml.indent(2));
    return ListenerAssembler.listeners(
        TestSupport.loader().loadString("t.yaml", gateway).gateways().get(0));
  }

  private static RouteModel route(String path, String... backendIds) {
    return new RouteModel(
        "default/r" + path,
        new ResourceKey("HTTPRoute", "default", "r"),
        0,
        0,
        new RouteModel.MatchModel("PathPrefix", path, List.of(), List.of(), null),
        java.util.Arrays.stream(backendIds)
            .map(id -> new RouteModel.WeightedBackend(id, "lambdagate|" + id, 1))
            .toList(),
        null,
        null,
        null,
        "",
        null,
        null);
  }

  @Test
  void eachListenerGetsItsVerdict() throws Exception {
    List<ListenerState> ls =
        listeners(
            """
            - {name: tls, protocol: TLS, port: 8443}
            - {name: grpc, protocol: HTTP, port: 8081, allowedRoutes: {kinds: [{kind: GRPCRoute}]}}
            - {name: a, protocol: HTTP, port: 8080, hostname: a.example.com}
            - {name: b, protocol: HTTP, port: 8080, hostname: a.example.com}
            - {name: c, protocol: HTTP, port: 8080, hostname: c.example.com}
            """);
    assertThat(ListenerAssembler.listenerModels(ls))
        .extracting(
            ListenerModel::name, ListenerModel::unsupportedReason, ListenerModel::conflictReason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("tls", StatusReason.UNSUPPORTED_PROTOCOL, null),
            org.assertj.core.groups.Tuple.tuple("grpc", StatusReason.INVALID_ROUTE_KINDS, null),
            org.assertj.core.groups.Tuple.tuple("a", null, StatusReason.HOSTNAME_CONFLICT),
            org.assertj.core.groups.Tuple.tuple("b", null, StatusReason.HOSTNAME_CONFLICT),
            org.assertj.core.groups.Tuple.tuple("c", null, null));
    assertThat(ls.get(2).message)
        .isEqualTo("another listener on port 8080 has hostname a.example.com");
  }

  @Test
  void usableListenersOfAPortShareOneEnvoyListener() throws Exception {
    List<ListenerState> ls =
        listeners(
            """
            - {name: a, protocol: HTTP, port: 8080, hostname: a.example.com}
            - {name: any, protocol: HTTP, port: 8080}
            - {name: other, protocol: HTTP, port: 9090}
            """);
    RouteModel root = route("/", "default/fn");
    RouteModel api = route("/api", "default/fn");
    ls.get(0).routesByHost.put("a.example.com", new LinkedHashSet<>(List.of(root, api)));
    ls.get(1).routesByHost.put("*", new LinkedHashSet<>(List.of(root)));
    BackendModel fn =
        new BackendModel("default/fn", "lambdagate|default/fn", null, null, null, null);
    List<PortModel> ports = ListenerAssembler.ports("default/gw", ls, Map.of("default/fn", fn));
    assertThat(ports)
        .extracting(PortModel::id)
        .containsExactly("default/gw/8080", "default/gw/9090");
    assertThat(ports.get(1).virtualHosts()).as("a listener without routes still listens").isEmpty();
    List<VirtualHostModel> hosts = ports.get(0).virtualHosts();
    assertThat(hosts).extracting(VirtualHostModel::name).containsExactly("*", "a.example.com");
    assertThat(hosts.get(1).routes())
        .as("the longer prefix first (Gateway API precedence)")
        .containsExactly(api, root);
  }

  @Test
  void aRouteWhoseEveryBackendIsBrokenAnswersTheFirstError() throws Exception {
    List<ListenerState> ls = listeners("- {name: a, protocol: HTTP, port: 8080}");
    RouteModel both = route("/", "default/x", "default/y");
    RouteModel half = route("/half", "default/x", "default/ok");
    ls.get(0).routesByHost.put("*", new LinkedHashSet<>(List.of(both, half)));
    Map<String, BackendModel> byId =
        Map.of(
            "default/x", new BackendModel("default/x", "c", null, null, null, "x is broken"),
            "default/y", new BackendModel("default/y", "c", null, null, null, "y is broken"),
            "default/ok", new BackendModel("default/ok", "c", null, null, null, null));
    List<RouteModel> routes =
        ListenerAssembler.ports("default/gw", ls, byId).get(0).virtualHosts().get(0).routes();
    RouteModel brokenBoth =
        routes.stream().filter(r -> r.name().equals(both.name())).findFirst().get();
    assertThat(brokenBoth.directResponse()).isEqualTo("x is broken");
    assertThat(brokenBoth.backends()).isEmpty();
    assertThat(routes).contains(half);
  }
}
