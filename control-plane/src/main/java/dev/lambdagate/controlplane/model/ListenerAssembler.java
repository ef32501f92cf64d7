package dev.lambdagate.controlplane.model;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteGroupKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A Gateway's listeners, both ends of a build: first each listener's verdict (unsupported protocol
 * or port, no HTTPRoute kind, conflicts with listeners on its port, an HTTPS listener's
 * certificates), then, once routes are attached, the Envoy side: one {@link PortModel} per port
 * whose virtual hosts hold the routes of every served listener on it, in Gateway API precedence,
 * and, for HTTPS, one {@link TlsChain} per served listener. Stateless; thread-safe.
 */
final class ListenerAssembler {
  private ListenerAssembler() {}

  /** The listeners of {@code g}, in spec order, each with its verdict; no certificates. */
  static List<ListenerState> listeners(Gateway g) {
    return listeners(g, ListenerCertificates.none());
  }

  /**
   * The listeners of {@code g}, in spec order, each with its verdict and, if HTTPS, the
   * certificates its refs resolve to; none attached yet.
   */
  static List<ListenerState> listeners(Gateway g, ListenerCertificates certificates) {
    List<ListenerState> states = new ArrayList<>();
    if (g.getSpec().getListeners() == null) {
      return states;
    }
    for (Listener l : g.getSpec().getListeners()) {
      ListenerState ls = new ListenerState(l);
      ls.https = "HTTPS".equals(l.getProtocol());
      if (!"HTTP".equals(l.getProtocol()) && !ls.https) {
        ls.unsupported = StatusReason.UNSUPPORTED_PROTOCOL;
        ls.message =
            "protocol " + l.getProtocol() + " is not supported (lambdagate serves HTTP and HTTPS)";
      } else if (ls.https
          && l.getTls() != null
          && l.getTls().getMode() != null
          && !l.getTls().getMode().isEmpty()
          && !"Terminate".equals(l.getTls().getMode())) {
        // The Gateway CRD's own rule ("tls mode must be Terminate for protocol HTTPS"); an API
        // server without the CRD's validation (or a manifest file) lets it through.
        ls.unsupported = StatusReason.UNSUPPORTED_PROTOCOL;
        ls.message =
            "tls.mode "
                + l.getTls().getMode()
                + ": tls mode must be Terminate for protocol HTTPS (Passthrough is for protocol"
                + " TLS with TLSRoutes, which lambdagate does not serve)";
      } else if (l.getPort() == null || l.getPort() < 1 || l.getPort() > 65535) {
        ls.unsupported = StatusReason.PORT_UNAVAILABLE;
        ls.message = "port must be 1 to 65535";
      } else if (l.getAllowedRoutes() != null
          && l.getAllowedRoutes().getKinds() != null
          && !l.getAllowedRoutes().getKinds().isEmpty()) {
        boolean http = false;
        for (RouteGroupKind k : l.getAllowedRoutes().getKinds()) {
          http |=
              "HTTPRoute".equals(k.getKind())
                  && (k.getGroup() == null || ModelBuilder.GATEWAY_GROUP.equals(k.getGroup()));
        }
        if (!http) {
          ls.unsupported = StatusReason.INVALID_ROUTE_KINDS;
          ls.message = "allowedRoutes.kinds has no HTTPRoute";
        }
      }
      if (ls.https && ls.unsupported == null) {
        ListenerCertificates.Resolution r = certificates.resolve(g.getMetadata().getNamespace(), l);
        ls.certificates = r.certificates();
        ls.refsReason = r.reason();
        ls.refsMessage = r.message();
      }
      states.add(ls);
    }
    markConflicts(states);
    return states;
  }

  /**
   * Listeners sharing a port conflict when their protocols differ (all of them) or when their
   * hostnames are the same (those): Envoy could not tell which one a request is for.
   */
  private static void markConflicts(List<ListenerState> states) {
    Map<Integer, List<ListenerState>> byPort = new TreeMap<>();
    for (ListenerState ls : states) {
      if (ls.listener.getPort() != null) {
        byPort.computeIfAbsent(ls.listener.getPort(), p -> new ArrayList<>()).add(ls);
      }
    }
    for (List<ListenerState> group : byPort.values()) {
      Set<String> protocols = new TreeSet<>();
      for (ListenerState ls : group) {
        protocols.add(String.valueOf(ls.listener.getProtocol()));
      }
      if (protocols.size() > 1) {
        for (ListenerState ls : group) {
          ls.conflict = StatusReason.PROTOCOL_CONFLICT;
          ls.message =
              "listeners on port "
                  + ls.listener.getPort()
                  + " use different protocols "
                  + protocols;
        }
        continue;
      }
      Map<String, Integer> hostCounts = new HashMap<>();
      for (ListenerState ls : group) {
        hostCounts.merge(Objects.toString(ls.listener.getHostname(), ""), 1, Integer::sum);
      }
      for (ListenerState ls : group) {
        if (hostCounts.get(Objects.toString(ls.listener.getHostname(), "")) > 1) {
          ls.conflict = StatusReason.HOSTNAME_CONFLICT;
          ls.message =
              "another listener on port "
                  + ls.listener.getPort()
                  + " has hostname "
                  + (ls.listener.getHostname() == null ? "(none)" : ls.listener.getHostname());
        }
      }
    }
  }

