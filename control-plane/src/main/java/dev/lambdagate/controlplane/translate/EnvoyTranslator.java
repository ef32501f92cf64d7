package dev.lambdagate.controlplane.translate;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.Duration;
import com.google.protobuf.StringValue;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.Value;
import dev.lambdagate.config.ClusterMetadataBackend;
import dev.lambdagate.config.Endpoint;
import dev.lambdagate.config.RouteMetadataEntry;
import dev.lambdagate.controlplane.model.BackendModel;
import dev.lambdagate.controlplane.model.EdgeLimits;
import dev.lambdagate.controlplane.model.GatewayModel;
import dev.lambdagate.controlplane.model.LambdaRetry;
import dev.lambdagate.controlplane.model.PortModel;
import dev.lambdagate.controlplane.model.RouteModel;
import dev.lambdagate.controlplane.model.TlsChain;
import dev.lambdagate.controlplane.model.VirtualHostModel;
import dev.lambdagate.controlplane.state.SortedDiff;
import dev.lambdagate.controlplane.state.SortedSearch;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.AsyncDataSource;
import io.envoyproxy.envoy.config.core.v3.BackoffStrategy;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.HttpUri;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.RemoteDataSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.http.wasm.v3.Wasm;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.wasm.v3.FailurePolicy;
import io.envoyproxy.envoy.extensions.wasm.v3.PluginConfig;
import io.envoyproxy.envoy.extensions.wasm.v3.ReloadConfig;
import io.envoyproxy.envoy.extensions.wasm.v3.VmConfig;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Turns a {@link GatewayModel} into Envoy v3 resources: one Listener per port (HTTP connection
 * manager, RDS over ADS, the lambdagate Wasm filter, the router), one RouteConfiguration per
 * Listener, one cluster per Lambda endpoint, STS clusters for web identity, and the Wasm fetch
 * cluster when the module comes from a URL. The filter's JSON configuration comes from {@link
 * FilterConfigWriter}.
 */
public final class EnvoyTranslator {
  /** The body of a broken route's direct_response: generic, the shape of the filter's errors. */
  static final String DIRECT_RESPONSE_BODY =
      "{\"error\":\"backend_invalid\",\"message\":\"Internal Server Error\"}";

  public static final String HCM = "envoy.filters.network.http_connection_manager";
  public static final String WASM_FILTER = "envoy.filters.http.wasm";
  public static final String ROUTER_FILTER = "envoy.filters.http.router";
  public static final String TLS_SOCKET = "envoy.transport_sockets.tls";
  public static final String PLUGIN_NAME = "lambdagate";
  public static final String V8 = "envoy.wasm.runtime.v8";
  public static final String WASM_CLUSTER = "lambdagate-wasm";

  private final TranslatorOptions options;

  public EnvoyTranslator(TranslatorOptions options) {
    this.options = options;
  }

  /**
   * What the last translation of one Gateway produced, reused when the same input comes again: a
   * change of one route then rebuilds one Route, not all of them, and an unchanged filter
   * configuration is not packed again. Every entry is a pure function of its key (and of the
   * translator's fixed options), so reuse gives the same resources.
   */
  private record Memo(
      String wasmJson,
      Any wasm,
      Map<ListenerKey, Listener> listeners,
      Map<RouteKey, Route> routes,
      Map<ClusterKey, Cluster> clusters,
      Map<String, BuiltRouteConfiguration> routeConfigurations,
      ResourceDigests digests,
      GatewayModel model,
      List<Cluster> clusterList) {}

  /**
   * A RouteConfiguration and what it was built from: its virtual hosts' names and domains and the
   * Route instances (compared by identity: the memo hands out the same instance for the same
   * route), so that a change elsewhere does not build, and digest, a large route table again.
   */
  private record BuiltRouteConfiguration(List<Object> parts, RouteConfiguration built) {
    boolean sameParts(List<Object> other) {
      if (other.size() != parts.size()) {
        return false;
      }
      for (int i = 0; i < parts.size(); i++) {
        Object a = parts.get(i);
        Object b = other.get(i);
        if (a instanceof Route ? a != b : !a.equals(b)) {
          return false;
        }
      }
      return true;
    }
  }

