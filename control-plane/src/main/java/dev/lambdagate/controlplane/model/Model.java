package dev.lambdagate.controlplane.model;

import dev.lambdagate.controlplane.state.ResourceKey;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The whole intermediate representation of one {@code ClusterState}.
 *
 * @param gateways our Gateways, sorted by key
 * @param backendErrors every Backend with its own error (null = valid), sorted
 * @param routeParents for each HTTPRoute with a parent of ours, one result per such parentRef
 * @param generations {@code metadata.generation} of every object status is written for
 * @param serviceAccountConflicts Gateways (of {@code gateways}) whose proxy cannot have its
 *     ServiceAccount because a same-named account lambdagate did not create exists, with the
 *     message (only when {@link ModelOptions#ownServiceAccountsOnly()}), sorted
 */
public record Model(
    List<GatewayModel> gateways,
    SortedMap<ResourceKey, String> backendErrors,
    SortedMap<ResourceKey, List<RouteParentResult>> routeParents,
    Map<ResourceKey, Long> generations,
    SortedMap<ResourceKey, String> serviceAccountConflicts) {

  public Model {
    gateways = List.copyOf(gateways);
    // Copied once: a model made from another model's maps takes them as they are.
    backendErrors = FrozenSortedMap.of(backendErrors);
    routeParents = FrozenSortedMap.of(routeParents);
    // Already immutable when a patch overlaid a few generations on the last model's.
    generations = generations instanceof OverlaidMap ? generations : Map.copyOf(generations);
    serviceAccountConflicts = FrozenSortedMap.of(serviceAccountConflicts);
  }

  /** A model without ServiceAccount conflicts (file mode). */
  public Model(
      List<GatewayModel> gateways,
      SortedMap<ResourceKey, String> backendErrors,
      SortedMap<ResourceKey, List<RouteParentResult>> routeParents,
      Map<ResourceKey, Long> generations) {
    this(gateways, backendErrors, routeParents, generations, new TreeMap<>());
  }
}
