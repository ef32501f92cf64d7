package dev.lambdagate.controlplane.model;

import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.state.ResourceKey;
import dev.lambdagate.controlplane.state.SortedDiff;
import dev.lambdagate.controlplane.state.WebIdentityTokenSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.SecretObjectReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Patches the last model for a state that differs from the last one only in HTTPRoutes, Backends
 * and Secrets changed in place: the same objects (by namespace and name) at the same positions of
 * the state's lists, some of them new instances. It re-derives only what depends on those: a
 * changed Secret's Backends (an index from each Secret to the Backends naming it), a changed
 * Backend's validation and its model in each Gateway, the routes naming a changed Backend (an index
 * from each Backend to the routes naming it) and the changed routes, whose routes it swaps in their
 * virtual hosts, keeping the precedence order by binary search. The rest of the last model is taken
 * as it is, so a change costs what it changes (plus copying the model's maps).
 *
 * <p>It gives up (null: the caller builds) for anything else: an object created or deleted, a
 * change of another kind, no change at all (a session or token changed outside the state), a
 * Backend that is or becomes invalid (its routes may answer 500, which changes which backends the
 * Gateway programs), a route whose backendRefs fail, whose attachments or set of backends change, a
 * Secret an HTTPS listener presents, or two routes the precedence order cannot tell apart. The
 * result equals what a build gives ({@code IncrementalModelBuilderTest} checks it against one on
 * random changes).
 *
 * <p>Not thread-safe: one build at a time, with the {@link ModelMemo} of the same builder.
 */
final class ModelPatcher {
  /** More changed objects than this in one state: a build is about as cheap. */
  private static final int MAX_CHANGES = 256;

  private final ModelOptions options;
  private final WebIdentityTokenSource tokens;
  private final SessionCredentials sessions;
  private final ModelMemo memo;

  /** The Backends and HTTPRoutes the last successful patch re-derived. */
  private Set<ResourceKey> changedKeys = Set.of();

  /** The keys of the Backends and HTTPRoutes the last successful patch re-derived. */
  Set<ResourceKey> changedKeys() {
    return changedKeys;
  }

  /** Who depends on whom in the last state; null until first needed after a build. */
  private ModelDependants dependants;

  ModelPatcher(
      ModelOptions options,
      WebIdentityTokenSource tokens,
      SessionCredentials sessions,
      ModelMemo memo) {
    this.options = options;
    this.tokens = tokens;
    this.sessions = sessions;
    this.memo = memo;
  }

  /** Forgets the dependants and reference counts: a build may have changed anything. */
  void invalidate() {
    dependants = null;
    referenceCounts = null;
  }

  /** {@code last} patched from {@code before} to {@code now}, or null when it cannot be. */
  Model patch(ClusterState before, Model last, ClusterState now) {
    if (before.gatewayClasses() != now.gatewayClasses()
        || before.gateways() != now.gateways()
        || before.gatewayParameters() != now.gatewayParameters()
        || before.serviceAccounts() != now.serviceAccounts()
        || before.referenceGrants() != now.referenceGrants()) {
      return null;
    }
    List<HTTPRoute[]> routeChanges = changedRoutes(before.httpRoutes(), now.httpRoutes());
    int[] backendChanges = changedPositions(before.backends(), now.backends());
    int[] secretChanges = changedPositions(before.secrets(), now.secrets());
    if (routeChanges == null || backendChanges == null || secretChanges == null) {
      return null;
    }
    int changes = routeChanges.size() + backendChanges.length + secretChanges.length;
    if (changes == 0 || changes > MAX_CHANGES) {
      return null; // nothing changed in the cluster: something outside it did
    }
    BackendResolver.Validation validation =
        memo.lastValidation(before.backends(), before.secrets());
    if (validation == null) {
      return null;
    }
    if (dependants == null) {
      dependants = ModelDependants.of(before);
    }
    List<Gateway> ours = GatewayOwnership.ourGateways(now, options.gatewayClassNames());
    if (ours.size() != last.gateways().size()) {
      return null;
    }

    // A changed Secret changes the Backends naming it; one an HTTPS listener presents, the
    // listener (built, not patched).
    TreeSet<Integer> backendPositions = new TreeSet<>();
    for (int p : backendChanges) {
      backendPositions.add(p);
    }
    for (int p : secretChanges) {
      String id = ModelBuilder.id(now.secrets().get(p));
      if (presentedByListener(ours, id)) {
        return null;
      }
      for (int b : dependants.backendsBySecret.getOrDefault(id, NONE)) {
        backendPositions.add(b);
      }
    }

    ModelPatch patch = new ModelPatch(last, before);
    if (!backendPositions.isEmpty()) {
      validation = revalidate(before, now, backendPositions, validation, patch);
    }
    BackendResolver resolver = new BackendResolver(now, options, tokens, sessions, validation);
    for (int gi = 0; gi < ours.size(); gi++) {
      Gateway g = ours.get(gi);
      GatewayModel gm = last.gateways().get(gi);
      if (!gm.nodeGroup().equals(ModelBuilder.id(g))) {
        return null;
      }
      if (!patch.changedBackendIds.isEmpty() && !patchBackends(g, gi, gm, resolver, patch)) {
        return null;
      }
    }

    // The changed routes and those naming a changed Backend, by key.
    Map<ResourceKey, HTTPRoute[]> routes = new LinkedHashMap<>();
    for (HTTPRoute[] c : routeChanges) {
      routes.put(ModelBuilder.key("HTTPRoute", c[0] != null ? c[0] : c[1]), c);
    }
    for (String id : patch.changedBackendIds) {
      for (HTTPRoute r : dependants.routesByBackend.getOrDefault(id, Set.of())) {
        routes.putIfAbsent(ModelBuilder.key("HTTPRoute", r), new HTTPRoute[] {r, r});
      }
    }
    if (!routes.isEmpty() && !patchRoutes(now, ours, validation, routes.values(), patch)) {
      return null;
    }
    for (int gi = 0; gi < ours.size(); gi++) {
      String gwId = last.gateways().get(gi).nodeGroup();
      if (!patch.moved.isEmpty()
          && !PlacementPatcher.apply(
              ours.get(gi),
              gi,
              resolver,
              patch,
              memo.backendsOf(gwId),
              () -> patch.referenceCounts(this, gwId))) {
        return null;
      }
    }

    // It holds: record what it did where the next build looks.
    patch.commit(memo, now, validation);
    Set<ResourceKey> keys = new HashSet<>(routes.keySet());
    keys.addAll(patch.changedBackendKeys);
    changedKeys = keys;
    for (HTTPRoute[] c : patch.renamed) {
      dependants.renamed(c[0], c[1]);
    }
    for (Map.Entry<Integer, String[]> e : patch.namedSecrets.entrySet()) {
      dependants.resecreted(e.getKey(), e.getValue()[0], e.getValue()[1]);
    }
    return patch.model(last, validation);
  }

  private static final int[] NONE = new int[0];

  /**
   * The positions where {@code now} holds another instance than {@code before}; null when the two
   * differ in size or hold different objects (by namespace and name) at some position.
   */
  private static int[] changedPositions(
      List<? extends HasMetadata> before, List<? extends HasMetadata> now) {
    if (before == now) {
      return NONE;
    }
    int n = now.size();
    if (before.size() != n) {
      return null;
    }
    int[] out = NONE;
    int count = 0;
    for (int i = 0; i < n; i++) {
      HasMetadata a = before.get(i);
      HasMetadata b = now.get(i);
      if (a == b) {
        continue;
      }
      if (!Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace())
          || !Objects.equals(a.getMetadata().getName(), b.getMetadata().getName())
          || count == MAX_CHANGES) {
        return null;
      }
      if (count == out.length) {
        out = Arrays.copyOf(out, Math.max(4, count * 2));
      }
      out[count++] = i;
    }
    return Arrays.copyOf(out, count);
  }

  /** The last HTTPRoute list found sorted (a patch's {@code now} is the next one's before). */
  private List<HTTPRoute> checkedSorted;

  /**
   * The HTTPRoutes that differ between {@code before} and {@code now}, both sorted by namespace and
   * name (as the state sources hand them): {@code {old, new}} for one changed in place, {@code
   * {null, new}} for one created, {@code {old, null}} for one deleted; null when a list is not
   * sorted or more than {@link #MAX_CHANGES} differ.
   */
  private List<HTTPRoute[]> changedRoutes(List<HTTPRoute> before, List<HTTPRoute> now) {
    List<HTTPRoute[]> out = new ArrayList<>();
    if (before == now) {
      return out;
    }
    if ((before != checkedSorted && !sorted(before)) || !sorted(now)) {
      return null; // a merge could not tell what changed
    }
    checkedSorted = now;
    boolean few =
        SortedDiff.walk(
            before,
            now,
            ClusterState.BY_NAMESPACE_AND_NAME,
            (old, route) -> {
              out.add(new HTTPRoute[] {old, route});
              return out.size() <= MAX_CHANGES;
            });
    return few ? out : null;
  }

  /** Whether {@code objects} are strictly ascending by namespace and name. */
  private static boolean sorted(List<? extends HasMetadata> objects) {
    for (int i = 1; i < objects.size(); i++) {
      if (ClusterState.BY_NAMESPACE_AND_NAME.compare(objects.get(i - 1), objects.get(i)) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** Whether an HTTPS listener of {@code gateways} names Secret {@code id} as its certificate. */
  private static boolean presentedByListener(List<Gateway> gateways, String id) {
    for (Gateway g : gateways) {
      if (g.getSpec() == null || g.getSpec().getListeners() == null) {
        continue;
      }
      for (Listener l : g.getSpec().getListeners()) {
        if (l.getTls() == null || l.getTls().getCertificateRefs() == null) {
          continue;
        }
        for (SecretObjectReference ref : l.getTls().getCertificateRefs()) {
          String ns =
              ref.getNamespace() == null || ref.getNamespace().isEmpty()
                  ? g.getMetadata().getNamespace()
                  : ref.getNamespace();
          if (id.equals(ns + "/" + ref.getName())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** The validation with the Backends at {@code positions} validated again against {@code now}. */
  private BackendResolver.Validation revalidate(
      ClusterState before,
      ClusterState now,
      Set<Integer> positions,
      BackendResolver.Validation last,
      ModelPatch patch) {
    // Overlaid on the last maps rather than copies of 10,000 entries; the errors copied only
    // when one changed.
    Map<String, Backend> byId = new HashMap<>();
    Map<String, BackendValidator.Resolved> resolvedById = new HashMap<>();
    Map<ResourceKey, String> changedErrors = new HashMap<>();
    for (int p : positions) {
      Backend b = now.backends().get(p);
      String id = ModelBuilder.id(b);
      String secretName = BackendResolver.secretName(b);
      Integer at = secretName == null ? null : dependants.secretPositions.get(secretName);
      Secret secret = at == null ? null : now.secrets().get(at);
      BackendValidator.Resolved r =
          BackendValidator.resolve(
              b, secret == null ? Map.of() : Map.of(secretName, secret), options.endpointPolicy());
      byId.put(id, b);
      resolvedById.put(id, r);
      ResourceKey key = ModelBuilder.key("Backend", b);
      if (!Objects.equals(last.errors().get(key), r.error())) {
        changedErrors.put(key, r.error());
        patch.errorsChanged = true;
      }
      patch.generation(key, ModelBuilder.generation(b));
      patch.changedBackendIds.add(id);
      patch.changedBackendKeys.add(key);
      patch.validatedBackends.put(id, b);
      patch.validatedSecrets.put(id, secret);
      patch.validatedResults.put(id, r);
      String oldSecretName = BackendResolver.secretName(before.backends().get(p));
      if (!Objects.equals(oldSecretName, secretName)) {
        patch.namedSecrets.put(p, new String[] {oldSecretName, secretName});
      }
    }
    java.util.SortedMap<ResourceKey, String> errors = last.errors();
    if (!changedErrors.isEmpty()) {
      TreeMap<ResourceKey, String> copy = new TreeMap<>(errors);
      copy.putAll(changedErrors);
      errors = Collections.unmodifiableSortedMap(copy);
    }
    return new BackendResolver.Validation(
        OverlaidMap.of(last.backendsById(), byId, List.of()),
        OverlaidMap.of(last.resolvedById(), resolvedById, List.of()),
        errors);
  }

  /**
   * Resolves again, for Gateway {@code g}, the changed Backends it has a model of; false when one
   * is or becomes invalid.
   */
  private boolean patchBackends(
      Gateway g, int gi, GatewayModel gm, BackendResolver resolver, ModelPatch patch) {
    String gwId = gm.nodeGroup();
    String conflict = patch.last.serviceAccountConflicts().get(ModelBuilder.key("Gateway", g));
    Map<String, BackendModel> known = memo.backendsOf(gwId);
    BackendModel[] models = null;
    boolean stsChanged = false;
    for (String id : patch.changedBackendIds) {
      BackendModel old = known.get(id);
      if (old == null) {
        continue; // no route of this Gateway sends to it
      }
      // A Backend that exists before and after: what a failed ref would say is not asked.
      BackendModel fresh = resolver.backend(id, g, conflict, null);
      if (!old.valid() || !fresh.valid()) {
        return false;
      }
      if (fresh.equals(old)) {
        continue;
      }
      int at = PlacementPatcher.indexOf(gm.backends(), id);
      if (at < 0 || gm.backends().get(at) != old) {
        return false;
      }
      if (models == null) {
        models = gm.backends().toArray(new BackendModel[0]);
      }
      models[at] = fresh;
      stsChanged |= !stsClustersOf(old).equals(stsClustersOf(fresh));
      patch.backendModels.computeIfAbsent(gwId, k -> new HashMap<>()).put(id, fresh);
    }
    if (models != null) {
      List<BackendModel> list = List.of(models);
      patch.backends[gi] = list;
      patch.stsClusters[gi] = stsChanged ? BackendResolver.stsClusters(list) : null;
    }
    return true;
  }

  /** The credential clusters one backend needs. */
  private static List<GatewayModel.StsCluster> stsClustersOf(BackendModel b) {
    return BackendResolver.stsClusters(List.of(b));
  }

  /**
   * Attaches again each route of {@code changes} ({@code {old, new}}, either null for one created
   * or deleted); false when one cannot be patched in (a backendRef of it fails, before or after).
   */
  private boolean patchRoutes(
      ClusterState now,
      List<Gateway> ours,
      BackendResolver.Validation validation,
      java.util.Collection<HTTPRoute[]> changes,
      ModelPatch patch) {
    Map<String, Gateway> gatewaysById = new LinkedHashMap<>();
    Map<String, List<ListenerState>> listenersByGateway = new HashMap<>();
    for (Gateway g : ours) {
      // Attaching reads the listeners' verdicts, which certificates play no part in.
      gatewaysById.put(ModelBuilder.id(g), g);
      listenersByGateway.put(ModelBuilder.id(g), ListenerAssembler.listeners(g));
    }
    RouteAttacher attacher = new RouteAttacher(gatewaysById, listenersByGateway);
    BackendRefResolver refs =
        new BackendRefResolver(validation.backendsById(), now.referenceGrants());
    RouteOutcome.Inputs inputs =
        new RouteOutcome.Inputs(
            now.gatewayClasses(), now.gateways(), validation.backendsById(), now.referenceGrants());
    for (HTTPRoute[] change : changes) {
      HTTPRoute old = change[0];
      HTTPRoute route = change[1];
      RouteOutcome o = null;
      if (old != null && old.getSpec() != null) {
        o = memo.lastOutcome(old);
        if (o == null) {
          return false;
        }
      }
      RouteOutcome n =
          route == null || route.getSpec() == null
              ? null
              : ModelBuilder.outcome(route, attacher, listenersByGateway, refs, BuildMemo.NONE);
      if ((o != null && failsARef(o.refs())) || (n != null && failsARef(n.refs()))) {
        return false; // error backends are named by the first failing ref in route order
      }
      ResourceKey key = ModelBuilder.key("HTTPRoute", route != null ? route : old);
      List<RouteParentResult> oldParents = o == null ? null : o.parents();
      List<RouteParentResult> parents =
          n == null || n.parents() == null
              ? null
              : Objects.equals(n.parents(), oldParents) ? oldParents : n.parents();
      if (parents != null) {
        patch.generation(key, ModelBuilder.generation(route));
        if (parents != oldParents) {
          patch.routeParents.put(key, parents);
        }
      } else if (oldParents != null) {
        patch.removedKeys.add(key);
      }
      List<RouteModel> oldModels = o == null ? List.of() : o.models();
      List<RouteModel> models =
          n == null ? List.of() : n.models().equals(oldModels) ? oldModels : n.models();
      List<RouteOutcome.Attachment> oldAttachments = o == null ? List.of() : o.attachments();
      List<RouteOutcome.Attachment> attachments = n == null ? List.of() : n.attachments();
      if (models != oldModels || !attachments.equals(oldAttachments)) {
        patch.moved.add(new ModelPatch.Moved(key, oldAttachments, oldModels, attachments, models));
      }
      RouteOutcome merged =
          n == null ? null : new RouteOutcome(n.refs(), parents, attachments, models);
      patch.outcomes.add(new ModelPatch.OutcomeChange(old, route, inputs, merged));
      if (old != route) {
        patch.renamed.add(new HTTPRoute[] {old, route});
      }
    }
    return true;
  }

  /** Whether a backendRef of the route failed (it would name an error backend). */
  private static boolean failsARef(BackendRefResolver.RouteRefs refs) {
    for (List<BackendRefResolver.ResolvedRef> rule : refs.byRule()) {
      for (BackendRefResolver.ResolvedRef rr : rule) {
        if (rr.errorId() != null) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Per Gateway, per backend id: how many routes attached to it send to that backend (a route
   * counts once however many of its rules and parents do). Made from the last build's outcomes when
   * first needed after it, kept up to date by patches; null until then.
   */
  private Map<String, Map<String, int[]>> referenceCounts;

  Map<String, Map<String, int[]>> referenceCounts(ClusterState state) {
    if (referenceCounts == null) {
      Map<String, Map<String, int[]>> counts = new HashMap<>();
      for (HTTPRoute r : state.httpRoutes()) {
        RouteOutcome o = r.getSpec() == null ? null : memo.lastOutcome(r);
        if (o == null) {
          continue;
        }
        Set<String> gateways = new HashSet<>();
        for (RouteOutcome.Attachment a : o.attachments()) {
          gateways.add(a.gatewayId());
        }
        for (String gw : gateways) {
          Map<String, int[]> byId = counts.computeIfAbsent(gw, k -> new HashMap<>());
          for (String id : PlacementPatcher.backendIds(o.models())) {
            byId.computeIfAbsent(id, k -> new int[1])[0]++;
          }
        }
      }
      referenceCounts = counts;
    }
    return referenceCounts;
  }
}