  /** {@code tls} holds the certificates: a rotated one is a new Listener. */
  private record ListenerKey(
      String id, int port, Any wasm, EdgeLimits limits, List<TlsChain> tls) {}

  /**
   * A route and the retry policy its backends give it. The route is compared by identity: the model
   * hands out the same {@link RouteModel} instance for an unchanged route, and hashing a route's
   * matches and filters for each of 10,000 routes on every change was most of this memo's cost. An
   * equal route in a new instance (file mode builds every model afresh) is simply built again.
   */
  private record RouteKey(RouteModel route, LambdaRetry retry) {
    @Override
    public boolean equals(Object o) {
      return o instanceof RouteKey k && k.route == route && Objects.equals(k.retry, retry);
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(route) * 31 + Objects.hashCode(retry);
    }
  }

  /**
   * {@code endpoint} null: the cluster without endpoints of a broken backend; {@code bufferLimit}
   * null: Envoy's default (clusters that carry no Lambda payloads); {@code backendJson} null: a
   * cluster that is no backend's (STS, the Wasm fetch). The backend, not its rendered entry, is the
   * key: comparing it is cheaper than rendering its JSON on every change. The backend is compared
   * by identity, as {@link RouteKey}'s route is: the model keeps the instance of an unchanged
   * backend.
   */
  private record ClusterKey(
      String name, Endpoint endpoint, UInt32Value bufferLimit, BackendModel backend) {
    @Override
    public boolean equals(Object o) {
      return o instanceof ClusterKey k
          && k.backend == backend
          && k.name.equals(name)
          && Objects.equals(k.endpoint, endpoint)
          // By value: protobuf's equals is far slower, and each translation makes its own.
          && (k.bufferLimit == null
              ? bufferLimit == null
              : bufferLimit != null && k.bufferLimit.getValue() == bufferLimit.getValue());
    }

    @Override
    public int hashCode() {
      return name.hashCode() * 31 + System.identityHashCode(backend);
    }
  }

  private final Map<String, Memo> memos = new HashMap<>();

