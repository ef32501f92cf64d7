package dev.lambdagate.config;

import java.util.Collections;
import java.util.Map;

/**
 * The filter's whole configuration, in one of the three shapes of docs/filter-config.md: one
 * backend that applies to every request (the <em>single signing backend</em>, key {@code sign}, or
 * the <em>single Lambda backend</em>, key {@code lambda}) or many backends chosen by Envoy route or
 * cluster name (the <em>routed backends</em>, key {@code backends}). Immutable.
 */
public final class FilterConfig {

  private final Backend singleBackend;
  private final Map<String, Backend> backends;
  private final Map<String, String> routes;
  private final Map<String, String> clusters;
  private final Map<String, Backend> backendByRoute;
  private final Map<String, Backend> backendByCluster;
  private final Map<String, RouteFilters> routeFilters;
  private final boolean clusterMetadataBackends;
  private final boolean routeMetadata;

  private FilterConfig(
      Backend singleBackend,
      Map<String, Backend> backends,
      Map<String, String> routes,
      Map<String, String> clusters,
      Map<String, Backend> backendByRoute,
      Map<String, Backend> backendByCluster,
      Map<String, RouteFilters> routeFilters,
      boolean clusterMetadataBackends,
      boolean routeMetadata) {
    this.singleBackend = singleBackend;
    this.backends = Collections.unmodifiableMap(backends);
    this.routes = Collections.unmodifiableMap(routes);
    this.clusters = Collections.unmodifiableMap(clusters);
    this.backendByRoute = backendByRoute;
    this.backendByCluster = backendByCluster;
    this.routeFilters = Collections.unmodifiableMap(routeFilters);
    this.clusterMetadataBackends = clusterMetadataBackends;
    this.routeMetadata = routeMetadata;
  }

  /** A single signing backend or single Lambda backend: its one backend serves every request. */
  static FilterConfig ofSingleBackend(Backend backend) {
    Map<String, Backend> none = Collections.emptyMap();
    Map<String, String> noNames = Collections.emptyMap();
    return new FilterConfig(
        backend,
        none,
        noNames,
        noNames,
        none,
        none,
        Collections.<String, RouteFilters>emptyMap(),
        false,
        false);
  }

  /**
   * The routed backends shape: many backends; every route and cluster target must be a key of
   * {@code backends}.
   */
  static FilterConfig ofRoutedBackends(
      Map<String, Backend> backends,
      Map<String, String> routes,
      Map<String, String> clusters,
      Map<String, Backend> backendByRoute,
      Map<String, Backend> backendByCluster,
      Map<String, RouteFilters> routeFilters,
      boolean clusterMetadataBackends,
      boolean routeMetadata) {
    return new FilterConfig(
        null,
        backends,
        routes,
        clusters,
        backendByRoute,
        backendByCluster,
        routeFilters,
        clusterMetadataBackends,
        routeMetadata);
  }

  /**
   * Whether a request whose route and cluster are in neither map takes its backend from the
   * selected cluster's metadata ({@code clusterMetadataBackends}, routed backends only; see {@link
   * ClusterMetadataBackend}).
   */
  public boolean clusterMetadataBackends() {
    return clusterMetadataBackends;
  }

  /**
   * Whether routes carry their filters and errors in their metadata ({@code routeMetadata}, routed
   * backends only; see {@link RouteMetadataEntry}).
   */
  public boolean routeMetadata() {
    return routeMetadata;
  }

  /** Whether this is the routed backends shape (key {@code backends}). */
  public boolean isMultiBackend() {
    return singleBackend == null;
  }

  /** The backend of a single signing backend or single Lambda backend; null for routed backends. */
  public Backend singleBackend() {
    return singleBackend;
  }

  /** Backends by id (routed backends; empty otherwise). */
  public Map<String, Backend> backends() {
    return backends;
  }

  /** Envoy route name to backend id. */
  public Map<String, String> routes() {
    return routes;
  }

  /** Envoy route name to what the route's rule does to the request the function sees. */
  public Map<String, RouteFilters> routeFilters() {
    return routeFilters;
  }

  /** Envoy cluster name to backend id. */
  public Map<String, String> clusters() {
    return clusters;
  }

  /**
   * The backend for a request: the single backend if there is one; otherwise the backend of the
   * matched route ({@code xds.route_name}), then of the selected cluster ({@code
   * xds.cluster_name}); null when neither is mapped, and the request passes untouched.
   *
   * @param routeName the matched route's name, or null
   * @param clusterName the selected cluster's name, or null
   */
  public Backend backendFor(String routeName, String clusterName) {
    if (singleBackend != null) {
      return singleBackend;
    }
    Backend backend = routeName == null ? null : backendByRoute.get(routeName);
    if (backend == null && clusterName != null) {
      backend = backendByCluster.get(clusterName);
    }
    return backend;
  }
}