  /** What status reports of each listener, in spec order. */
  static List<ListenerModel> listenerModels(List<ListenerState> states) {
    List<ListenerModel> out = new ArrayList<>();
    for (ListenerState ls : states) {
      out.add(ls.toModel());
    }
    return out;
  }

  /**
   * The Envoy listeners of a Gateway, by port: the routes of its usable listeners merged per host
   * (a route reached through two listeners of a port is kept once), each route marked broken when
   * every backend it sends to is ({@code backendsById}), sorted by Gateway API precedence.
   *
   * @param gatewayId {@code ns/name}, the prefix of each port's id
   */
  static List<PortModel> ports(
      String gatewayId, List<ListenerState> states, Map<String, BackendModel> backendsById) {
    return ports(gatewayId, states, backendsById, BuildMemo.NONE);
  }

  /** {@link #ports(String, List, Map)}, each virtual host ordered through {@code memo}. */
  static List<PortModel> ports(
      String gatewayId,
      List<ListenerState> states,
      Map<String, BackendModel> backendsById,
      BuildMemo memo) {
    TreeMap<Integer, TreeMap<String, LinkedHashSet<RouteModel>>> byPort = new TreeMap<>();
    Map<Integer, TreeMap<String, TlsChain>> chainsByPort = new HashMap<>();
    for (ListenerState ls : states) {
      if (!ls.served()) {
        continue;
      }
      if (ls.https) {
        // Listeners of a port have distinct hostnames (else they conflict): one chain each, the
        // hostname-less one ("" sorts first) taking every other SNI.
        String host = ls.listener.getHostname();
        chainsByPort
            .computeIfAbsent(ls.listener.getPort(), p -> new TreeMap<>())
            .put(
                host == null ? "" : host,
                new TlsChain(
                    host == null || host.isEmpty() ? null : host,
                    ls.listener.getName(),
                    ls.certificates));
      }
      TreeMap<String, LinkedHashSet<RouteModel>> hosts =
          byPort.computeIfAbsent(ls.listener.getPort(), p -> new TreeMap<>());
      for (Map.Entry<String, LinkedHashSet<RouteModel>> e : ls.routesByHost.entrySet()) {
        hosts.computeIfAbsent(e.getKey(), h -> new LinkedHashSet<>()).addAll(e.getValue());
      }
    }
    List<PortModel> ports = new ArrayList<>();
    for (Map.Entry<Integer, TreeMap<String, LinkedHashSet<RouteModel>>> p : byPort.entrySet()) {
      List<VirtualHostModel> vhosts = new ArrayList<>();
      for (Map.Entry<String, LinkedHashSet<RouteModel>> h : p.getValue().entrySet()) {
        List<RouteModel> routes = new ArrayList<>(h.getValue().size());
        for (RouteModel m : h.getValue()) {
          routes.add(withBrokenBackends(m, backendsById));
        }
        List<RouteModel> sorted =
            memo.precedenceOrder(gatewayId + "/" + p.getKey() + "/" + h.getKey(), routes);
        vhosts.add(new VirtualHostModel(h.getKey(), List.of(h.getKey()), sorted));
      }
      TreeMap<String, TlsChain> chains = chainsByPort.get(p.getKey());
      ports.add(
          new PortModel(
              gatewayId + "/" + p.getKey(),
              p.getKey(),
              vhosts,
              chains == null ? List.of() : List.copyOf(chains.values())));
    }
    return ports;
  }

  /** A route whose every destination is broken answers 500 with the first error. */
  static RouteModel withBrokenBackends(RouteModel r, Map<String, BackendModel> byId) {
    if (r.directResponse() != null || r.backends().isEmpty()) {
      return r;
    }
    String firstError = null;
    for (RouteModel.WeightedBackend wb : r.backends()) {
      BackendModel b = byId.get(wb.backendId());
      if (b == null || b.valid()) {
        return r;
      }
      if (firstError == null) {
        firstError = b.error();
      }
    }
    return new RouteModel(
        r.name(),
        r.route(),
        r.rule(),
        r.match(),
        r.matchSpec(),
        List.of(),
        firstError,
        r.requestHeaders(),
        r.urlRewrite(),
        r.creationTimestamp(),
        r.timeoutMillis(),
        null);
  }
}