  public synchronized EnvoyResources translate(GatewayModel model) {
    Memo last = memos.get(model.nodeGroup());
    String filterConfig = FilterConfigWriter.listenerJson();
    Any wasm =
        last != null && last.wasmJson().equals(filterConfig)
            ? last.wasm()
            : Any.pack(wasmFilter(filterConfig));
    // Lambda results pass through the backends' clusters: the same buffer limit as the listener.
    UInt32Value bufferLimit = EdgeHardening.bufferLimit(model.edgeLimits());
    boolean patchable = clustersPatchable(model, last);
    Map<ClusterKey, Cluster> clusterMemo =
        patchable
            ? last.clusters() // carried over: only the changed backends' entries are swapped
            : new HashMap<>(last == null ? 16 : last.clusters().size() * 2);
    List<Cluster> clusterList =
        patchable ? patchedClusters(model, last, bufferLimit, clusterMemo) : null;
    if (patchable && clusterList == null) {
      clusterMemo = new HashMap<>(last.clusters().size() * 2); // what it swapped is not kept
    }
    Memo memo =
        new Memo(
            filterConfig,
            wasm,
            new HashMap<>(),
            new HashMap<>(last == null ? 16 : last.routes().size() * 2),
            clusterMemo,
            new HashMap<>(),
            last == null ? new ResourceDigests() : last.digests(),
            model,
            null);
    Any router = Any.pack(Router.getDefaultInstance());
    List<Listener> listeners = new ArrayList<>();
    List<RouteConfiguration> routes = new ArrayList<>();
    // Only for routes' retry policies: without any, no lookup per route (10,000 of them).
    Map<String, BackendModel> backendsById = null;
    for (BackendModel b : model.backends()) {
      if (b.valid() && b.lambda().retry() != null) {
        backendsById = new HashMap<>(model.backends().size() * 2);
        break;
      }
    }
    if (backendsById != null) {
      for (BackendModel b : model.backends()) {
        backendsById.put(b.id(), b);
      }
    }
    for (PortModel p : model.ports()) {
      ListenerKey lk = new ListenerKey(p.id(), p.port(), wasm, model.edgeLimits(), p.tls());
      Listener l = last == null ? null : last.listeners().get(lk);
      memo.listeners().put(lk, l != null ? l : listener(p, wasm, router, model.edgeLimits()));
      listeners.add(memo.listeners().get(lk));
      routes.add(routeConfiguration(p, backendsById, last, memo));
    }
    if (clusterList == null) {
      TreeMap<String, Cluster> clusters = new TreeMap<>();
      for (BackendModel b : model.backends()) {
        clusters.put(
            b.clusterName(),
            cluster(
                new ClusterKey(
                    b.clusterName(), b.valid() ? b.lambda().endpoint() : null, bufferLimit, b),
                last,
                memo));
      }
      for (GatewayModel.StsCluster s : model.stsClusters()) {
        clusters.put(
            s.name(), cluster(new ClusterKey(s.name(), s.endpoint(), null, null), last, memo));
      }
      if (options.wasm().isRemote()) {
        URI u = URI.create(options.wasm().url());
        clusters.put(
            WASM_CLUSTER,
            dnsCluster(
                WASM_CLUSTER, Endpoint.parse(u.getScheme() + "://" + u.getRawAuthority()), null));
      }
      clusterList = List.copyOf(clusters.values());
    }
    memo =
        new Memo(
            memo.wasmJson(),
            memo.wasm(),
            memo.listeners(),
            memo.routes(),
            memo.clusters(),
            memo.routeConfigurations(),
            memo.digests(),
            model,
            clusterList);
    memos.put(model.nodeGroup(), memo);
    return EnvoyResources.of(listeners, routes, clusterList, memo.digests());
  }

  /**
   * Whether the clusters can be patched from the last translation's: the same STS clusters and
   * limits (what else is in the list), so that only the backends' clusters differ.
   */
  private static boolean clustersPatchable(GatewayModel model, Memo last) {
    return last != null
        && last.model() != null
        && last.clusterList() != null
        && last.model().edgeLimits().equals(model.edgeLimits())
        && last.model().stsClusters().equals(model.stsClusters());
  }

  /**
   * The last clusters, with those of the backends that changed, came or went since the last model
   * swapped, inserted or removed (the two backend lists are merged by id; the cluster list, sorted
   * by name, is searched by name); the same list when no backend changed. {@code clusterMemo} is
   * the last translation's, carried over: gone backends' entries are taken out of it.
   */
  private List<Cluster> patchedClusters(
      GatewayModel model,
      Memo last,
      UInt32Value bufferLimit,
      Map<ClusterKey, Cluster> clusterMemo) {
    List<BackendModel> a = last.model().backends();
    List<BackendModel> b = model.backends();
    if (a == b) {
      return last.clusterList();
    }
    List<Cluster> out = new ArrayList<>(last.clusterList());
    boolean[] changed = {false};
    boolean placed =
        SortedDiff.walk(
            a,
            b,
            Comparator.comparing(BackendModel::id),
            (old, now) -> {
              changed[0] = true;
              if (old != null) {
                clusterMemo.remove(clusterKey(old, bufferLimit));
                int at = clusterIndex(out, old.clusterName());
                if (at < 0) {
                  return false;
                }
                out.remove(at);
              }
              if (now != null) {
                ClusterKey k = clusterKey(now, bufferLimit);
                Cluster cluster = clusterMemo.get(k);
                if (cluster == null) {
                  cluster = newCluster(k);
                }
                clusterMemo.put(k, cluster);
                int at = clusterIndex(out, now.clusterName());
                if (at >= 0) {
                  return false; // two backends, one cluster name: build
                }
                out.add(-at - 1, cluster);
              }
              return true;
            });
    if (!placed) {
      return null;
    }
    return changed[0] ? List.copyOf(out) : last.clusterList();
  }

