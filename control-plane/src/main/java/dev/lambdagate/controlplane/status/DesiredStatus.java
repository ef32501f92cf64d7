package dev.lambdagate.controlplane.status;

import dev.lambdagate.controlplane.state.ResourceKey;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatus;
import java.util.List;
import java.util.Map;

/**
 * The status translation wants each object to show, computed from a {@code ClusterState}. The
 * status writer compares it with what the API server holds and writes only differences. Maps are
 * sorted by key so that output never flaps.
 *
 * @param backends {@code Backend.status.conditions} by Backend key
 * @param httpRoutes {@code HTTPRoute.status} by route key (only parents of our GatewayClass)
 * @param gateways {@code Gateway.status} by gateway key
 */
public record DesiredStatus(
    Map<ResourceKey, List<Condition>> backends,
    Map<ResourceKey, HTTPRouteStatus> httpRoutes,
    Map<ResourceKey, GatewayStatus> gateways) {

  public DesiredStatus {
    backends = Map.copyOf(backends);
    httpRoutes = Map.copyOf(httpRoutes);
    gateways = Map.copyOf(gateways);
  }
}
