package dev.lambdagate.controlplane.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lambdagate.config.AwsRegion;
import dev.lambdagate.config.Endpoint;
import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.crd.GatewayParameters;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.state.ResourceKey;
import dev.lambdagate.controlplane.state.WebIdentityTokenSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeader;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPQueryParamMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteGroupKind;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link Model} of a {@link ClusterState}: picks our Gateways, attaches HTTPRoutes to
 * their listeners, resolves backendRefs to Backends (with credentials), records every error, and
 * renders each Gateway's filter JSON. Pure: the same input (and the same sessions from its {@link
 * SessionCredentials}) gives an equal model.
 */
public final class ModelBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(ModelBuilder.class);

  public static final String ROLE_ARN_ANNOTATION = "eks.amazonaws.com/role-arn";
  public static final String GATEWAY_GROUP = "gateway.networking.k8s.io";
  static final String BACKEND_GROUP = Backend.GROUP;

  private static final ObjectMapper JSON = new ObjectMapper();

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

  private static ResourceKey key(String kind, HasMetadata o) {
    return new ResourceKey(kind, o.getMetadata().getNamespace(), o.getMetadata().getName());
  }

  private static long generation(HasMetadata o) {
    Long g = o.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }

  /** A backendRef after resolution (independent of the Gateway). */
  private record RefResult(
      String reason,
      String message,
      Backend backend,
      String errorId,
      String errorCluster,
      int weight) {}

  /** A listener with what is attached to it. */
  private static final class ListenerState {
    final Listener listener;
    String conflict;
    String unsupported;
    String message;
    int attached;

    /** Insertion-ordered sets: a route reached twice is kept once, where it first came. */
    final Map<String, LinkedHashSet<RouteModel>> routesByHost = new TreeMap<>();

    ListenerState(Listener l) {
      this.listener = l;
    }

    boolean usable() {
      return conflict == null && unsupported == null;
    }
  }

  public Model build(ClusterState state) {
    Map<String, Secret> secrets = new HashMap<>();
    for (Secret s : state.secrets()) {
      secrets.put(s.getMetadata().getNamespace() + "/" + s.getMetadata().getName(), s);
    }
    Map<String, Backend> backends = new HashMap<>();
    for (Backend b : state.backends()) {
      backends.put(b.getMetadata().getNamespace() + "/" + b.getMetadata().getName(), b);
    }
    Map<ResourceKey, Long> generations = new HashMap<>();
    TreeMap<ResourceKey, String> backendErrors = new TreeMap<>();
    Map<String, BackendValidator.Resolved> resolvedBackends = new HashMap<>();
    for (Backend b : state.backends()) {
      BackendValidator.Resolved r = BackendValidator.resolve(b, secrets, options.endpointPolicy());
      resolvedBackends.put(b.getMetadata().getNamespace() + "/" + b.getMetadata().getName(), r);
      ResourceKey k = key("Backend", b);
      backendErrors.put(k, r.error());
      generations.put(k, generation(b));
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
    Map<String, Gateway> gatewaysByName = new LinkedHashMap<>();
    Map<String, List<ListenerState>> listenersByGateway = new HashMap<>();
    for (Gateway g : gateways) {
      String id = g.getMetadata().getNamespace() + "/" + g.getMetadata().getName();
      gatewaysByName.put(id, g);
      listenersByGateway.put(id, listenerStates(g));
      generations.put(key("Gateway", g), generation(g));
    }

    // Routes, in a stable order.
    List<HTTPRoute> routes = new ArrayList<>(state.httpRoutes());
    routes.sort(Comparator.comparing(r -> key("HTTPRoute", r)));
    TreeMap<ResourceKey, List<RouteParentResult>> routeParents = new TreeMap<>();
    Map<String, Set<String>> gatewayBackendIds = new HashMap<>();
    for (HTTPRoute route : routes) {
      if (route.getSpec() == null || route.getSpec().getParentRefs() == null) {
        continue;
      }
      String routeNs = route.getMetadata().getNamespace();
      ResourceKey routeKey = key("HTTPRoute", route);
      List<RouteParentResult> results = new ArrayList<>();
      // backendRefs resolution, shared by all parents.
      List<HTTPRouteRule> rules =
          route.getSpec().getRules() == null ? List.of() : route.getSpec().getRules();
      List<List<RefResult>> refsByRule = new ArrayList<>();
      String refReason = "ResolvedRefs";
      String refMessage = "all backendRefs resolved";
      for (HTTPRouteRule rule : rules) {
        List<RefResult> refs = new ArrayList<>();
        if (rule.getBackendRefs() != null) {
          for (HTTPBackendRef ref : rule.getBackendRefs()) {
            RefResult rr = resolveRef(routeNs, ref, backends, state.referenceGrants());
            refs.add(rr);
            if (rr.reason() != null && refReason.equals("ResolvedRefs")) {
              refReason = rr.reason();
              refMessage = rr.message();
            }
          }
        }
        refsByRule.add(refs);
      }
      for (ParentReference parent : route.getSpec().getParentRefs()) {
        String group = parent.getGroup() == null ? GATEWAY_GROUP : parent.getGroup();
        String kind = parent.getKind() == null ? "Gateway" : parent.getKind();
        if (!group.equals(GATEWAY_GROUP) || !kind.equals("Gateway")) {
          continue;
        }
        String gwNs = parent.getNamespace() == null ? routeNs : parent.getNamespace();
        String gwId = gwNs + "/" + parent.getName();
        Gateway gw = gatewaysByName.get(gwId);
        if (gw == null) {
          continue;
        }
        generations.put(routeKey, generation(route));
        List<ListenerState> candidates = new ArrayList<>();
        for (ListenerState ls : listenersByGateway.get(gwId)) {
          if (parent.getSectionName() != null
              && !parent.getSectionName().equals(ls.listener.getName())) {
            continue;
          }
          if (parent.getPort() != null && !parent.getPort().equals(ls.listener.getPort())) {
            continue;
          }
          candidates.add(ls);
        }
        String acceptedReason = "Accepted";
        String acceptedMessage = "attached to Gateway " + gwId;
        List<ListenerState> attached = new ArrayList<>();
        Map<ListenerState, List<String>> hostsByListener = new HashMap<>();
        if (candidates.isEmpty()) {
          acceptedReason = "NoMatchingParent";
          acceptedMessage = "Gateway " + gwId + " has no listener matching sectionName/port";
        } else {
          boolean anyAllowed = false;
          for (ListenerState ls : candidates) {
            if (!ls.usable() || !allows(ls.listener, gw, routeNs)) {
              continue;
            }
            anyAllowed = true;
            List<String> hosts =
                hostnames(ls.listener.getHostname(), route.getSpec().getHostnames());
            if (!hosts.isEmpty()) {
              attached.add(ls);
              hostsByListener.put(ls, hosts);
            }
          }
          if (!anyAllowed) {
            acceptedReason = "NotAllowedByListeners";
            acceptedMessage =
                "no listener of Gateway " + gwId + " allows routes from namespace " + routeNs;
          } else if (attached.isEmpty()) {
            acceptedReason = "NoMatchingListenerHostname";
            acceptedMessage = "no hostname of the route matches a listener of Gateway " + gwId;
          }
        }
        String unsupported = acceptedReason.equals("Accepted") ? unsupportedFilter(rules) : null;
        if (unsupported != null) {
          // The other rules are served; this one answers 500 with the same message.
          acceptedReason = "UnsupportedValue";
          acceptedMessage = unsupported;
        }
        results.add(
            new RouteParentResult(
                parent,
                acceptedReason.equals("Accepted"),
                acceptedReason,
                acceptedMessage,
                refReason.equals("ResolvedRefs"),
                refReason,
                refMessage));
        if (attached.isEmpty()) {
          continue;
        }
        List<RouteModel> models = routeModels(route, rules, refsByRule);
        Set<String> ids = gatewayBackendIds.computeIfAbsent(gwId, k -> new TreeSet<>());
        for (RouteModel m : models) {
          for (RouteModel.WeightedBackend wb : m.backends()) {
            ids.add(wb.backendId());
          }
        }
        for (ListenerState ls : attached) {
          ls.attached++;
          for (String host : hostsByListener.get(ls)) {
            ls.routesByHost.computeIfAbsent(host, h -> new LinkedHashSet<>()).addAll(models);
          }
        }
      }
      if (!results.isEmpty()) {
        routeParents.put(routeKey, List.copyOf(results));
      }
    }

    // Error backends that come from unresolved refs (id -> message).
    Map<String, RefResult> refErrorsById = new HashMap<>();
    for (HTTPRoute route : routes) {
      if (route.getSpec() == null || route.getSpec().getRules() == null) {
        continue;
      }
      for (HTTPRouteRule rule : route.getSpec().getRules()) {
        if (rule.getBackendRefs() == null) {
          continue;
        }
        for (HTTPBackendRef ref : rule.getBackendRefs()) {
          RefResult rr =
              resolveRef(
                  route.getMetadata().getNamespace(), ref, backends, state.referenceGrants());
          if (rr.errorId() != null) {
            refErrorsById.putIfAbsent(rr.errorId(), rr);
          }
        }
      }
    }

    List<GatewayModel> models = new ArrayList<>();
    for (Gateway g : gateways) {
      String gwId = g.getMetadata().getNamespace() + "/" + g.getMetadata().getName();
      List<ListenerState> states = listenersByGateway.get(gwId);
      List<ListenerModel> listenerModels = new ArrayList<>();
      TreeMap<Integer, TreeMap<String, LinkedHashSet<RouteModel>>> byPort = new TreeMap<>();
      for (ListenerState ls : states) {
        listenerModels.add(
            new ListenerModel(
                ls.listener.getName(),
                ls.listener.getPort() == null ? 0 : ls.listener.getPort(),
                ls.listener.getProtocol(),
                ls.listener.getHostname(),
                ls.conflict,
                ls.unsupported,
                ls.message,
                ls.attached));
        if (!ls.usable()) {
          continue;
        }
        TreeMap<String, LinkedHashSet<RouteModel>> hosts =
            byPort.computeIfAbsent(ls.listener.getPort(), p -> new TreeMap<>());
        for (Map.Entry<String, LinkedHashSet<RouteModel>> e : ls.routesByHost.entrySet()) {
          hosts.computeIfAbsent(e.getKey(), h -> new LinkedHashSet<>()).addAll(e.getValue());
        }
      }
      // Backends of this Gateway, with credentials.
      List<BackendModel> backendModels = new ArrayList<>();
      TreeMap<String, GatewayModel.StsCluster> sts = new TreeMap<>();
      for (String id : gatewayBackendIds.getOrDefault(gwId, Set.of())) {
        BackendValidator.Resolved r = resolvedBackends.get(id);
        Backend b = backends.get(id);
        if (r == null || b == null) {
          RefResult rr = refErrorsById.get(id);
          backendModels.add(
              new BackendModel(
                  id,
                  rr == null ? clusterFor(id) : rr.errorCluster(),
                  null,
                  null,
                  null,
                  rr == null ? "backend " + id + " not found" : rr.message()));
          continue;
        }
        String ns = b.getMetadata().getNamespace();
        String name = b.getMetadata().getName();
        String cluster = BackendModel.clusterName(ns, name);
        ResourceKey bk = key("Backend", b);
        if (r.error() != null) {
          backendModels.add(
              new BackendModel(id, cluster, bk, null, null, "Backend " + id + ": " + r.error()));
          continue;
        }
        if (r.inline() != null) {
          backendModels.add(
              new BackendModel(
                  id,
                  cluster,
                  bk,
                  r.lambda(),
                  chained(r, secretCredentials(r, exchangeSecretKeys(state, g)), sts),
                  null));
          continue;
        }
        // The Gateway's identity (IRSA).
        String sa = g.getMetadata().getName();
        String gwNs = g.getMetadata().getNamespace();
        String conflict = serviceAccountConflicts.get(key("Gateway", g));
        if (conflict != null) {
          // Never the role of an account lambdagate did not create (no token is minted for it).
          backendModels.add(
              new BackendModel(id, cluster, bk, null, null, "Backend " + id + ": " + conflict));
          continue;
        }
        String roleArn = roleArn(state, g);
        if (roleArn == null) {
          backendModels.add(
              new BackendModel(
                  id,
                  cluster,
                  bk,
                  null,
                  null,
                  "Backend "
                      + id
                      + ": spec.aws.auth is absent and ServiceAccount "
                      + gwNs
                      + "/"
                      + sa
                      + " of Gateway "
                      + gwId
                      + " has no "
                      + ROLE_ARN_ANNOTATION
                      + " annotation"));
          continue;
        }
        Optional<String> token = tokens.token(gwNs, sa);
        if (token.isEmpty()) {
          backendModels.add(
              new BackendModel(
                  id,
                  cluster,
                  bk,
                  null,
                  null,
                  "Backend "
                      + id
                      + ": no web identity token for ServiceAccount "
                      + gwNs
                      + "/"
                      + sa
                      + " yet"));
          continue;
        }
        String region = r.lambda().region();
        Endpoint stsEndpoint = stsEndpoint(region);
        String stsCluster = "lambdagate-sts|" + region;
        sts.put(stsCluster, new GatewayModel.StsCluster(stsCluster, stsEndpoint));
        backendModels.add(
            new BackendModel(
                id,
                cluster,
                bk,
                r.lambda(),
                chained(
                    r,
                    new Credentials.WebIdentity(
                        roleArn, token.get(), region, stsEndpoint, stsCluster),
                    sts),
                null));
      }
      Map<String, BackendModel> byId = new HashMap<>();
      for (BackendModel bm : backendModels) {
        byId.put(bm.id(), bm);
      }
      List<PortModel> ports = new ArrayList<>();
      for (Map.Entry<Integer, TreeMap<String, LinkedHashSet<RouteModel>>> p : byPort.entrySet()) {
        List<VirtualHostModel> vhosts = new ArrayList<>();
        for (Map.Entry<String, LinkedHashSet<RouteModel>> h : p.getValue().entrySet()) {
          List<RouteModel> sorted = new ArrayList<>();
          for (RouteModel m : h.getValue()) {
            sorted.add(withBrokenBackends(m, byId));
          }
          sorted.sort(RoutePrecedence.ORDER);
          vhosts.add(new VirtualHostModel(h.getKey(), List.of(h.getKey()), sorted));
        }
        ports.add(new PortModel(gwId + "/" + p.getKey(), p.getKey(), vhosts));
      }
      // Only backends some route still sends traffic to (a route whose every backend is broken
      // answers 500 itself).
      Set<String> used = new TreeSet<>();
      for (PortModel p : ports) {
        for (VirtualHostModel v : p.virtualHosts()) {
          for (RouteModel r : v.routes()) {
            r.backends().forEach(wb -> used.add(wb.backendId()));
          }
        }
      }
      backendModels.removeIf(bm -> !used.contains(bm.id()));
      sts.clear();
      for (BackendModel bm : backendModels) {
        Credentials creds = bm.credentials();
        if (creds instanceof Credentials.Chained ch) {
          sts.put(ch.stsCluster(), new GatewayModel.StsCluster(ch.stsCluster(), ch.stsEndpoint()));
          creds = ch.base();
        }
        if (creds instanceof Credentials.WebIdentity w) {
          sts.put(w.stsCluster(), new GatewayModel.StsCluster(w.stsCluster(), w.stsEndpoint()));
        }
      }
      backendModels.sort(Comparator.comparing(BackendModel::id));
      String json = filterJson(backendModels, ports);
      models.add(
          new GatewayModel(
              key("Gateway", g),
              generation(g),
              gwId,
              listenerModels,
              ports,
              backendModels,
              List.copyOf(sts.values()),
              json,
              edgeLimits(state, g)));
    }
    return new Model(models, backendErrors, routeParents, generations, serviceAccountConflicts);
  }

  /** A route whose every destination is broken answers 500 with the first error. */
  private static RouteModel withBrokenBackends(RouteModel r, Map<String, BackendModel> byId) {
    if (r.directResponse() != null || r.backends().isEmpty()) {
      return r;
    }
    String firstError = null;
    for (RouteModel.WeightedBackend wb : r.backends()) {
      BackendModel b = byId.get(wb.backendId());
      if (b == null || b.valid()) {
        return r;
      }
      if (firstError == null) {
        firstError = b.error();
      }
    }
    return new RouteModel(
        r.name(),
        r.route(),
        r.rule(),
        r.match(),
        r.matchSpec(),
        List.of(),
        firstError,
        r.requestHeaders(),
        r.urlRewrite(),
        r.creationTimestamp(),
        r.timeoutMillis());
  }

  private static String clusterFor(String id) {
    int slash = id.indexOf('/');
    return BackendModel.clusterName(id.substring(0, slash), id.substring(slash + 1));
  }

  /**
   * The edge limits of a Gateway: the defaults with its GatewayParameters' {@code spec.edgeLimits}
   * applied. An override the CRD schema let through but that is out of Envoy's range is logged and
   * the defaults kept (Envoy would reject the whole listener).
   */
  private static EdgeLimits edgeLimits(ClusterState state, Gateway g) {
    GatewayParameters gp = parametersOf(state, g);
    if (gp == null || gp.getSpec() == null || gp.getSpec().edgeLimits() == null) {
      return EdgeLimits.DEFAULTS;
    }
    try {
      return EdgeLimits.DEFAULTS.with(gp.getSpec().edgeLimits());
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "GatewayParameters {}/{}: spec.edgeLimits: {}; using the defaults",
          gp.getMetadata().getNamespace(),
          gp.getMetadata().getName(),
          e.getMessage());
      return EdgeLimits.DEFAULTS;
    }
  }

  /** The GatewayParameters a Gateway's {@code infrastructure.parametersRef} names, or null. */
  private static GatewayParameters parametersOf(ClusterState state, Gateway g) {
    if (g.getSpec().getInfrastructure() == null
        || g.getSpec().getInfrastructure().getParametersRef() == null) {
      return null;
    }
    var ref = g.getSpec().getInfrastructure().getParametersRef();
    if (!"GatewayParameters".equals(ref.getKind())) {
      return null;
    }
    for (GatewayParameters gp : state.gatewayParameters()) {
      if (g.getMetadata().getNamespace().equals(gp.getMetadata().getNamespace())
          && ref.getName().equals(gp.getMetadata().getName())) {
        return gp;
      }
    }
    return null;
  }

  /** The role ARN of the Gateway's ServiceAccount, or of its GatewayParameters' annotations. */
  private static String roleArn(ClusterState state, Gateway g) {
    String ns = g.getMetadata().getNamespace();
    String name = g.getMetadata().getName();
    for (ServiceAccount sa : state.serviceAccounts()) {
      if (ns.equals(sa.getMetadata().getNamespace())
          && name.equals(sa.getMetadata().getName())
          && sa.getMetadata().getAnnotations() != null) {
        String arn = sa.getMetadata().getAnnotations().get(ROLE_ARN_ANNOTATION);
        if (arn != null && !arn.isBlank()) {
          return arn.strip();
        }
      }
    }
    if (g.getSpec().getInfrastructure() != null
        && g.getSpec().getInfrastructure().getParametersRef() != null) {
      var ref = g.getSpec().getInfrastructure().getParametersRef();
      if ("GatewayParameters".equals(ref.getKind())) {
        for (GatewayParameters gp : state.gatewayParameters()) {
          if (ns.equals(gp.getMetadata().getNamespace())
              && ref.getName().equals(gp.getMetadata().getName())
              && gp.getSpec() != null
              && gp.getSpec().kube() != null
              && gp.getSpec().kube().serviceAccount() != null
              && gp.getSpec().kube().serviceAccount().extraAnnotations() != null) {
            String arn =
                gp.getSpec().kube().serviceAccount().extraAnnotations().get(ROLE_ARN_ANNOTATION);
            if (arn != null && !arn.isBlank()) {
              return arn.strip();
            }
          }
        }
      }
    }
    return null;
  }

  private List<ListenerState> listenerStates(Gateway g) {
    List<ListenerState> states = new ArrayList<>();
    if (g.getSpec().getListeners() == null) {
      return states;
    }
    for (Listener l : g.getSpec().getListeners()) {
      ListenerState ls = new ListenerState(l);
      if (!"HTTP".equals(l.getProtocol())) {
        ls.unsupported = "UnsupportedProtocol";
        ls.message = "protocol " + l.getProtocol() + " is not supported (lambdagate serves HTTP)";
      } else if (l.getPort() == null || l.getPort() < 1 || l.getPort() > 65535) {
        ls.unsupported = "PortUnavailable";
        ls.message = "port must be 1 to 65535";
      } else if (l.getAllowedRoutes() != null
          && l.getAllowedRoutes().getKinds() != null
          && !l.getAllowedRoutes().getKinds().isEmpty()) {
        boolean http = false;
        for (RouteGroupKind k : l.getAllowedRoutes().getKinds()) {
          http |=
              "HTTPRoute".equals(k.getKind())
                  && (k.getGroup() == null || GATEWAY_GROUP.equals(k.getGroup()));
        }
        if (!http) {
          ls.unsupported = "InvalidRouteKinds";
          ls.message = "allowedRoutes.kinds has no HTTPRoute";
        }
      }
      states.add(ls);
    }
    // Conflicts among listeners sharing a port.
    Map<Integer, List<ListenerState>> byPort = new TreeMap<>();
    for (ListenerState ls : states) {
      if (ls.listener.getPort() != null) {
        byPort.computeIfAbsent(ls.listener.getPort(), p -> new ArrayList<>()).add(ls);
      }
    }
    for (List<ListenerState> group : byPort.values()) {
      Set<String> protocols = new TreeSet<>();
      for (ListenerState ls : group) {
        protocols.add(String.valueOf(ls.listener.getProtocol()));
      }
      if (protocols.size() > 1) {
        for (ListenerState ls : group) {
          ls.conflict = "ProtocolConflict";
          ls.message =
              "listeners on port "
                  + ls.listener.getPort()
                  + " use different protocols "
                  + protocols;
        }
        continue;
      }
      Map<String, Integer> hostCounts = new HashMap<>();
      for (ListenerState ls : group) {
        hostCounts.merge(Objects.toString(ls.listener.getHostname(), ""), 1, Integer::sum);
      }
      for (ListenerState ls : group) {
        if (hostCounts.get(Objects.toString(ls.listener.getHostname(), "")) > 1) {
          ls.conflict = "HostnameConflict";
          ls.message =
              "another listener on port "
                  + ls.listener.getPort()
                  + " has hostname "
                  + (ls.listener.getHostname() == null ? "(none)" : ls.listener.getHostname());
        }
      }
    }
    return states;
  }

  private static boolean allows(Listener l, Gateway gw, String routeNs) {
    String from = "Same";
    if (l.getAllowedRoutes() != null
        && l.getAllowedRoutes().getNamespaces() != null
        && l.getAllowedRoutes().getNamespaces().getFrom() != null) {
      from = l.getAllowedRoutes().getNamespaces().getFrom();
    }
    return switch (from) {
      case "All" -> true;
      case "Same" -> routeNs.equals(gw.getMetadata().getNamespace());
      default -> false; // Selector: Namespace labels are not watched.
    };
  }

  /** Hostnames a route serves on a listener (Gateway API intersection); {@code *} for any. */
  static List<String> hostnames(String listenerHost, List<String> routeHosts) {
    if (routeHosts == null || routeHosts.isEmpty()) {
      return List.of(listenerHost == null ? "*" : listenerHost);
    }
    TreeSet<String> out = new TreeSet<>();
    for (String h : routeHosts) {
      String i = intersect(listenerHost, h);
      if (i != null) {
        out.add(i);
      }
    }
    return List.copyOf(out);
  }

  private static String intersect(String listener, String route) {
    if (listener == null || listener.equals(route)) {
      return route;
    }
    if (listener.startsWith("*.") && route.endsWith(listener.substring(1))) {
      return route;
    }
    if (route.startsWith("*.") && listener.endsWith(route.substring(1))) {
      return listener;
    }
    return null;
  }

  private static RefResult resolveRef(
      String routeNs,
      HTTPBackendRef ref,
      Map<String, Backend> backends,
      List<ReferenceGrant> grants) {
    String group = ref.getGroup() == null ? "" : ref.getGroup();
    String kind = ref.getKind() == null ? "Service" : ref.getKind();
    String ns = ref.getNamespace() == null ? routeNs : ref.getNamespace();
    int weight = ref.getWeight() == null ? 1 : ref.getWeight();
    String id = ns + "/" + ref.getName();
    if (!group.equals(BACKEND_GROUP) || !kind.equals("Backend")) {
      String kindName = (group.isEmpty() ? "" : group + "/") + kind;
      return new RefResult(
          "InvalidKind",
          "backendRef "
              + kindName
              + " "
              + id
              + " is not supported (use group "
              + BACKEND_GROUP
              + ", kind Backend)",
          null,
          "invalid:" + kind + ":" + id,
          "lambdagate-invalid|" + ns + "|" + kind + "|" + ref.getName(),
          weight);
    }
    if (!ns.equals(routeNs) && !granted(routeNs, ns, ref.getName(), grants)) {
      return new RefResult(
          "RefNotPermitted",
          "backendRef Backend "
              + id
              + " is in another "
              + "namespace and no ReferenceGrant in "
              + ns
              + " allows HTTPRoutes from "
              + routeNs,
          null,
          "denied:" + routeNs + ":" + id,
          "lambdagate-denied|" + routeNs + "|" + ns + "|" + ref.getName(),
          weight);
    }
    Backend b = backends.get(id);
    if (b == null) {
      return new RefResult(
          "BackendNotFound",
          "Backend " + id + " not found",
          null,
          id,
          BackendModel.clusterName(ns, ref.getName()),
          weight);
    }
    return new RefResult(null, null, b, null, null, weight);
  }

  private static boolean granted(
      String fromNs, String toNs, String name, List<ReferenceGrant> grants) {
    for (ReferenceGrant g : grants) {
      if (!toNs.equals(g.getMetadata().getNamespace())
          || g.getSpec() == null
          || g.getSpec().getFrom() == null
          || g.getSpec().getTo() == null) {
        continue;
      }
      boolean from =
          g.getSpec().getFrom().stream()
              .anyMatch(
                  f ->
                      GATEWAY_GROUP.equals(f.getGroup())
                          && "HTTPRoute".equals(f.getKind())
                          && fromNs.equals(f.getNamespace()));
      boolean to =
          g.getSpec().getTo().stream()
              .anyMatch(
                  t ->
                      BACKEND_GROUP.equals(t.getGroup())
                          && "Backend".equals(t.getKind())
                          && (t.getName() == null
                              || t.getName().isEmpty()
                              || t.getName().equals(name)));
      if (from && to) {
        return true;
      }
    }
    return false;
  }

  private List<RouteModel> routeModels(
      HTTPRoute route, List<HTTPRouteRule> rules, List<List<RefResult>> refsByRule) {
    String ns = route.getMetadata().getNamespace();
    String rname = route.getMetadata().getName();
    ResourceKey rk = key("HTTPRoute", route);
    String created = Objects.toString(route.getMetadata().getCreationTimestamp(), "");
    List<RouteModel> out = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      HTTPRouteRule rule = rules.get(i);
      List<RouteModel.WeightedBackend> wbs = new ArrayList<>();
      String firstError = null;
      int validWeight = 0;
      for (RefResult rr : refsByRule.get(i)) {
        String bid;
        String cluster;
        if (rr.backend() != null) {
          bid =
              rr.backend().getMetadata().getNamespace()
                  + "/"
                  + rr.backend().getMetadata().getName();
          cluster =
              BackendModel.clusterName(
                  rr.backend().getMetadata().getNamespace(), rr.backend().getMetadata().getName());
          if (firstError == null && rr.backend().getSpec() == null) {
            firstError = "Backend " + bid + " has no spec";
          }
        } else {
          bid = rr.errorId();
          cluster = rr.errorCluster();
          if (firstError == null) {
            firstError = rr.message();
          }
        }
        if (rr.weight() > 0) {
          wbs.add(new RouteModel.WeightedBackend(bid, cluster, rr.weight()));
          if (rr.backend() != null) {
            validWeight += rr.weight();
          }
        }
      }
      String direct = null;
      if (refsByRule.get(i).isEmpty()) {
        direct = "rule " + i + " of HTTPRoute " + ns + "/" + rname + " has no backendRefs";
      } else if (wbs.isEmpty()) {
        direct =
            "every backendRef of rule " + i + " of HTTPRoute " + ns + "/" + rname + " has weight 0";
      } else if (validWeight == 0) {
        direct = firstError;
      }
      RuleFilters filters = ruleFilters(rule);
      RouteModel.HeaderModifier headers = filters.headers();
      RouteModel.UrlRewrite rewrite = filters.rewrite();
      // Every backend here is a Lambda function. Envoy's router would apply a rewrite or a
      // header change only after the filter has turned the request into the signed Invoke call
      // (too late for the event, and fatal to the signature), so they go to the filter
      // (routeFilters), which applies them to the request the function sees.
      String unsupported = unsupportedFilter(rule);
      if (unsupported != null && direct == null) {
        direct = "rule " + i + " of HTTPRoute " + ns + "/" + rname + ": " + unsupported;
        LOG.warn("{}", direct);
      }
      if (unsupported != null) {
        rewrite = null;
        headers = null;
      }
      Long timeout = null;
      if (rule.getTimeouts() != null && rule.getTimeouts().getRequest() != null) {
        timeout = durationMillis(rule.getTimeouts().getRequest());
      }
      List<HTTPRouteMatch> matches =
          rule.getMatches() == null || rule.getMatches().isEmpty()
              ? List.of(new HTTPRouteMatch())
              : rule.getMatches();
      for (int j = 0; j < matches.size(); j++) {
        String routeName = ns + "/" + rname + "/rule-" + i + "/match-" + j;
        out.add(
            new RouteModel(
                routeName,
                rk,
                i,
                j,
                matchModel(matches.get(j)),
                direct == null ? wbs : List.of(),
                direct,
                headers,
                rewrite,
                created,
                timeout));
      }
    }
    return out;
  }

  /** A rule's {@code RequestHeaderModifier} and {@code URLRewrite} (each null when absent). */
  private record RuleFilters(RouteModel.HeaderModifier headers, RouteModel.UrlRewrite rewrite) {}

  private static RuleFilters ruleFilters(HTTPRouteRule rule) {
    RouteModel.HeaderModifier headers = null;
    RouteModel.UrlRewrite rewrite = null;
    if (rule.getFilters() != null) {
      for (HTTPRouteFilter f : rule.getFilters()) {
        if ("RequestHeaderModifier".equals(f.getType()) && f.getRequestHeaderModifier() != null) {
          var m = f.getRequestHeaderModifier();
          headers =
              new RouteModel.HeaderModifier(
                  headerList(m.getSet()),
                  headerList(m.getAdd()),
                  m.getRemove() == null ? List.of() : m.getRemove());
        } else if ("URLRewrite".equals(f.getType()) && f.getUrlRewrite() != null) {
          var u = f.getUrlRewrite();
          String type = u.getPath() == null ? null : u.getPath().getType();
          String value =
              type == null
                  ? null
                  : "ReplaceFullPath".equals(type)
                      ? u.getPath().getReplaceFullPath()
                      : u.getPath().getReplacePrefixMatch();
          rewrite = new RouteModel.UrlRewrite(u.getHostname(), type, value);
        }
      }
    }
    return new RuleFilters(headers, rewrite);
  }

  /** STS for {@code region}: {@code --sts-endpoint} when given, else the regional endpoint. */
  private Endpoint stsEndpoint(String region) {
    return options.stsEndpoint() != null
        ? options.stsEndpoint()
        : AwsRegion.serviceEndpoint("sts", region);
  }

  /**
   * A Secret's keys as pushed: long-term keys exchanged for a session when {@code exchange} is on;
   * keys that already carry a session token as they are (GetSessionToken refuses session
   * credentials, and they expire anyway).
   */
  private Credentials secretCredentials(BackendValidator.Resolved r, boolean exchange) {
    Credentials.Inline keys = r.inline();
    if (!exchange || keys.sessionToken() != null) {
      return keys;
    }
    String region = r.lambda().region();
    Credentials.SecretSession source =
        new Credentials.SecretSession(keys, region, stsEndpoint(region), null);
    return source.withSession(sessions.session(source));
  }

  /**
   * Whether this Gateway's Secret keys are exchanged: its GatewayParameters' {@code
   * spec.awsCredentials.exchangeSecretKeys} when set, else the control plane's default.
   */
  private boolean exchangeSecretKeys(ClusterState state, Gateway g) {
    if (g.getSpec().getInfrastructure() != null
        && g.getSpec().getInfrastructure().getParametersRef() != null
        && "GatewayParameters"
            .equals(g.getSpec().getInfrastructure().getParametersRef().getKind())) {
      String name = g.getSpec().getInfrastructure().getParametersRef().getName();
      for (GatewayParameters gp : state.gatewayParameters()) {
        if (g.getMetadata().getNamespace().equals(gp.getMetadata().getNamespace())
            && name.equals(gp.getMetadata().getName())
            && gp.getSpec() != null
            && gp.getSpec().awsCredentials() != null
            && gp.getSpec().awsCredentials().exchangeSecretKeys() != null) {
          return gp.getSpec().awsCredentials().exchangeSecretKeys();
        }
      }
    }
    return options.exchangeSecretKeys();
  }

  /**
   * Why a backend's requests must be refused although it is valid: its credentials are a Secret's
   * keys to be exchanged and no session is there to push. Null when it can be served.
   */
  static String notProgrammed(BackendModel m) {
    Credentials c = m.credentials();
    if (c instanceof Credentials.Chained ch) {
      c = ch.base();
    }
    if (c instanceof Credentials.SecretSession s && s.session() == null) {
      return "Backend "
          + m.id()
          + ": no session credentials for its Secret's keys yet (the"
          + " control plane exchanges them with STS GetSessionToken and pushes only the session;"
          + " see the Backend's CredentialsReady condition)";
    }
    return null;
  }

  /** {@code base}, chained to the Backend's {@code assumeRole} when it has one. */
  private Credentials chained(
      BackendValidator.Resolved r, Credentials base, Map<String, GatewayModel.StsCluster> sts) {
    if (r.assumeRole() == null) {
      return base;
    }
    String region = r.lambda().region();
    Endpoint endpoint = stsEndpoint(region);
    String cluster = "lambdagate-sts|" + region;
    sts.put(cluster, new GatewayModel.StsCluster(cluster, endpoint));
    return new Credentials.Chained(
        base,
        r.assumeRole().roleArn(),
        r.assumeRole().roleSessionName(),
        r.assumeRole().externalId(),
        region,
        endpoint,
        cluster);
  }

  /** An HTTP field name (RFC 9110 token). */
  private static final java.util.regex.Pattern HEADER_NAME =
      java.util.regex.Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  /** The first rule whose filters cannot apply, said why; or null. */
  private static String unsupportedFilter(List<HTTPRouteRule> rules) {
    for (int i = 0; i < rules.size(); i++) {
      String why = unsupportedFilter(rules.get(i));
      if (why != null) {
        return "rule " + i + ": " + why;
      }
    }
    return null;
  }

  /**
   * Why a rule's filters cannot apply, or null when they can: Gateway API allows {@code
   * ReplacePrefixMatch} only when every match of the rule is a {@code PathPrefix} match (there is
   * no prefix to replace otherwise), and header names must be HTTP field names.
   */
  static String unsupportedFilter(HTTPRouteRule rule) {
    RuleFilters filters = ruleFilters(rule);
    RouteModel.UrlRewrite rewrite = filters.rewrite();
    if (rewrite != null && "ReplacePrefixMatch".equals(rewrite.pathType())) {
      List<HTTPRouteMatch> matches =
          rule.getMatches() == null || rule.getMatches().isEmpty()
              ? List.of(new HTTPRouteMatch())
              : rule.getMatches();
      for (HTTPRouteMatch m : matches) {
        String type = matchModel(m).pathType();
        if (!"PathPrefix".equals(type)) {
          return "URLRewrite ReplacePrefixMatch needs PathPrefix matches, but a match of this"
              + " rule is "
              + type;
        }
      }
    }
    if (rewrite != null
        && rewrite.replacement() != null
        && !rewrite.replacement().startsWith("/")) {
      return "URLRewrite path " + rewrite.replacement() + " must start with /";
    }
    RouteModel.HeaderModifier headers = filters.headers();
    if (headers != null) {
      List<String> names = new ArrayList<>();
      headers.set().forEach(h -> names.add(h.name()));
      headers.add().forEach(h -> names.add(h.name()));
      names.addAll(headers.remove());
      for (String name : names) {
        if (name == null || !HEADER_NAME.matcher(name).matches()) {
          return "RequestHeaderModifier names " + name + ", which is not an HTTP header name";
        }
      }
    }
    return null;
  }

  /**
   * A Gateway API duration ({@code 1h30m}, {@code 10s}, {@code 500ms}) in milliseconds, or null
   * (Envoy's default) when it does not parse.
   */
  static Long durationMillis(String d) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("([0-9]{1,5})(h|ms|m|s)").matcher(d);
    long total = 0;
    int end = 0;
    while (m.find() && m.start() == end) {
      long n = Long.parseLong(m.group(1));
      total +=
          switch (m.group(2)) {
            case "h" -> n * 3_600_000;
            case "m" -> n * 60_000;
            case "s" -> n * 1000;
            default -> n;
          };
      end = m.end();
    }
    return end == d.length() && end > 0 ? total : null;
  }

  private static List<RouteModel.Header> headerList(List<HTTPHeader> hs) {
    List<RouteModel.Header> out = new ArrayList<>();
    if (hs != null) {
      for (HTTPHeader h : hs) {
        out.add(new RouteModel.Header(h.getName(), h.getValue()));
      }
    }
    return out;
  }

  private static RouteModel.MatchModel matchModel(HTTPRouteMatch m) {
    String pathType = "PathPrefix";
    String pathValue = "/";
    if (m.getPath() != null) {
      pathType = m.getPath().getType() == null ? "PathPrefix" : m.getPath().getType();
      pathValue = m.getPath().getValue() == null ? "/" : m.getPath().getValue();
    }
    List<RouteModel.StringMatch> headers = new ArrayList<>();
    if (m.getHeaders() != null) {
      for (HTTPHeaderMatch h : m.getHeaders()) {
        headers.add(
            new RouteModel.StringMatch(
                h.getName(), h.getType() == null ? "Exact" : h.getType(), h.getValue()));
      }
    }
    List<RouteModel.StringMatch> query = new ArrayList<>();
    if (m.getQueryParams() != null) {
      for (HTTPQueryParamMatch q : m.getQueryParams()) {
        query.add(
            new RouteModel.StringMatch(
                q.getName(), q.getType() == null ? "Exact" : q.getType(), q.getValue()));
      }
    }
    return new RouteModel.MatchModel(pathType, pathValue, headers, query, m.getMethod());
  }

  /**
   * A route's {@code URLRewrite} and {@code RequestHeaderModifier} as the filter applies them to
   * the event ({@code routeFilters} in docs/filter-config.md), or null when it has none.
   */
  private static ObjectNode routeFilters(RouteModel r) {
    if (r.directResponse() != null || (r.urlRewrite() == null && r.requestHeaders() == null)) {
      return null;
    }
    ObjectNode f = JSON.createObjectNode();
    RouteModel.UrlRewrite rw = r.urlRewrite();
    if (rw != null && rw.hostname() != null && !rw.hostname().isEmpty()) {
      f.put("hostname", rw.hostname());
    }
    if (rw != null && rw.pathType() != null && rw.replacement() != null) {
      ObjectNode p = f.putObject("path");
      p.put("type", rw.pathType());
      if ("ReplacePrefixMatch".equals(rw.pathType())) {
        p.put("matchedPrefix", r.matchSpec().pathValue());
      }
      p.put("value", rw.replacement());
    }
    RouteModel.HeaderModifier hm = r.requestHeaders();
    if (hm != null && !(hm.set().isEmpty() && hm.add().isEmpty() && hm.remove().isEmpty())) {
      ObjectNode h = f.putObject("requestHeaders");
      if (!hm.set().isEmpty()) {
        var set = h.putArray("set");
        hm.set().forEach(x -> set.addObject().put("name", x.name()).put("value", x.value()));
      }
      if (!hm.add().isEmpty()) {
        var add = h.putArray("add");
        hm.add().forEach(x -> add.addObject().put("name", x.name()).put("value", x.value()));
      }
      if (!hm.remove().isEmpty()) {
        var remove = h.putArray("remove");
        hm.remove().forEach(remove::add);
      }
    }
    return f.isEmpty() ? null : f;
  }

  /** Id prefix of the error backend a broken route gets in the filter JSON. */
  static final String INVALID_ROUTE_PREFIX = "invalid-route:";

  /** The filter's shape-3 JSON: backends, routes (single destination), clusters; sorted keys. */
  static String filterJson(List<BackendModel> backends, List<PortModel> ports) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode b = root.putObject("backends");
    TreeMap<String, String> clusters = new TreeMap<>();
    for (BackendModel m : backends) {
      ObjectNode o = b.putObject(m.id());
      clusters.put(m.clusterName(), m.id());
      if (m.error() != null) {
        o.put("error", m.error());
        continue;
      }
      String notProgrammed = notProgrammed(m);
      if (notProgrammed != null) {
        o.put("error", notProgrammed);
        continue;
      }
      LambdaTarget l = m.lambda();
      ObjectNode lo = o.putObject("lambda");
      lo.put("functionName", l.functionName());
      lo.put("region", l.region());
      if (l.accountId() != null) {
        lo.put("accountId", l.accountId());
      }
      if (l.qualifier() != null) {
        lo.put("qualifier", l.qualifier());
      }
      lo.put("invocationMode", l.invocationMode());
      lo.put("payloadTransformMode", l.payloadTransformMode());
      if (l.endpointUrl() != null) {
        lo.put("endpoint", l.endpoint().url());
      }
      ObjectNode c = o.putObject("credentials");
      Credentials creds = m.credentials();
      if (creds instanceof Credentials.Chained ch) {
        ObjectNode ar = c.putObject("assumeRole");
        ar.put("roleArn", ch.roleArn());
        if (ch.roleSessionName() != null) {
          ar.put("roleSessionName", ch.roleSessionName());
        }
        if (ch.externalId() != null) {
          ar.put("externalId", ch.externalId());
        }
        ar.put("stsRegion", ch.stsRegion());
        ar.put("stsEndpoint", ch.stsEndpoint().url());
        ar.put("stsCluster", ch.stsCluster());
        creds = ch.base();
      }
      if (creds instanceof Credentials.SecretSession ss) {
        creds = ss.session(); // never the long-term keys
      }
      if (creds instanceof Credentials.Inline in) {
        c.put("accessKeyId", in.accessKeyId());
        c.put("secretAccessKey", in.secretAccessKey());
        if (in.sessionToken() != null) {
          c.put("sessionToken", in.sessionToken());
        }
      } else if (creds instanceof Credentials.WebIdentity w) {
        ObjectNode wi = c.putObject("webIdentity");
        wi.put("roleArn", w.roleArn());
        wi.put("token", w.token());
        wi.put("stsRegion", w.stsRegion());
        wi.put("stsEndpoint", w.stsEndpoint().url());
        wi.put("stsCluster", w.stsCluster());
      }
    }
    TreeMap<String, String> routes = new TreeMap<>();
    for (PortModel p : ports) {
      for (VirtualHostModel v : p.virtualHosts()) {
        for (RouteModel r : v.routes()) {
          if (r.directResponse() != null) {
            // The filter answers a broken route itself: a generic 500 with the request id for
            // the client, the details in its log under the same id. The route's
            // direct_response stays as the answer when the filter does not run.
            String id = INVALID_ROUTE_PREFIX + r.name();
            b.putObject(id).put("error", r.directResponse());
            routes.put(r.name(), id);
          } else if (r.backends().size() == 1) {
            routes.put(r.name(), r.backends().get(0).backendId());
          }
        }
      }
    }
    ObjectNode ro = root.putObject("routes");
    routes.forEach(ro::put);
    TreeMap<String, ObjectNode> routeFilters = new TreeMap<>();
    for (PortModel p : ports) {
      for (VirtualHostModel v : p.virtualHosts()) {
        for (RouteModel r : v.routes()) {
          ObjectNode f = routeFilters(r);
          if (f != null) {
            routeFilters.put(r.name(), f);
          }
        }
      }
    }
    if (!routeFilters.isEmpty()) {
      ObjectNode fo = root.putObject("routeFilters");
      routeFilters.forEach(fo::set);
    }
    ObjectNode co = root.putObject("clusters");
    clusters.forEach(co::put);
    try {
      return JSON.writeValueAsString(root);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