  private static ClusterKey clusterKey(BackendModel b, UInt32Value bufferLimit) {
    return new ClusterKey(
        b.clusterName(), b.valid() ? b.lambda().endpoint() : null, bufferLimit, b);
  }

  /** Position of cluster {@code name} in {@code clusters} (sorted by name), or -(insertion) - 1. */
  private static int clusterIndex(List<Cluster> clusters, String name) {
    return SortedSearch.indexOf(clusters, c -> c.getName().compareTo(name));
  }

  /** Drops what is remembered of a Gateway that is gone. */
  public synchronized void forget(String nodeGroup) {
    memos.remove(nodeGroup);
  }

  private Cluster cluster(ClusterKey k, Memo last, Memo memo) {
    Cluster c = last == null ? null : last.clusters().get(k);
    if (c == null) {
      c = newCluster(k);
    }
    memo.clusters().put(k, c);
    return c;
  }

  private Cluster newCluster(ClusterKey k) {
    Cluster.Builder b =
        k.endpoint() == null
            ? emptyCluster(k.name()).toBuilder()
            : dnsCluster(k.name(), k.endpoint(), k.bufferLimit()).toBuilder();
    if (k.backend() != null) {
      b.setMetadata(backendMetadata(FilterConfigWriter.backendJson(k.backend())));
    }
    return b.build();
  }

  /**
   * A backend cluster's metadata: the backend's filter entry and its version ({@link
   * ClusterMetadataBackend}). The version is a digest of the entry, so equal entries give equal
   * clusters and an unchanged backend is never re-sent.
   */
  static Metadata backendMetadata(String backendJson) {
    return metadata(ClusterMetadataBackend.BACKEND_KEY, backendJson);
  }

  /**
   * {@code filter_metadata["dev.lambdagate"]} with {@code key} = {@code json} and its version (a
   * digest of the JSON: equal entries give equal resources).
   */
  private static Metadata metadata(String key, String json) {
    String version;
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
      version = HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    Struct entry =
        Struct.newBuilder()
            .putFields(key, Value.newBuilder().setStringValue(json).build())
            .putFields(
                ClusterMetadataBackend.VERSION_KEY,
                Value.newBuilder().setStringValue(version).build())
            .build();
    return Metadata.newBuilder().putFilterMetadata(ClusterMetadataBackend.NAMESPACE, entry).build();
  }

  Wasm wasmFilter(String json) {
    VmConfig.Builder vm = VmConfig.newBuilder().setVmId(PLUGIN_NAME).setRuntime(V8);
    WasmSource src = options.wasm();
    if (src.isRemote()) {
      vm.setCode(
          AsyncDataSource.newBuilder()
              .setRemote(
                  RemoteDataSource.newBuilder()
                      .setHttpUri(
                          HttpUri.newBuilder()
                              .setUri(src.url())
                              .setCluster(WASM_CLUSTER)
                              .setTimeout(Duration.newBuilder().setSeconds(30)))
                      .setSha256(src.sha256())));
    } else {
      vm.setCode(
          AsyncDataSource.newBuilder().setLocal(DataSource.newBuilder().setFilename(src.file())));
    }
    PluginConfig plugin =
        PluginConfig.newBuilder()
            .setName(PLUGIN_NAME)
            .setRootId(PLUGIN_NAME)
            .setVmConfig(vm)
            .setConfiguration(Any.pack(StringValue.of(json)))
            .setFailurePolicy(FailurePolicy.FAIL_RELOAD)
            .setReloadConfig(
                ReloadConfig.newBuilder()
                    .setBackoff(
                        BackoffStrategy.newBuilder()
                            .setBaseInterval(EdgeHardening.duration(RELOAD_BASE_MILLIS))
                            .setMaxInterval(EdgeHardening.duration(RELOAD_MAX_MILLIS))))
            .setUnknownFields(ALLOW_ON_HEADERS_STOP_ITERATION)
            .build();
    return Wasm.newBuilder().setConfig(plugin).build();
  }

