package dev.lambdagate.controlplane.model;

import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.state.ResourceKey;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one {@link ModelPatcher} patch changes, gathered before anything is written: the Gateways'
 * new backend lists, ports and listeners, the changed generations, route parents and errors, and
 * what the memo and the indexes are told once it holds. Confined to one patch.
 */
final class ModelPatch {
  final Model last;
  final ClusterState before;
  final List<BackendModel>[] backends;
  final List<GatewayModel.StsCluster>[] stsClusters;
  final List<PortModel>[] ports;
  final List<ListenerModel>[] listeners;
  final TreeSet<String> changedBackendIds = new TreeSet<>();
  final Set<ResourceKey> changedBackendKeys = new HashSet<>();
  final Map<String, Backend> validatedBackends = new HashMap<>();
  final Map<String, Secret> validatedSecrets = new HashMap<>();
  final Map<String, BackendValidator.Resolved> validatedResults = new HashMap<>();
  final Map<String, Map<String, BackendModel>> backendModels = new HashMap<>();
  final Map<String, Set<String>> droppedBackends = new HashMap<>();
  final Map<ResourceKey, Long> generations = new HashMap<>();
  final Set<ResourceKey> removedKeys = new HashSet<>();
  final Map<ResourceKey, List<RouteParentResult>> routeParents = new HashMap<>();
  final List<Moved> moved = new ArrayList<>();
  final List<OutcomeChange> outcomes = new ArrayList<>();
  final List<HTTPRoute[]> renamed = new ArrayList<>();
  final Map<Integer, String[]> namedSecrets = new HashMap<>();

  boolean errorsChanged;

  @SuppressWarnings("unchecked")
  ModelPatch(Model last, ClusterState before) {
    this.last = last;
    this.before = before;
    int n = last.gateways().size();
    backends = new List[n];
    stsClusters = new List[n];
    ports = new List[n];
    listeners = new List[n];
  }

  /**
   * Gateway {@code gwId}'s reference counts, changed in place: a patch that fails is followed by a
   * build, which forgets them ({@link ModelPatcher#invalidate}).
   */
  Map<String, int[]> referenceCounts(ModelPatcher patcher, String gwId) {
    return patcher.referenceCounts(before).computeIfAbsent(gwId, g -> new HashMap<>());
  }

  void generation(ResourceKey key, long generation) {
    Long was = last.generations().get(key);
    if (was == null || was != generation) {
      generations.put(key, generation);
    }
  }

  void commit(ModelMemo memo, ClusterState now, BackendResolver.Validation validation) {
    memo.patchValidation(
        now.backends(),
        now.secrets(),
        validation,
        validatedBackends,
        validatedSecrets,
        validatedResults);
    backendModels.forEach((gw, models) -> models.values().forEach(m -> memo.patchBackend(gw, m)));
    droppedBackends.forEach((gw, ids) -> ids.forEach(id -> memo.dropBackend(gw, id)));
    for (OutcomeChange o : outcomes) {
      memo.patchOutcome(o.before(), o.now(), o.inputs(), o.outcome());
    }
  }

  /** The patched model, or {@code last} when nothing in it changed. */
  Model model(Model last, BackendResolver.Validation validation) {
    List<GatewayModel> gateways = last.gateways();
    boolean gatewaysChanged = false;
    GatewayModel[] out = gateways.toArray(new GatewayModel[0]);
    for (int i = 0; i < out.length; i++) {
      if (backends[i] == null && ports[i] == null && listeners[i] == null) {
        continue;
      }
      GatewayModel g = out[i];
      out[i] =
          new GatewayModel(
              g.gateway(),
              g.generation(),
              g.nodeGroup(),
              listeners[i] == null ? g.listeners() : listeners[i],
              ports[i] == null ? g.ports() : ports[i],
              backends[i] == null ? g.backends() : backends[i],
              stsClusters[i] == null ? g.stsClusters() : stsClusters[i],
              g.edgeLimits());
      gatewaysChanged = true;
    }
    if (!gatewaysChanged
        && !errorsChanged
        && generations.isEmpty()
        && removedKeys.isEmpty()
        && routeParents.isEmpty()) {
      return last;
    }
    Map<ResourceKey, Long> gens = last.generations();
    if (!generations.isEmpty() || !removedKeys.isEmpty()) {
      gens = OverlaidMap.of(gens, generations, removedKeys);
    }
    java.util.SortedMap<ResourceKey, List<RouteParentResult>> parents = last.routeParents();
    if (!routeParents.isEmpty() || !removedKeys.isEmpty()) {
      TreeMap<ResourceKey, List<RouteParentResult>> p = new TreeMap<>(parents);
      p.keySet().removeAll(removedKeys);
      p.putAll(routeParents);
      parents = p;
    }
    return new Model(
        gatewaysChanged ? List.of(out) : gateways,
        errorsChanged ? validation.errors() : last.backendErrors(),
        parents,
        gens,
        last.serviceAccountConflicts());
  }

  /** A route whose placement changed: where it was attached and its routes, and where it is now. */
  record Moved(
      ResourceKey key,
      List<RouteOutcome.Attachment> oldAttachments,
      List<RouteModel> oldModels,
      List<RouteOutcome.Attachment> attachments,
      List<RouteModel> models) {}

  /**
   * What the memo is told of one route: {@code now}'s outcome (null: none, the route is gone or has
   * no spec), given {@code inputs}, in place of {@code before}'s (null: it is new).
   */
  record OutcomeChange(
      HTTPRoute before, HTTPRoute now, RouteOutcome.Inputs inputs, RouteOutcome outcome) {}
}
