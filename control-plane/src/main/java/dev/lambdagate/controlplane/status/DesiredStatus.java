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
 * @param gatewayParameters {@code GatewayParameters.status.conditions} by key
 */
public record DesiredStatus(
    Map<ResourceKey, List<Condition>> backends,
    Map<ResourceKey, HTTPRouteStatus> httpRoutes,
    Map<ResourceKey, GatewayStatus> gateways,
    Map<ResourceKey, List<Condition>> gatewayParameters) {

  public DesiredStatus {
    backends = Map.copyOf(backends);
    httpRoutes = Map.copyOf(httpRoutes);
    gateways = Map.copyOf(gateways);
    gatewayParameters = Map.copyOf(gatewayParameters);
  }

  /** No GatewayParameters status. */
  public DesiredStatus(
      Map<ResourceKey, List<Condition>> backends,
      Map<ResourceKey, HTTPRouteStatus> httpRoutes,
      Map<ResourceKey, GatewayStatus> gateways) {
    this(backends, httpRoutes, gateways, Map.of());
  }

  /** This status with {@code gatewayParameters} in place of the GatewayParameters'. */
  public DesiredStatus withGatewayParameters(Map<ResourceKey, List<Condition>> gatewayParameters) {
    return new DesiredStatus(backends, httpRoutes, gateways, gatewayParameters);
  }
}