  /**
   * FAIL_RELOAD's backoff: a VM that crashed (a trap, e.g. out of memory on a hostile payload) is
   * replaced by a fresh one for the next request, at most once a second, backing off to once every
   * 30 s while it keeps crashing. Requests in between, and the one that crashed it, get 503 (fail
   * closed): none is ever forwarded unsigned.
   */
  static final long RELOAD_BASE_MILLIS = 1_000;

  static final long RELOAD_MAX_MILLIS = 30_000;

  /**
   * {@code PluginConfig.allow_on_headers_stop_iteration = true} (field 9, a {@code
   * google.protobuf.BoolValue}; Envoy 1.35+). The filter stops the request headers until the body
   * it signs has arrived; without this option Envoy turns that stop into StopAllIteration and never
   * hands the body to the filter, so the request stalls. The API protos of java-control-plane
   * 1.0.49 predate the field, so it is written as a known-number unknown field: it is on the wire
   * to Envoy, which parses it as the real field.
   */
  static final UnknownFieldSet ALLOW_ON_HEADERS_STOP_ITERATION =
      UnknownFieldSet.newBuilder()
          .addField(
              9,
              UnknownFieldSet.Field.newBuilder()
                  .addLengthDelimited(BoolValue.of(true).toByteString())
                  .build())
          .build();

  private Listener listener(PortModel p, Any wasm, Any router, EdgeLimits limits) {
    HttpConnectionManager hcm =
        EdgeHardening.apply(HttpConnectionManager.newBuilder(), limits)
            .setStatPrefix("lambdagate_" + p.port())
            .setCodecType(HttpConnectionManager.CodecType.AUTO)
            .setRds(
                Rds.newBuilder()
                    .setRouteConfigName(p.id())
                    .setConfigSource(
                        ConfigSource.newBuilder()
                            .setAds(AggregatedConfigSource.getDefaultInstance())
                            .setResourceApiVersion(ApiVersion.V3)))
            .setStripAnyHostPort(true)
            .addHttpFilters(HttpFilter.newBuilder().setName(WASM_FILTER).setTypedConfig(wasm))
            .addHttpFilters(HttpFilter.newBuilder().setName(ROUTER_FILTER).setTypedConfig(router))
            .build();
    Filter hcmFilter = Filter.newBuilder().setName(HCM).setTypedConfig(Any.pack(hcm)).build();
    Listener.Builder l =
        Listener.newBuilder()
            .setName(p.id())
            .setPerConnectionBufferLimitBytes(EdgeHardening.bufferLimit(limits))
            .setAddress(
                Address.newBuilder()
                    .setSocketAddress(
                        SocketAddress.newBuilder().setAddress("0.0.0.0").setPortValue(p.port())));
    if (p.tls().isEmpty()) {
      return l.addFilterChains(FilterChain.newBuilder().addFilters(hcmFilter)).build();
    }
    DownstreamTls.addTo(l, p.tls(), hcmFilter);
    return l.build();
  }

