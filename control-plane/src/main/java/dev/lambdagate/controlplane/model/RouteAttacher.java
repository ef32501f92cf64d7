package dev.lambdagate.controlplane.model;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Attaches HTTPRoutes to the listeners of our Gateways, as Gateway API says: a parentRef picks a
 * Gateway (and, with {@code sectionName}/{@code port}, some of its listeners); a usable listener
 * takes the route when its {@code allowedRoutes.namespaces} allows the route's namespace and their
 * hostnames intersect. {@link #decide} only decides, without changing the listeners; {@link
 * RouteOutcome.Attachment#attach} then adds the route to them, so that the caller can first build
 * the route's models (once, whatever the number of parents) and an outcome can be applied again in
 * a later build.
 *
 * <p>Thread-safe if the maps it was given are not changed: deciding reads the listeners only.
 */
final class RouteAttacher {

  /**
   * What one parentRef of a route gets.
   *
   * @param gatewayId the Gateway named, {@code ns/name}
   * @param reason {@link StatusReason#ACCEPTED} when some listener takes the route, else why none
   * @param hostsByListener the listeners taking it, in spec order, with the hostnames it serves on
   *     each (empty unless accepted)
   */
  record Decision(
      String gatewayId,
      StatusReason reason,
      String message,
      Map<ListenerState, List<String>> hostsByListener) {
    boolean accepted() {
      return reason == StatusReason.ACCEPTED;
    }
  }

  private final Map<String, Gateway> gatewaysById;
  private final Map<String, List<ListenerState>> listenersByGateway;

  /**
   * @param gatewaysById our Gateways, by {@code ns/name}
   * @param listenersByGateway the listeners of each, from {@link ListenerAssembler#listeners}
   */
  RouteAttacher(
      Map<String, Gateway> gatewaysById, Map<String, List<ListenerState>> listenersByGateway) {
    this.gatewaysById = gatewaysById;
    this.listenersByGateway = listenersByGateway;
  }

  /**
   * Where {@code parent} of {@code route} attaches, or null when it names no Gateway of ours (a
   * parent of another kind, or another controller's Gateway: its status is not ours to write).
   */
  Decision decide(HTTPRoute route, ParentReference parent) {
    String group = parent.getGroup() == null ? ModelBuilder.GATEWAY_GROUP : parent.getGroup();
    String kind = parent.getKind() == null ? "Gateway" : parent.getKind();
    if (!group.equals(ModelBuilder.GATEWAY_GROUP) || !kind.equals("Gateway")) {
      return null;
    }
    String routeNs = route.getMetadata().getNamespace();
    String gwNs = parent.getNamespace() == null ? routeNs : parent.getNamespace();
    String gwId = gwNs + "/" + parent.getName();
    Gateway gw = gatewaysById.get(gwId);
    if (gw == null) {
      return null;
    }
    List<ListenerState> candidates = new ArrayList<>();
    for (ListenerState ls : listenersByGateway.get(gwId)) {
      if (parent.getSectionName() != null
          && !parent.getSectionName().equals(ls.listener.getName())) {
        continue;
      }
      if (parent.getPort() != null && !parent.getPort().equals(ls.listener.getPort())) {
        continue;
      }
      candidates.add(ls);
    }
    if (candidates.isEmpty()) {
      return new Decision(
          gwId,
          StatusReason.NO_MATCHING_PARENT,
          "Gateway " + gwId + " has no listener matching sectionName/port",
          Map.of());
    }
    boolean anyAllowed = false;
    Map<ListenerState, List<String>> hostsByListener = new LinkedHashMap<>();
    for (ListenerState ls : candidates) {
      if (!ls.usable() || !allows(ls.listener, gw, routeNs)) {
        continue;
      }
      anyAllowed = true;
      List<String> hosts = hostnames(ls.listener.getHostname(), route.getSpec().getHostnames());
      if (!hosts.isEmpty()) {
        hostsByListener.put(ls, hosts);
      }
    }
    if (!anyAllowed) {
      return new Decision(
          gwId,
          StatusReason.NOT_ALLOWED_BY_LISTENERS,
          "no listener of Gateway " + gwId + " allows routes from namespace " + routeNs,
          Map.of());
    }
    if (hostsByListener.isEmpty()) {
      return new Decision(
          gwId,
          StatusReason.NO_MATCHING_LISTENER_HOSTNAME,
          "no hostname of the route matches a listener of Gateway " + gwId,
          Map.of());
    }
    return new Decision(
        gwId, StatusReason.ACCEPTED, "attached to Gateway " + gwId, hostsByListener);
  }

  /**
   * {@code allowedRoutes.namespaces.from}: {@code Same} by default. {@code Selector} allows none:
   * Namespace labels are not watched, and allowing on a guess would open the listener.
   */
  private static boolean allows(Listener l, Gateway gw, String routeNs) {
    String from = "Same";
    if (l.getAllowedRoutes() != null
        && l.getAllowedRoutes().getNamespaces() != null
        && l.getAllowedRoutes().getNamespaces().getFrom() != null) {
      from = l.getAllowedRoutes().getNamespaces().getFrom();
    }
    return switch (from) {
      case "All" -> true;
      case "Same" -> routeNs.equals(gw.getMetadata().getNamespace());
      default -> false;
    };
  }

  /** Hostnames a route serves on a listener (Gateway API intersection); {@code *} for any. */
  static List<String> hostnames(String listenerHost, List<String> routeHosts) {
    if (routeHosts == null || routeHosts.isEmpty()) {
      return List.of(listenerHost == null ? "*" : listenerHost);
    }
    TreeSet<String> out = new TreeSet<>();
    for (String h : routeHosts) {
      String i = intersect(listenerHost, h);
      if (i != null) {
        out.add(i);
      }
    }
    return List.copyOf(out);
  }

  /** The more specific of two hostnames when one matches the other, else null. */
  private static String intersect(String listener, String route) {
    if (listener == null || listener.equals(route)) {
      return route;
    }
    if (listener.startsWith("*.") && route.endsWith(listener.substring(1))) {
      return route;
    }
    if (route.startsWith("*.") && listener.endsWith(route.substring(1))) {
      return listener;
    }
    return null;
  }
}
