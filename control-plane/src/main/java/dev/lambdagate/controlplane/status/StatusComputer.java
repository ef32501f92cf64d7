package dev.lambdagate.controlplane.status;

import dev.lambdagate.controlplane.model.GatewayModel;
import dev.lambdagate.controlplane.model.ListenerModel;
import dev.lambdagate.controlplane.model.Model;
import dev.lambdagate.controlplane.model.ModelBuilder;
import dev.lambdagate.controlplane.model.RouteParentResult;
import dev.lambdagate.controlplane.state.ResourceKey;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteGroupKindBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatusBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Computes the {@link DesiredStatus} of a {@link Model} plus what the xDS server learnt (a
 * rejected configuration makes the Gateway {@code Programmed=False}, reason {@code Invalid}).
 * {@code lastTransitionTime} is left empty: the writer keeps or stamps it.
 */
public final class StatusComputer {

  private StatusComputer() {}

  /**
   * @param rejections per Gateway ({@code ns/name}), the latest NACK detail Envoy sent for the
   *     current configuration
   */
  public static DesiredStatus compute(Model model, Map<String, String> rejections) {
    TreeMap<ResourceKey, List<Condition>> backends = new TreeMap<>();
    model.backendErrors().forEach((k, error) -> {
      long gen = model.generations().getOrDefault(k, 0L);
      backends.put(k, List.of(error == null
          ? condition("Accepted", true, "Accepted", "Backend is valid", gen)
          : condition("Accepted", false, "Invalid", error, gen)));
    });

    TreeMap<ResourceKey, HTTPRouteStatus> routes = new TreeMap<>();
    model.routeParents().forEach((k, parents) -> {
      long gen = model.generations().getOrDefault(k, 0L);
      List<RouteParentStatus> ps = new ArrayList<>();
      for (RouteParentResult r : parents) {
        ps.add(new RouteParentStatusBuilder().withParentRef(r.parentRef())
            .withControllerName(ModelBuilder.CONTROLLER_NAME)
            .withConditions(
                condition("Accepted", r.accepted(), r.acceptedReason(), r.acceptedMessage(), gen),
                condition("ResolvedRefs", r.resolvedRefs(), r.resolvedRefsReason(),
                    r.resolvedRefsMessage(), gen))
            .build());
      }
      routes.put(k, new HTTPRouteStatusBuilder().withParents(ps).build());
    });

    TreeMap<ResourceKey, GatewayStatus> gateways = new TreeMap<>();
    for (GatewayModel g : model.gateways()) {
      long gen = g.generation();
      List<ListenerStatus> listeners = new ArrayList<>();
      for (ListenerModel l : g.listeners()) {
        List<Condition> cs = new ArrayList<>();
        if (l.unsupportedReason() != null) {
          cs.add(condition("Accepted", false, l.unsupportedReason(), l.message(), gen));
        } else {
          cs.add(condition("Accepted", true, "Accepted", "listener is accepted", gen));
        }
        cs.add(l.conflictReason() != null
            ? condition("Conflicted", true, l.conflictReason(), l.message(), gen)
            : condition("Conflicted", false, "NoConflicts", "no conflicts", gen));
        cs.add("InvalidRouteKinds".equals(l.unsupportedReason())
            ? condition("ResolvedRefs", false, "InvalidRouteKinds", l.message(), gen)
            : condition("ResolvedRefs", true, "ResolvedRefs", "references resolved", gen));
        cs.add(l.usable()
            ? condition("Programmed", true, "Programmed", "listener is programmed", gen)
            : condition("Programmed", false, "Invalid", l.message(), gen));
        listeners.add(new ListenerStatusBuilder().withName(l.name())
            .withAttachedRoutes(l.attachedRoutes())
            .withSupportedKinds(new RouteGroupKindBuilder().withGroup(ModelBuilder.GATEWAY_GROUP)
                .withKind("HTTPRoute").build())
            .withConditions(cs).build());
      }
      String rejected = rejections.get(g.nodeGroup());
      Condition programmed = rejected != null
          ? condition("Programmed", false, "Invalid", "Envoy rejected the configuration: "
              + rejected, gen)
          : condition("Programmed", true, "Programmed", "configuration is served over ADS to "
              + "Envoys of node group " + g.nodeGroup(), gen);
      gateways.put(g.gateway(), new GatewayStatusBuilder()
          .withConditions(condition("Accepted", true, "Accepted", "Gateway is accepted", gen),
              programmed)
          .withListeners(listeners).build());
    }
    return new DesiredStatus(backends, routes, gateways);
  }

  static Condition condition(String type, boolean status, String reason, String message,
      long generation) {
    return new ConditionBuilder().withType(type).withStatus(status ? "True" : "False")
        .withReason(reason).withMessage(message).withObservedGeneration(generation).build();
  }
}