  private RouteConfiguration routeConfiguration(
      PortModel p, Map<String, BackendModel> backendsById, Memo last, Memo memo) {
    List<Object> parts = new ArrayList<>();
    List<List<Route>> routesByHost = new ArrayList<>();
    for (VirtualHostModel v : p.virtualHosts()) {
      parts.add(v.name());
      parts.add(v.domains());
      List<Route> routes = new ArrayList<>(v.routes().size());
      for (RouteModel r : v.routes()) {
        RouteKey key = new RouteKey(r, retry(r, backendsById));
        Route route = last == null ? null : last.routes().get(key);
        if (route == null) {
          route = route(r, key.retry());
        }
        memo.routes().put(key, route);
        routes.add(route);
        parts.add(route);
      }
      routesByHost.add(routes);
    }
    BuiltRouteConfiguration before = last == null ? null : last.routeConfigurations().get(p.id());
    if (before != null && before.sameParts(parts)) {
      memo.routeConfigurations().put(p.id(), before);
      return before.built();
    }
    RouteConfiguration.Builder rc = RouteConfiguration.newBuilder().setName(p.id());
    for (int i = 0; i < p.virtualHosts().size(); i++) {
      VirtualHostModel v = p.virtualHosts().get(i);
      rc.addVirtualHosts(
          VirtualHost.newBuilder()
              .setName(v.name())
              .addAllDomains(v.domains())
              .addAllRoutes(routesByHost.get(i)));
    }
    RouteConfiguration built = rc.build();
    memo.routeConfigurations().put(p.id(), new BuiltRouteConfiguration(parts, built));
    return built;
  }

  private static StringMatcher stringMatch(String type, String value) {
    if ("RegularExpression".equals(type)) {
      return StringMatcher.newBuilder()
          .setSafeRegex(RegexMatcher.newBuilder().setRegex(value))
          .build();
    }
    return StringMatcher.newBuilder().setExact(value == null ? "" : value).build();
  }

  /**
   * The retry policy of a route: its backends' ({@code spec.aws.lambda.retry}), when every backend
   * that can serve has the same one. Envoy retries per route, not per cluster, so a weighted route
   * whose backends disagree gets none (docs/control-plane.md).
   *
   * @param backendsById the Gateway's backends, or null when none has a retry policy
   */
  static LambdaRetry retry(RouteModel r, Map<String, BackendModel> backendsById) {
    if (backendsById == null || r.directResponse() != null) {
      return null;
    }
    LambdaRetry retry = null;
    boolean first = true;
    for (RouteModel.WeightedBackend wb : r.backends()) {
      BackendModel b = backendsById.get(wb.backendId());
      if (b == null || !b.valid()) {
        continue;
      }
      LambdaRetry own = b.lambda().retry();
      if (first) {
        retry = own;
        first = false;
      } else if (!Objects.equals(retry, own)) {
        return null;
      }
    }
    return retry;
  }

  /** Envoy's retry policy for a Backend's {@link LambdaRetry}. */
  public static RetryPolicy retryPolicy(LambdaRetry retry) {
    RetryPolicy.Builder p =
        RetryPolicy.newBuilder()
            // Not "reset": a stream reset after the request was sent may follow a run of the
            // function, and Invoke is not idempotent.
            .setRetryOn("retriable-status-codes,connect-failure,refused-stream")
            .addAllRetriableStatusCodes(retry.statusCodes())
            .setNumRetries(UInt32Value.of(retry.attempts()))
            .setRetryBackOff(
                RetryPolicy.RetryBackOff.newBuilder()
                    .setBaseInterval(EdgeHardening.duration(retry.baseIntervalMillis()))
                    .setMaxInterval(EdgeHardening.duration(retry.maxIntervalMillis())));
    return p.build();
  }

