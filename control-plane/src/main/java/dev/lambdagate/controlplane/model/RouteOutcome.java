package dev.lambdagate.controlplane.model;

import dev.lambdagate.controlplane.crd.Backend;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What attaching one HTTPRoute gives, apart from the build that computed it, so that a later build
 * can apply it again without deciding anything: its resolved backendRefs, its parent results (null
 * when no parentRef names a Gateway of ours), the listeners it attaches to (by Gateway and
 * position, with the hostnames it serves there) and its routes. Immutable.
 */
record RouteOutcome(
    BackendRefResolver.RouteRefs refs,
    List<RouteParentResult> parents,
    List<Attachment> attachments,
    List<RouteModel> models) {

  RouteOutcome {
    attachments = List.copyOf(attachments);
    models = List.copyOf(models);
  }

  /**
   * Whether {@code backendsById} holds, under each id the route's refs looked up, what they found
   * then: the same Backend instance, or none for a Backend that was not found. Refs of another kind
   * or denied by the ReferenceGrants looked up nothing.
   */
  boolean sameBackends(Map<String, Backend> backendsById) {
    for (List<BackendRefResolver.ResolvedRef> rule : refs.byRule()) {
      for (BackendRefResolver.ResolvedRef rr : rule) {
        if (rr.backend() != null) {
          if (backendsById.get(rr.backendId()) != rr.backend()) {
            return false;
          }
        } else if (rr.reason() == StatusReason.BACKEND_NOT_FOUND
            && backendsById.get(rr.errorId()) != null) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * What an outcome depends on besides its HTTPRoute: the lists of GatewayClasses and Gateways
   * (which Gateways are ours, their listeners), the Backends by id and the ReferenceGrants. A memo
   * compares them by identity.
   */
  record Inputs(
      List<GatewayClass> gatewayClasses,
      List<Gateway> gateways,
      Map<String, Backend> backendsById,
      List<ReferenceGrant> grants) {

    /** Whether both have the same instances, component by component, but for the Backends. */
    boolean sameButBackends(Inputs other) {
      return other != null
          && gatewayClasses == other.gatewayClasses
          && gateways == other.gateways
          && grants == other.grants;
    }
  }

  /**
   * One accepted parentRef: Gateway {@code gatewayId}, and for each listener taking the route (its
   * position in the Gateway's spec) the hostnames the route serves on it.
   */
  record Attachment(String gatewayId, List<Integer> listeners, List<List<String>> hosts) {
    Attachment {
      listeners = List.copyOf(listeners);
      hosts = List.copyOf(hosts);
    }

    /** {@code d}, an accepted decision about a Gateway whose listeners are {@code states}. */
    static Attachment of(RouteAttacher.Decision d, List<ListenerState> states) {
      List<Integer> listeners = new ArrayList<>();
      List<List<String>> hosts = new ArrayList<>();
      for (Map.Entry<ListenerState, List<String>> e : d.hostsByListener().entrySet()) {
        listeners.add(states.indexOf(e.getKey()));
        hosts.add(List.copyOf(e.getValue()));
      }
      return new Attachment(d.gatewayId(), listeners, hosts);
    }

    /** Adds {@code routes} to the listeners ({@code states}, this Gateway's) it names. */
    void attach(List<ListenerState> states, List<RouteModel> routes) {
      for (int i = 0; i < listeners.size(); i++) {
        ListenerState ls = states.get(listeners.get(i));
        ls.attached++;
        for (String host : hosts.get(i)) {
          ls.routesByHost.computeIfAbsent(host, h -> new LinkedHashSet<>()).addAll(routes);
        }
      }
    }
  }
}
