package dev.lambdagate.controlplane.model;

import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.state.ResourceKey;
import dev.lambdagate.controlplane.state.WebIdentityTokenSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
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

  /** Who depends on whom in the last state; null until first needed after a build. */
  private Dependants dependants;

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

  /** Forgets the dependants: a build may have moved objects to other positions. */
  void invalidate() {
    dependants = null;
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
    int[] routeChanges = changedPositions(before.httpRoutes(), now.httpRoutes());
    int[] backendChanges = changedPositions(before.backends(), now.backends());
    int[] secretChanges = changedPositions(before.secrets(), now.secrets());
    if (routeChanges == null || backendChanges == null || secretChanges == null) {
      return null;
    }
    int changes = routeChanges.length + backendChanges.length + secretChanges.length;
    if (changes == 0 || changes > MAX_CHANGES) {
      return null; // nothing changed in the cluster: something outside it did
    }
    BackendResolver.Validation validation =
        memo.lastValidation(before.backends(), before.secrets());
    if (validation == null) {
      return null;
    }
    if (dependants == null) {
      dependants = Dependants.of(before);
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

    Patch patch = new Patch(last);
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

    // The changed routes and those naming a changed Backend.
    TreeSet<Integer> routePositions = new TreeSet<>();
    for (int p : routeChanges) {
      routePositions.add(p);
    }
    for (String id : patch.changedBackendIds) {
      for (int r : dependants.routesByBackend.getOrDefault(id, NONE)) {
        routePositions.add(r);
      }
    }
    if (!routePositions.isEmpty()
        && !patchRoutes(before, now, ours, validation, routePositions, patch)) {
      return null;
    }
    for (int gi = 0; gi < ours.size(); gi++) {
      if (!patchVirtualHosts(gi, patch)) {
        return null;
      }
    }

    // It holds: record what it did where the next build looks.
    patch.commit(memo, now, validation);
    for (Map.Entry<Integer, String[]> e : patch.namedBackends.entrySet()) {
      dependants.renamed(e.getKey(), routeNames(before.httpRoutes().get(e.getKey())), e.getValue());
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
      Patch patch) {
    Map<String, Backend> byId = new HashMap<>(last.backendsById());
    Map<String, BackendValidator.Resolved> resolvedById = new HashMap<>(last.resolvedById());
    TreeMap<ResourceKey, String> errors = new TreeMap<>(last.errors());
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
      String oldError = errors.put(key, r.error());
      if (!Objects.equals(oldError, r.error())) {
        patch.errorsChanged = true;
      }
      patch.generation(key, ModelBuilder.generation(b));
      patch.changedBackendIds.add(id);
      patch.validatedBackends.put(id, b);
      patch.validatedSecrets.put(id, secret);
      patch.validatedResults.put(id, r);
      String oldSecretName = BackendResolver.secretName(before.backends().get(p));
      if (!Objects.equals(oldSecretName, secretName)) {
        patch.namedSecrets.put(p, new String[] {oldSecretName, secretName});
      }
    }
    return new BackendResolver.Validation(
        Collections.unmodifiableMap(byId),
        Collections.unmodifiableMap(resolvedById),
        Collections.unmodifiableSortedMap(errors));
  }

  /**
   * Resolves again, for Gateway {@code g}, the changed Backends it has a model of; false when one
   * is or becomes invalid.
   */
  private boolean patchBackends(
      Gateway g, int gi, GatewayModel gm, BackendResolver resolver, Patch patch) {
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

  /** Position of the backend with {@code id} in {@code backends} (sorted by id), or negative. */
  private static int indexOf(List<BackendModel> backends, String id) {
    int lo = 0;
    int hi = backends.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = backends.get(mid).id().compareTo(id);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  /** Attaches the routes at {@code positions} again; false when one cannot be patched in. */
  private boolean patchRoutes(
      ClusterState before,
      ClusterState now,
      List<Gateway> ours,
      BackendResolver.Validation validation,
      Set<Integer> positions,
      Patch patch) {
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
    for (int p : positions) {
      HTTPRoute old = before.httpRoutes().get(p);
      HTTPRoute route = now.httpRoutes().get(p);
      RouteOutcome o = memo.lastOutcome(old);
      if (o == null || route.getSpec() == null) {
        return false;
      }
      RouteOutcome n =
          ModelBuilder.outcome(route, attacher, listenersByGateway, refs, BuildMemo.NONE);
      if (!n.attachments().equals(o.attachments())
          || (n.parents() == null) != (o.parents() == null)
          || failsARef(o.refs())
          || failsARef(n.refs())
          || !backendIds(n.models()).equals(backendIds(o.models()))) {
        return false;
      }
      List<RouteModel> models = n.models().equals(o.models()) ? o.models() : n.models();
      List<RouteParentResult> parents =
          Objects.equals(n.parents(), o.parents()) ? o.parents() : n.parents();
      RouteOutcome merged = new RouteOutcome(n.refs(), parents, o.attachments(), models);
      ResourceKey key = ModelBuilder.key("HTTPRoute", route);
      if (parents != null) {
        patch.generation(key, ModelBuilder.generation(route));
        if (parents != o.parents()) {
          patch.routeParents.put(key, parents);
        }
      }
      if (models != o.models()) {
        patch.routes.put(key, merged);
      }
      patch.outcomes.add(new Object[] {old, route, inputs, merged});
      if (old != route) {
        String[] named = routeNames(route);
        if (!Arrays.equals(named, routeNames(old))) {
          patch.namedBackends.put(p, named);
        }
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
    Set<String> ids = new HashSet<>();
    for (RouteModel m : models) {
      for (RouteModel.WeightedBackend wb : m.backends()) {
        ids.add(wb.backendId());
      }
    }
    return ids;
  }

  /**
   * Swaps, in Gateway {@code gi}'s virtual hosts, the routes of the patched HTTPRoutes attached to
   * it; false when a new route ties with another in precedence.
   */
  private boolean patchVirtualHosts(int gi, Patch patch) {
    GatewayModel gm = patch.last.gateways().get(gi);
    String gwId = gm.nodeGroup();
    // The virtual hosts (port, host) each patched route is in, on this Gateway.
    Map<Integer, Map<String, List<RouteOutcome>>> byVhost = new TreeMap<>();
    Map<ResourceKey, RouteOutcome> routes = patch.routes;
    for (RouteOutcome o : routes.values()) {
      Set<String> seen = new HashSet<>();
      for (RouteOutcome.Attachment a : o.attachments()) {
        if (!a.gatewayId().equals(gwId)) {
          continue;
        }
        for (int i = 0; i < a.listeners().size(); i++) {
          ListenerModel lm = gm.listeners().get(a.listeners().get(i));
          if (!lm.programmed()) {
            continue;
          }
          for (String host : a.hosts().get(i)) {
            if (seen.add(lm.port() + " " + host)) {
              byVhost
                  .computeIfAbsent(lm.port(), k -> new HashMap<>())
                  .computeIfAbsent(host, k -> new ArrayList<>())
                  .add(o);
            }
          }
        }
      }
    }
    if (byVhost.isEmpty()) {
      return true;
    }
    Map<String, BackendModel> backends = memo.backendsOf(gwId);
    List<PortModel> ports = new ArrayList<>(gm.ports());
    for (Map.Entry<Integer, Map<String, List<RouteOutcome>>> pe : byVhost.entrySet()) {
      int pi = 0;
      while (pi < ports.size() && ports.get(pi).port() != pe.getKey()) {
        pi++;
      }
      if (pi == ports.size()) {
        return false;
      }
      PortModel port = ports.get(pi);
      List<VirtualHostModel> vhosts = new ArrayList<>(port.virtualHosts());
      for (Map.Entry<String, List<RouteOutcome>> he : pe.getValue().entrySet()) {
        int vi = 0;
        while (vi < vhosts.size() && !vhosts.get(vi).name().equals(he.getKey())) {
          vi++;
        }
        if (vi == vhosts.size()) {
          return false;
        }
        VirtualHostModel vh = vhosts.get(vi);
        List<RouteModel> swapped = swap(vh.routes(), he.getValue(), backends);
        if (swapped == null) {
          return false;
        }
        vhosts.set(vi, new VirtualHostModel(vh.name(), vh.domains(), swapped));
      }
      ports.set(pi, new PortModel(port.id(), port.port(), vhosts, port.tls()));
    }
    patch.ports[gi] = ports;
    return true;
  }

  /**
   * {@code routes} (in precedence order, strictly) without those of the HTTPRoutes of {@code
   * outcomes}, with their new ones inserted in order; null when one ties with another.
   */
  private static List<RouteModel> swap(
      List<RouteModel> routes, List<RouteOutcome> outcomes, Map<String, BackendModel> backends) {
    Set<ResourceKey> replaced = new HashSet<>();
    List<RouteModel> inserted = new ArrayList<>();
    for (RouteOutcome o : outcomes) {
      for (RouteModel m : o.models()) {
        replaced.add(m.route());
        inserted.add(ListenerAssembler.withBrokenBackends(m, backends));
      }
    }
    RouteModel[] kept = new RouteModel[routes.size() + inserted.size()];
    int n = 0;
    for (int i = 0; i < routes.size(); i++) {
      RouteModel r = routes.get(i);
      if (!replaced.contains(r.route())) {
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

  /** The {@code ns/name} of every backendRef of {@code route}, whatever its kind, sorted. */
  private static String[] routeNames(HTTPRoute route) {
    if (route.getSpec() == null || route.getSpec().getRules() == null) {
      return new String[0];
    }
    TreeSet<String> names = new TreeSet<>();
    String routeNs = route.getMetadata().getNamespace();
    for (HTTPRouteRule rule : route.getSpec().getRules()) {
      if (rule.getBackendRefs() == null) {
        continue;
      }
      for (HTTPBackendRef ref : rule.getBackendRefs()) {
        names.add(
            (ref.getNamespace() == null ? routeNs : ref.getNamespace()) + "/" + ref.getName());
      }
    }
    return names.toArray(new String[0]);
  }

  /** What one patch changes, gathered before anything is written. */
  private static final class Patch {
    final Model last;
    final List<BackendModel>[] backends;
    final List<GatewayModel.StsCluster>[] stsClusters;
    final List<PortModel>[] ports;
    final TreeSet<String> changedBackendIds = new TreeSet<>();
    final Map<String, Backend> validatedBackends = new HashMap<>();
    final Map<String, Secret> validatedSecrets = new HashMap<>();
    final Map<String, BackendValidator.Resolved> validatedResults = new HashMap<>();
    final Map<String, Map<String, BackendModel>> backendModels = new HashMap<>();
    final Map<ResourceKey, Long> generations = new HashMap<>();
    final Map<ResourceKey, List<RouteParentResult>> routeParents = new HashMap<>();
    final Map<ResourceKey, RouteOutcome> routes = new HashMap<>();
    final List<Object[]> outcomes = new ArrayList<>();
    final Map<Integer, String[]> namedBackends = new HashMap<>();
    final Map<Integer, String[]> namedSecrets = new HashMap<>();
    boolean errorsChanged;

    @SuppressWarnings("unchecked")
    Patch(Model last) {
      this.last = last;
      int n = last.gateways().size();
      backends = new List[n];
      stsClusters = new List[n];
      ports = new List[n];
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
      for (Object[] o : outcomes) {
        memo.patchOutcome(
            (HTTPRoute) o[0], (HTTPRoute) o[1], (RouteOutcome.Inputs) o[2], (RouteOutcome) o[3]);
      }
    }

    /** The patched model, or {@code last} when nothing in it changed. */
    Model model(Model last, BackendResolver.Validation validation) {
      List<GatewayModel> gateways = last.gateways();
      boolean gatewaysChanged = false;
      GatewayModel[] out = gateways.toArray(new GatewayModel[0]);
      for (int i = 0; i < out.length; i++) {
        if (backends[i] == null && ports[i] == null) {
          continue;
        }
        GatewayModel g = out[i];
        out[i] =
            new GatewayModel(
                g.gateway(),
                g.generation(),
                g.nodeGroup(),
                g.listeners(),
                ports[i] == null ? g.ports() : ports[i],
                backends[i] == null ? g.backends() : backends[i],
                stsClusters[i] == null ? g.stsClusters() : stsClusters[i],
                g.edgeLimits());
        gatewaysChanged = true;
      }
      if (!gatewaysChanged && !errorsChanged && generations.isEmpty() && routeParents.isEmpty()) {
        return last;
      }
      Map<ResourceKey, Long> gens = last.generations();
      if (!generations.isEmpty()) {
        Map<ResourceKey, Long> overlaid = OverlaidMap.of(gens, generations);
        if (overlaid == null) {
          overlaid = new HashMap<>(gens);
          overlaid.putAll(generations);
        }
        gens = overlaid;
      }
      java.util.SortedMap<ResourceKey, List<RouteParentResult>> parents = last.routeParents();
      if (!routeParents.isEmpty()) {
        TreeMap<ResourceKey, List<RouteParentResult>> p = new TreeMap<>(parents);
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
  }

  /**
   * Who depends on whom in one state, by position in its lists (which a patch keeps): the routes
   * naming each Backend ({@code ns/name}, whatever the ref's kind and whether it resolves), the
   * Backends naming each Secret, and where each Secret is.
   */
  private static final class Dependants {
    final Map<String, int[]> routesByBackend = new HashMap<>();
    final Map<String, int[]> backendsBySecret = new HashMap<>();
    final Map<String, Integer> secretPositions = new HashMap<>();

    static Dependants of(ClusterState state) {
      Dependants d = new Dependants();
      List<HTTPRoute> routes = state.httpRoutes();
      for (int p = 0; p < routes.size(); p++) {
        for (String name : routeNames(routes.get(p))) {
          add(d.routesByBackend, name, p);
        }
      }
      List<Backend> backends = state.backends();
      for (int p = 0; p < backends.size(); p++) {
        String secret = BackendResolver.secretName(backends.get(p));
        if (secret != null) {
          add(d.backendsBySecret, secret, p);
        }
      }
      List<Secret> secrets = state.secrets();
      for (int p = 0; p < secrets.size(); p++) {
        d.secretPositions.put(ModelBuilder.id(secrets.get(p)), p);
      }
      return d;
    }

    /** The route at {@code position} names {@code now} instead of {@code before}. */
    void renamed(int position, String[] before, String[] now) {
      for (String name : before) {
        remove(routesByBackend, name, position);
      }
      for (String name : now) {
        add(routesByBackend, name, position);
      }
    }

    /** The Backend at {@code position} names Secret {@code now} instead of {@code before}. */
    void resecreted(int position, String before, String now) {
      if (before != null) {
        remove(backendsBySecret, before, position);
      }
      if (now != null) {
        add(backendsBySecret, now, position);
      }
    }

    private static void add(Map<String, int[]> index, String key, int position) {
      int[] at = index.get(key);
      if (at == null) {
        index.put(key, new int[] {position});
      } else if (Arrays.binarySearch(at, position) < 0) {
        int[] more = Arrays.copyOf(at, at.length + 1);
        more[at.length] = position;
        Arrays.sort(more);
        index.put(key, more);
      }
    }

    private static void remove(Map<String, int[]> index, String key, int position) {
      int[] at = index.get(key);
      int i = at == null ? -1 : Arrays.binarySearch(at, position);
      if (i < 0) {
        return;
      }
      if (at.length == 1) {
        index.remove(key);
        return;
      }
      int[] less = new int[at.length - 1];
      System.arraycopy(at, 0, less, 0, i);
      System.arraycopy(at, i + 1, less, i, at.length - i - 1);
      index.put(key, less);
    }
  }
}