  private static Route route(RouteModel r, LambdaRetry retry) {
    RouteMatch.Builder m = RouteMatch.newBuilder();
    RouteModel.MatchModel spec = r.matchSpec();
    switch (spec.pathType()) {
      case "Exact" -> m.setPath(spec.pathValue());
      case "RegularExpression" ->
          m.setSafeRegex(RegexMatcher.newBuilder().setRegex(spec.pathValue()));
      default -> {
        String prefix = trimSlashes(spec.pathValue());
        if (prefix.isEmpty()) {
          m.setPrefix("/");
        } else {
          m.setPathSeparatedPrefix(prefix);
        }
      }
    }
    for (RouteModel.StringMatch h : spec.headers()) {
      m.addHeaders(
          HeaderMatcher.newBuilder()
              .setName(h.name())
              .setStringMatch(stringMatch(h.type(), h.value())));
    }
    if (spec.method() != null) {
      m.addHeaders(
          HeaderMatcher.newBuilder()
              .setName(":method")
              .setStringMatch(StringMatcher.newBuilder().setExact(spec.method())));
    }
    for (RouteModel.StringMatch q : spec.queryParams()) {
      m.addQueryParameters(
          QueryParameterMatcher.newBuilder()
              .setName(q.name())
              .setStringMatch(stringMatch(q.type(), q.value())));
    }
    Route.Builder route = Route.newBuilder().setName(r.name()).setMatch(m);
    String entry = FilterConfigWriter.routeJson(r);
    if (entry != null) {
      route.setMetadata(metadata(RouteMetadataEntry.ROUTE_KEY, entry));
    }
    if (r.directResponse() != null) {
      // What is wrong (namespaces, Secrets, ServiceAccounts) is on the objects' status and in
      // the filter's log, never in a reply: the filter answers this route first (it knows the
      // route from its configuration) with the request id; this generic body is the answer
      // only when the filter does not run.
      route.setDirectResponse(
          DirectResponseAction.newBuilder()
              .setStatus(500)
              .setBody(DataSource.newBuilder().setInlineString(DIRECT_RESPONSE_BODY)));
      route.addResponseHeadersToAdd(
          header(
              "content-type",
              "application/json",
              HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD));
      return route.build();
    }
    if (r.redirect() != null) {
      route.setRedirect(redirect(r));
      return route.build();
    }
    RouteAction.Builder action = RouteAction.newBuilder();
    if (r.backends().size() == 1) {
      action.setCluster(r.backends().get(0).clusterName());
    } else {
      WeightedCluster.Builder wc = WeightedCluster.newBuilder();
      for (RouteModel.WeightedBackend wb : r.backends()) {
        wc.addClusters(
            WeightedCluster.ClusterWeight.newBuilder()
                .setName(wb.clusterName())
                .setWeight(UInt32Value.of(wb.weight())));
      }
      action.setWeightedClusters(wc);
    }
    if (r.timeoutMillis() != null) {
      action.setTimeout(
          Duration.newBuilder()
              .setSeconds(r.timeoutMillis() / 1000)
              .setNanos((int) (r.timeoutMillis() % 1000) * 1_000_000));
    }
    if (retry != null) {
      action.setRetryPolicy(retryPolicy(retry));
    }
    // URLRewrite and RequestHeaderModifier are applied by the filter to the event
    // (routeFilters in the filter JSON): Envoy's router would apply them after the filter has
    // signed the Invoke call.
    route.setRoute(action);
    return route.build();
  }

  private static HeaderValueOption header(
      String name, String value, HeaderValueOption.HeaderAppendAction action) {
    return HeaderValueOption.newBuilder()
        .setHeader(HeaderValue.newBuilder().setKey(name).setValue(value == null ? "" : value))
        .setAppendAction(action)
        .build();
  }

