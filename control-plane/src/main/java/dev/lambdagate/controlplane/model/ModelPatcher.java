package dev.lambdagate.controlplane.model;

import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.state.ResourceKey;
import dev.lambdagate.controlplane.state.SortedSearch;
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
      if (!patch.moved.isEmpty() && !patchPlacement(ours.get(gi), gi, resolver, patch)) {
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

  /**
   * The HTTPRoutes that differ between {@code before} and {@code now}, both sorted by namespace and
   * name (as the state sources hand them): {@code {old, new}} for one changed in place, {@code
   * {null, new}} for one created, {@code {old, null}} for one deleted; null when a list is not
   * sorted or more than {@link #MAX_CHANGES} differ.
   */
  /** The last HTTPRoute list found sorted (a patch's {@code now} is the next one's before). */
  private List<HTTPRoute> checkedSorted;

  private List<HTTPRoute[]> changedRoutes(List<HTTPRoute> before, List<HTTPRoute> now) {
    List<HTTPRoute[]> out = new ArrayList<>();
    if (before == now) {
      return out;
    }
    if ((before != checkedSorted && !sorted(before)) || !sorted(now)) {
      return null; // a merge could not tell what changed
    }
    checkedSorted = now;
    int i = 0;
    int j = 0;
    while (i < before.size() || j < now.size()) {
      HTTPRoute a = i < before.size() ? before.get(i) : null;
      HTTPRoute b = j < now.size() ? now.get(j) : null;
      if (a == b) {
        i++;
        j++;
        continue;
      }
      int c = a == null ? 1 : b == null ? -1 : compareNames(a, b);
      if (c == 0) {
        out.add(new HTTPRoute[] {a, b});
        i++;
        j++;
      } else if (c < 0) {
        out.add(new HTTPRoute[] {a, null});
        i++;
      } else {
        out.add(new HTTPRoute[] {null, b});
        j++;
      }
      if (out.size() > MAX_CHANGES) {
        return null;
      }
    }
    return out;
  }

  /** Whether {@code objects} are strictly ascending by namespace and name. */
  private static boolean sorted(List<? extends HasMetadata> objects) {
    for (int i = 1; i < objects.size(); i++) {
      if (compareNames(objects.get(i - 1), objects.get(i)) >= 0) {
        return false;
      }
    }
    return true;
  }

  private static int compareNames(HasMetadata a, HasMetadata b) {
    int c =
        Objects.toString(a.getMetadata().getNamespace(), "")
            .compareTo(Objects.toString(b.getMetadata().getNamespace(), ""));
    return c != 0 ? c : a.getMetadata().getName().compareTo(b.getMetadata().getName());
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
      int at = indexOf(gm.backends(), id);
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
   * Position of the backend with {@code id} in {@code backends} (sorted by id), or {@code
   * -(insertion point) - 1}.
   */
  private static int indexOf(List<BackendModel> backends, String id) {
    return SortedSearch.indexOf(backends, b -> b.id().compareTo(id));
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

  private static Set<String> backendIds(List<RouteModel> models) {
    Set<String> ids = new TreeSet<>();
    for (RouteModel m : models) {
      for (RouteModel.WeightedBackend wb : m.backends()) {
        ids.add(wb.backendId());
      }
    }
    return ids;
  }

  /**
   * Applies the moved routes to Gateway {@code gi}: its listeners' counts of attached routes, the
   * backends its routes send to (a backend no route of it sends to any more is dropped, one a route
   * sends to for the first time is resolved), and its virtual hosts, from which each moved route's
   * old routes are removed and into which its new ones are inserted in precedence order. False when
   * that would need a build: an invalid backend dropped or added, a virtual host created without
   * routes or emptied, a tie in precedence.
   */
  private boolean patchPlacement(Gateway g, int gi, BackendResolver resolver, ModelPatch patch) {
    GatewayModel gm = patch.last.gateways().get(gi);
    String gwId = gm.nodeGroup();
    int[] attached = new int[gm.listeners().size()];
    Map<String, Integer> referenced = new TreeMap<>();
    // Per port and host: the route keys to take out and the routes to put in.
    Map<Integer, Map<String, Set<ResourceKey>>> out = new TreeMap<>();
    Map<Integer, Map<String, List<RouteModel>>> in = new TreeMap<>();
    Map<String, BackendModel> known = memo.backendsOf(gwId);
    boolean touched = false;
    for (ModelPatch.Moved m : patch.moved) {
      boolean was =
          visitAttachments(
              m.oldAttachments(),
              gm,
              attached,
              -1,
              (port, host) ->
                  out.computeIfAbsent(port, k -> new TreeMap<>())
                      .computeIfAbsent(host, k -> new HashSet<>())
                      .add(m.key()));
      boolean is =
          visitAttachments(
              m.attachments(),
              gm,
              attached,
              1,
              (port, host) -> {
                List<RouteModel> into =
                    in.computeIfAbsent(port, k -> new TreeMap<>())
                        .computeIfAbsent(host, k -> new ArrayList<>());
                for (RouteModel r : m.models()) {
                  into.add(ListenerAssembler.withBrokenBackends(r, known));
                }
              });
      if ((was && !countReferences(m.oldModels(), -1, referenced, known))
          || (is && !countReferences(m.models(), 1, referenced, known))) {
        return false;
      }
      touched |= was || is;
    }
    if (!touched) {
      return true;
    }

    // Listeners: their counts of attached routes.
    List<ListenerModel> listeners = gm.listeners();
    for (int i = 0; i < attached.length; i++) {
      if (attached[i] != 0) {
        if (listeners == gm.listeners()) {
          listeners = new ArrayList<>(gm.listeners());
        }
        ListenerModel l = listeners.get(i);
        listeners.set(
            i,
            new ListenerModel(
                l.name(),
                l.port(),
                l.protocol(),
                l.hostname(),
                l.conflictReason(),
                l.unsupportedReason(),
                l.message(),
                l.attachedRoutes() + attached[i],
                l.refsReason(),
                l.refsMessage(),
                l.programmed()));
      }
    }
    if (listeners != gm.listeners()) {
      patch.listeners[gi] = List.copyOf(listeners);
    }

    // Backends: those no route sends to any more, and those a route sends to for the first time.
    referenced.values().removeIf(v -> v == 0);
    Map<String, int[]> counts = referenced.isEmpty() ? Map.of() : patch.referenceCounts(this, gwId);
    List<BackendModel> backends = patch.backends[gi] != null ? patch.backends[gi] : gm.backends();
    List<BackendModel> edited = null;
    for (Map.Entry<String, Integer> e : referenced.entrySet()) {
      String id = e.getKey();
      int[] count = counts.computeIfAbsent(id, k -> new int[1]);
      int before = count[0];
      count[0] += e.getValue();
      if (count[0] < 0) {
        return false; // the counts do not know this route: build
      }
      if (before > 0 && count[0] == 0) {
        BackendModel old = known.get(id);
        if (old == null || !old.valid()) {
          return false;
        }
        if (edited == null) {
          edited = new ArrayList<>(backends);
        }
        int at = indexOf(edited, id);
        if (at < 0) {
          return false;
        }
        edited.remove(at);
        patch.droppedBackends.computeIfAbsent(gwId, k -> new HashSet<>()).add(id);
      } else if (before == 0 && count[0] > 0) {
        String conflict = patch.last.serviceAccountConflicts().get(ModelBuilder.key("Gateway", g));
        BackendModel fresh = resolver.backend(id, g, conflict, null);
        if (!fresh.valid()) {
          return false;
        }
        if (edited == null) {
          edited = new ArrayList<>(backends);
        }
        int at = indexOf(edited, id);
        if (at >= 0) {
          return false;
        }
        edited.add(-at - 1, fresh);
        patch.backendModels.computeIfAbsent(gwId, k -> new HashMap<>()).put(id, fresh);
      }
    }
    if (edited != null) {
      List<BackendModel> list = List.copyOf(edited);
      patch.backends[gi] = list;
      patch.stsClusters[gi] = BackendResolver.stsClusters(list);
    }

    // Virtual hosts.
    List<PortModel> ports = new ArrayList<>(gm.ports());
    Set<Integer> portNumbers = new TreeSet<>(out.keySet());
    portNumbers.addAll(in.keySet());
    for (int port : portNumbers) {
      int pi = 0;
      while (pi < ports.size() && ports.get(pi).port() != port) {
        pi++;
      }
      if (pi == ports.size()) {
        return false;
      }
      PortModel pm = ports.get(pi);
      List<VirtualHostModel> vhosts = new ArrayList<>(pm.virtualHosts());
      Set<String> hosts = new TreeSet<>(out.getOrDefault(port, Map.of()).keySet());
      hosts.addAll(in.getOrDefault(port, Map.of()).keySet());
      for (String host : hosts) {
        Set<ResourceKey> removed = out.getOrDefault(port, Map.of()).getOrDefault(host, Set.of());
        List<RouteModel> inserted = in.getOrDefault(port, Map.of()).getOrDefault(host, List.of());
        int vi = 0;
        while (vi < vhosts.size() && vhosts.get(vi).name().compareTo(host) < 0) {
          vi++;
        }
        boolean exists = vi < vhosts.size() && vhosts.get(vi).name().equals(host);
        if (!exists && (inserted.isEmpty() || !removed.isEmpty())) {
          return false; // a host with no routes, or routes to remove from a host not there
        }
        List<RouteModel> current = exists ? vhosts.get(vi).routes() : List.of();
        List<RouteModel> swapped = swap(current, removed, inserted);
        if (swapped == null || swapped.isEmpty()) {
          return false; // a tie, or an emptied host (which a route without rules may keep)
        }
        VirtualHostModel vh = new VirtualHostModel(host, List.of(host), swapped);
        if (exists) {
          vhosts.set(vi, vh);
        } else {
          vhosts.add(vi, vh);
        }
      }
      ports.set(pi, new PortModel(pm.id(), pm.port(), vhosts, pm.tls()));
    }
    patch.ports[gi] = ports;
    return true;
  }

  /**
   * Goes through the {@code attachments} of one route to Gateway {@code gm}: adds {@code delta} to
   * the count of each listener they name ({@code attached}, by position) and hands each virtual
   * host they reach (port and host of a programmed listener) to {@code vhost} once. Whether any
   * attachment is to that Gateway.
   */
  private static boolean visitAttachments(
      List<RouteOutcome.Attachment> attachments,
      GatewayModel gm,
      int[] attached,
      int delta,
      java.util.function.BiConsumer<Integer, String> vhost) {
    boolean any = false;
    Set<String> seen = new HashSet<>();
    for (RouteOutcome.Attachment a : attachments) {
      if (!a.gatewayId().equals(gm.nodeGroup())) {
        continue;
      }
      any = true;
      for (int i = 0; i < a.listeners().size(); i++) {
        ListenerModel lm = gm.listeners().get(a.listeners().get(i));
        attached[a.listeners().get(i)] += delta;
        if (!lm.programmed()) {
          continue;
        }
        for (String host : a.hosts().get(i)) {
          if (seen.add(lm.port() + " " + host)) {
            vhost.accept(lm.port(), host);
          }
        }
      }
    }
    return any;
  }

  /**
   * Adds {@code delta} to {@code referenced} for each backend {@code models} send to; false when
   * one of them is a known invalid backend (see {@link #invalid}).
   */
  private static boolean countReferences(
      List<RouteModel> models,
      int delta,
      Map<String, Integer> referenced,
      Map<String, BackendModel> known) {
    for (String id : backendIds(models)) {
      referenced.merge(id, delta, Integer::sum);
      if (invalid(known, id)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether Gateway's backend {@code id} is known and invalid. A moved route sending to one needs a
   * build: whether the Gateway programs an invalid backend, and whether a route answers 500,
   * depends on whether the route has a valid backend beside it, which neither counts nor the moved
   * route alone tell.
   */
  private static boolean invalid(Map<String, BackendModel> known, String id) {
    BackendModel b = known.get(id);
    return b != null && !b.valid();
  }

  /**
   * {@code routes} (in precedence order, strictly) without those of the HTTPRoutes {@code removed},
   * with {@code inserted} put in order; null when one ties with another.
   */
  private static List<RouteModel> swap(
      List<RouteModel> routes, Set<ResourceKey> removed, List<RouteModel> inserted) {
    RouteModel[] kept = new RouteModel[routes.size() + inserted.size()];
    int n = 0;
    for (int i = 0; i < routes.size(); i++) {
      RouteModel r = routes.get(i);
      if (removed.isEmpty() || !removed.contains(r.route())) {
        kept[n++] = r;
      }
    }
    for (RouteModel m : inserted) {
      int lo = 0;
      int hi = n - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        int c = RoutePrecedence.ORDER.compare(kept[mid], m);
        if (c < 0) {
          lo = mid + 1;
        } else if (c > 0) {
          hi = mid - 1;
        } else {
          return null; // a tie: the order of insertion would decide, which a build knows
        }
      }
      System.arraycopy(kept, lo, kept, lo + 1, n - lo);
      kept[lo] = m;
      n++;
    }
    return List.of(Arrays.copyOf(kept, n));
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
          for (String id : backendIds(o.models())) {
            byId.computeIfAbsent(id, k -> new int[1])[0]++;
          }
        }
      }
      referenceCounts = counts;
    }
    return referenceCounts;
  }
}
