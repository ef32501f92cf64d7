package dev.lambdagate.controlplane.model;

import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.state.ResourceKey;
import dev.lambdagate.controlplane.state.WebIdentityTokenSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds the {@link Model} of a {@link ClusterState}: picks our Gateways, attaches HTTPRoutes to
 * their listeners ({@link RouteAttacher}), resolves backendRefs ({@link BackendRefResolver}) and
 * Backends with their credentials ({@link BackendResolver}), turns rules into routes ({@link
 * RouteRuleConverter}) and assembles each Gateway's ports ({@link ListenerAssembler}), recording
 * every error. Pure: the same input (and the same sessions from its {@link SessionCredentials})
 * gives an equal model.
 *
 * <p>Thread-safe if its token and session sources are: each {@link #build} works on its own
 * objects.
 */
public final class ModelBuilder {
  public static final String ROLE_ARN_ANNOTATION = "eks.amazonaws.com/role-arn";
  public static final String GATEWAY_GROUP = "gateway.networking.k8s.io";

  private final ModelOptions options;
  private final WebIdentityTokenSource tokens;
  private final SessionCredentials sessions;

  /**
   * A builder without a session source: Backends whose Secret keys are to be exchanged ({@link
   * ModelOptions#exchangeSecretKeys()}) are never programmed (fail closed).
   */
  public ModelBuilder(ModelOptions options, WebIdentityTokenSource tokens) {
    this(options, tokens, SessionCredentials.none());
  }

  /**
   * @param sessions the session credentials pushed in place of Secrets' long-term keys; the model
   *     then also depends on what it returns (a new session is a new model)
   */
  public ModelBuilder(
      ModelOptions options, WebIdentityTokenSource tokens, SessionCredentials sessions) {
    this.options = options;
    this.tokens = tokens;
    this.sessions = sessions;
  }

  /** A patcher of this builder's models, remembering through {@code memo}. */
  ModelPatcher patcher(ModelMemo memo) {
    return new ModelPatcher(options, tokens, sessions, memo);
  }

  static ResourceKey key(String kind, HasMetadata o) {
    return new ResourceKey(kind, o.getMetadata().getNamespace(), o.getMetadata().getName());
  }

  static long generation(HasMetadata o) {
    Long g = o.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }

  static String id(HasMetadata o) {
    return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }

  /** The model of {@code state}, built from scratch. */
  public Model build(ClusterState state) {
    return build(state, BuildMemo.NONE);
  }

  /** The model of {@code state}, taking from {@code memo} what earlier builds computed. */
  Model build(ClusterState state, BuildMemo memo) {
    Map<ResourceKey, Long> generations = new HashMap<>();
    BackendResolver backends = new BackendResolver(state, options, tokens, sessions, memo);
    for (Backend b : state.backends()) {
      generations.put(key("Backend", b), generation(b));
    }

    // Our Gateways, sorted; in Kubernetes mode, those whose ServiceAccount is someone else's.
    List<Gateway> gateways = GatewayOwnership.ourGateways(state, options.gatewayClassNames());
    TreeMap<ResourceKey, String> serviceAccountConflicts = new TreeMap<>();
    if (options.ownServiceAccountsOnly()) {
      for (Gateway g : gateways) {
        GatewayOwnership.serviceAccountConflict(g, state.serviceAccounts())
            .ifPresent(m -> serviceAccountConflicts.put(key("Gateway", g), m));
      }
    }
    Map<String, Gateway> gatewaysById = new LinkedHashMap<>();
    Map<String, List<ListenerState>> listenersByGateway = new HashMap<>();
    ListenerCertificates certificates =
        new ListenerCertificates(state.secrets(), state.referenceGrants());
    for (Gateway g : gateways) {
      gatewaysById.put(id(g), g);
      listenersByGateway.put(id(g), ListenerAssembler.listeners(g, certificates));
      generations.put(key("Gateway", g), generation(g));
    }

    Attachments attachments =
        attachRoutes(
            state,
            new RouteAttacher(gatewaysById, listenersByGateway),
            listenersByGateway,
            backends.backendsById(),
            generations,
            memo);

    List<GatewayModel> models = new ArrayList<>();
    for (Gateway g : gateways) {
      String gwId = id(g);
      List<ListenerState> listeners = listenersByGateway.get(gwId);
      String conflict = serviceAccountConflicts.get(key("Gateway", g));
      Map<String, BackendModel> byId = new HashMap<>();
      for (String id : attachments.backendIdsByGateway().getOrDefault(gwId, Set.of())) {
        byId.put(
            id,
            memo.backend(
                gwId, backends.backend(id, g, conflict, attachments.unresolvedById().get(id))));
      }
      List<PortModel> ports = ListenerAssembler.ports(gwId, listeners, byId, memo);
      // Only backends some route still sends traffic to (a route whose every backend is broken
      // answers 500 itself).
      Set<String> used = new TreeSet<>();
      for (PortModel p : ports) {
        for (VirtualHostModel v : p.virtualHosts()) {
          // Indexed: an iterator per route and per backend list was most of what this allocated.
          List<RouteModel> routes = v.routes();
          for (int i = 0; i < routes.size(); i++) {
            List<RouteModel.WeightedBackend> wbs = routes.get(i).backends();
            for (int j = 0; j < wbs.size(); j++) {
              used.add(wbs.get(j).backendId());
            }
          }
        }
      }
      // Sorted by id (a TreeSet); every id a route still names was resolved above (ports only
      // drop destinations).
      List<BackendModel> backendModels = new ArrayList<>();
      for (String id : used) {
        backendModels.add(byId.get(id));
      }
      models.add(
          new GatewayModel(
              key("Gateway", g),
              generation(g),
              gwId,
              ListenerAssembler.listenerModels(listeners),
              ports,
              backendModels,
              BackendResolver.stsClusters(backendModels),
              GatewayInfrastructure.edgeLimits(state, g)));
    }
    return new Model(
        models,
        new TreeMap<>(backends.errors()),
        attachments.routeParents(),
        generations,
        serviceAccountConflicts);
  }

  /**
   * What attaching every route gave.
   *
   * @param routeParents per HTTPRoute with a parent of ours, one result per such parentRef
   * @param backendIdsByGateway the backend ids the routes attached to each Gateway send to
   * @param unresolvedById the first failed backendRef of each error backend id
   */
  private record Attachments(
      TreeMap<ResourceKey, List<RouteParentResult>> routeParents,
      Map<String, Set<String>> backendIdsByGateway,
      Map<String, BackendRefResolver.ResolvedRef> unresolvedById) {}

  private record KeyedRoute(ResourceKey key, HTTPRoute route) {}

  /**
   * Attaches every route, in a stable order, to the listeners of our Gateways its parentRefs name;
   * records the generation of those routes.
   */
  private static Attachments attachRoutes(
      ClusterState state,
      RouteAttacher attacher,
      Map<String, List<ListenerState>> listenersByGateway,
      Map<String, Backend> backendsById,
      Map<ResourceKey, Long> generations,
      BuildMemo memo) {
    List<ReferenceGrant> grants = state.referenceGrants();
    BackendRefResolver refs = new BackendRefResolver(backendsById, grants);
    RouteOutcome.Inputs inputs =
        new RouteOutcome.Inputs(state.gatewayClasses(), state.gateways(), backendsById, grants);
    // Each key made once (a comparator that makes them allocates two per comparison).
    List<KeyedRoute> routes = new ArrayList<>(state.httpRoutes().size());
    for (HTTPRoute r : state.httpRoutes()) {
      routes.add(new KeyedRoute(key("HTTPRoute", r), r));
    }
    routes.sort(Comparator.comparing(KeyedRoute::key));
    Attachments out = new Attachments(new TreeMap<>(), new HashMap<>(), new HashMap<>());
    for (KeyedRoute kr : routes) {
      HTTPRoute route = kr.route();
      if (route.getSpec() == null) {
        continue;
      }
      RouteOutcome o =
          memo.outcome(
              route, inputs, () -> outcome(route, attacher, listenersByGateway, refs, memo));
      apply(kr.key(), route, o, listenersByGateway, generations, out);
    }
    return out;
  }

  /** What attaching {@code route} gives, without attaching it yet. */
  static RouteOutcome outcome(
      HTTPRoute route,
      RouteAttacher attacher,
      Map<String, List<ListenerState>> listenersByGateway,
      BackendRefResolver refs,
      BuildMemo memo) {
    List<HTTPRouteRule> rules =
        route.getSpec().getRules() == null ? List.of() : route.getSpec().getRules();
    // Resolved once, whatever the number of parents: the outcome does not depend on them.
    BackendRefResolver.RouteRefs routeRefs =
        memo.refs(route, refs.backendsById(), refs.grants(), () -> refs.resolve(route, rules));
    if (route.getSpec().getParentRefs() == null) {
      return new RouteOutcome(routeRefs, null, List.of(), List.of());
    }
    List<RouteParentResult> results = new ArrayList<>();
    List<RouteOutcome.Attachment> attachments = new ArrayList<>();
    List<RouteModel> models = List.of();
    // Once per route, not per parent: it does not depend on the parent either.
    String unsupported = RouteRuleConverter.unsupportedValue(rules);
    for (ParentReference parent : route.getSpec().getParentRefs()) {
      RouteAttacher.Decision d = attacher.decide(route, parent);
      if (d == null) {
        continue;
      }
      results.add(parentResult(parent, d, unsupported, routeRefs));
      if (!d.accepted()) {
        continue;
      }
      if (attachments.isEmpty()) {
        models =
            memo.converted(
                route,
                routeRefs,
                () -> RouteRuleConverter.routeModels(route, rules, routeRefs.byRule()));
      }
      attachments.add(RouteOutcome.Attachment.of(d, listenersByGateway.get(d.gatewayId())));
    }
    return new RouteOutcome(
        routeRefs, results.isEmpty() ? null : memo.parents(route, results), attachments, models);
  }

  /** Records {@code o}, the outcome of {@code route}, and attaches its routes. */
  private static void apply(
      ResourceKey key,
      HTTPRoute route,
      RouteOutcome o,
      Map<String, List<ListenerState>> listenersByGateway,
      Map<ResourceKey, Long> generations,
      Attachments out) {
    // Error backends are named by the first ref (in route order) that fails with their id,
    // whether or not its route attaches anywhere.
    for (List<BackendRefResolver.ResolvedRef> rule : o.refs().byRule()) {
      for (BackendRefResolver.ResolvedRef rr : rule) {
        if (rr.errorId() != null) {
          out.unresolvedById().putIfAbsent(rr.errorId(), rr);
        }
      }
    }
    if (o.parents() == null) {
      return;
    }
    generations.put(key, generation(route));
    for (RouteOutcome.Attachment a : o.attachments()) {
      Set<String> ids =
          out.backendIdsByGateway().computeIfAbsent(a.gatewayId(), k -> new TreeSet<>());
      for (RouteModel m : o.models()) {
        for (RouteModel.WeightedBackend wb : m.backends()) {
          ids.add(wb.backendId());
        }
      }
      a.attach(listenersByGateway.get(a.gatewayId()), o.models());
    }
    out.routeParents().put(key, o.parents());
  }

  /**
   * The status of one parentRef. An attached route with a rule whose filters cannot apply is {@code
   * Accepted=False} ({@code UnsupportedValue}) although it stays attached: the other rules are
   * served, and that one answers 500 with the same message. So is a route with a match whose
   * regular expression RE2 does not compile: that match is left out, the rest is served.
   *
   * @param unsupported {@link RouteRuleConverter#unsupportedValue} of the route's rules
   */
  private static RouteParentResult parentResult(
      ParentReference parent,
      RouteAttacher.Decision d,
      String unsupported,
      BackendRefResolver.RouteRefs refs) {
    StatusReason reason = d.reason();
    String message = d.message();
    if (d.accepted() && unsupported != null) {
      reason = StatusReason.UNSUPPORTED_VALUE;
      message = unsupported;
    }
    return new RouteParentResult(
        parent,
        reason == StatusReason.ACCEPTED,
        reason,
        message,
        refs.resolved(),
        refs.reason(),
        refs.message());
  }
}