  /**
   * Envoy's redirect for a rule's {@code RequestRedirect}. A part the filter does not name stays as
   * the request had it (Envoy drops the request's port when the scheme changes from a default port,
   * or when a port is given). {@code ReplacePrefixMatch} replaces the match's prefix as Gateway API
   * does: {@code /foo} to {@code /xyz} turns {@code /foo/bar} into {@code /xyz/bar}, and to {@code
   * /} into {@code /bar}. Envoy's {@code prefix_rewrite} would give {@code //bar} for the second
   * (and {@code /xyzbar} under a {@code /} prefix), so those two cases are a regex.
   */
  private static RedirectAction redirect(RouteModel r) {
    RouteModel.Redirect d = r.redirect();
    RedirectAction.Builder a =
        RedirectAction.newBuilder().setResponseCode(responseCode(d.statusCode()));
    if (d.scheme() != null) {
      a.setSchemeRedirect(d.scheme());
    }
    if (d.hostname() != null) {
      a.setHostRedirect(d.hostname());
    }
    if (d.port() != null) {
      a.setPortRedirect(d.port());
    }
    if ("ReplaceFullPath".equals(d.pathType())) {
      a.setPathRedirect(d.path());
    } else if ("ReplacePrefixMatch".equals(d.pathType())) {
      String prefix = trimSlashes(r.matchSpec().pathValue());
      String replacement = trimSlashes(d.path());
      if (!prefix.isEmpty() && !replacement.isEmpty()) {
        a.setPrefixRewrite(replacement);
      } else {
        a.setRegexRewrite(
            RegexMatchAndSubstitute.newBuilder()
                .setPattern(RegexMatcher.newBuilder().setRegex("^" + quote(prefix) + "/*"))
                .setSubstitution(replacement + "/"));
      }
    }
    return a.build();
  }

  private static RedirectAction.RedirectResponseCode responseCode(int status) {
    return switch (status) {
      case 301 -> RedirectAction.RedirectResponseCode.MOVED_PERMANENTLY;
      case 303 -> RedirectAction.RedirectResponseCode.SEE_OTHER;
      case 307 -> RedirectAction.RedirectResponseCode.TEMPORARY_REDIRECT;
      case 308 -> RedirectAction.RedirectResponseCode.PERMANENT_REDIRECT;
      default -> RedirectAction.RedirectResponseCode.FOUND;
    };
  }

  private static String trimSlashes(String path) {
    String p = path;
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }

  private Cluster dnsCluster(String name, Endpoint endpoint, UInt32Value bufferLimit) {
    Cluster.Builder c =
        Cluster.newBuilder()
            .setName(name)
            .setType(Cluster.DiscoveryType.LOGICAL_DNS)
            .setConnectTimeout(Duration.newBuilder().setSeconds(5))
            .setDnsLookupFamily(Cluster.DnsLookupFamily.V4_PREFERRED)
            .setLoadAssignment(
                ClusterLoadAssignment.newBuilder()
                    .setClusterName(name)
                    .addEndpoints(
                        LocalityLbEndpoints.newBuilder()
                            .addLbEndpoints(
                                LbEndpoint.newBuilder()
                                    .setEndpoint(
                                        io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder()
                                            .setAddress(
                                                Address.newBuilder()
                                                    .setSocketAddress(
                                                        SocketAddress.newBuilder()
                                                            .setAddress(endpoint.address())
                                                            .setPortValue(endpoint.port())))))));
    if (bufferLimit != null) {
      c.setPerConnectionBufferLimitBytes(bufferLimit);
    }
    if (endpoint.isTls()) {
      UpstreamTlsContext tls =
          UpstreamTlsContext.newBuilder()
              .setSni(endpoint.host())
              .setCommonTlsContext(
                  CommonTlsContext.newBuilder()
                      .setValidationContext(
                          CertificateValidationContext.newBuilder()
                              .setTrustedCa(
                                  DataSource.newBuilder().setFilename(options.trustedCa()))
                              .addMatchTypedSubjectAltNames(
                                  SubjectAltNameMatcher.newBuilder()
                                      .setSanType(SubjectAltNameMatcher.SanType.DNS)
                                      .setMatcher(
                                          StringMatcher.newBuilder().setExact(endpoint.host())))))
              .build();
      c.setTransportSocket(
          TransportSocket.newBuilder().setName(TLS_SOCKET).setTypedConfig(Any.pack(tls)));
    }
    return c.build();
  }

  /** A cluster with no endpoints: what a weighted route's broken backend points at. */
  private static Cluster emptyCluster(String name) {
    return Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.STATIC)
        .setConnectTimeout(Duration.newBuilder().setSeconds(5))
        .setLoadAssignment(ClusterLoadAssignment.newBuilder().setClusterName(name))
        .build();
  }
}
