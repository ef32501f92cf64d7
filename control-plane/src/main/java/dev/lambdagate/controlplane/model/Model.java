package dev.lambdagate.controlplane.model;

import dev.lambdagate.controlplane.state.ResourceKey;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The whole intermediate representation of one {@code ClusterState}.
 *
 * @param gateways our Gateways, sorted by key
 * @param backendErrors every Backend with its own error (null = valid), sorted
 * @param routeParents for each HTTPRoute with a parent of ours, one result per such parentRef
 * @param generations {@code metadata.generation} of every object status is written for
 */
public record Model(List<GatewayModel> gateways, SortedMap<ResourceKey, String> backendErrors,
    SortedMap<ResourceKey, List<RouteParentResult>> routeParents,
    Map<ResourceKey, Long> generations) {

  public Model {
    gateways = List.copyOf(gateways);
    backendErrors = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(backendErrors));
    routeParents = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(routeParents));
    generations = Map.copyOf(generations);
  }
}
