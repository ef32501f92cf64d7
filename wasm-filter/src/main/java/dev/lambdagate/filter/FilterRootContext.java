package dev.lambdagate.filter;

import dev.lambdagate.config.Backend;
import dev.lambdagate.config.ClusterMetadataBackend;
import dev.lambdagate.config.ConfigException;
import dev.lambdagate.config.FilterConfig;
import dev.lambdagate.config.FilterConfigParser;
import dev.lambdagate.config.InvalidBackend;
import dev.lambdagate.config.RouteFilters;
import dev.lambdagate.config.RouteMetadataEntry;
import dev.lambdagate.json.Utf8;
import dev.lambdagate.sdk.Host;
import dev.lambdagate.sdk.HttpContext;
import dev.lambdagate.sdk.PropertyPath;
import dev.lambdagate.sdk.RootContext;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The plugin's root context: parses the configuration once per {@code proxy_on_configure}, prepares
 * every backend, and picks the backend of each request.
 *
 * <p>With several backends the choice comes from what Envoy's routing set and a client cannot
 * forge: the {@code xds.route_name} property, then {@code xds.cluster_name}
 * (docs/filter-config.md), and with {@code clusterMetadataBackends} the backend entry in the
 * selected cluster's metadata ({@link ClusterMetadataBackend}), prepared on first use and again
 * only when its version changes. A new configuration replaces the old one whole; streams already
 * running keep the backend they started with.
 */
final class FilterRootContext extends RootContext {
  private static final PropertyPath ROUTE_NAME = PropertyPath.of("xds", "route_name");
  private static final PropertyPath CLUSTER_NAME = PropertyPath.of("xds", "cluster_name");
  private static final PropertyPath METADATA_VERSION =
      metadataPath(ClusterMetadataBackend.VERSION_KEY);
  private static final PropertyPath METADATA_BACKEND =
      metadataPath(ClusterMetadataBackend.BACKEND_KEY);
  private static final PropertyPath ROUTE_VERSION =
      routeMetadataPath(ClusterMetadataBackend.VERSION_KEY);
  private static final PropertyPath ROUTE_ENTRY = routeMetadataPath(RouteMetadataEntry.ROUTE_KEY);

  /** The version of a cluster without metadata (no real version is empty). */
  private static final byte[] NO_VERSION = new byte[0];

  private PreparedBackend single;
  private Map<String, PreparedBackend> byRoute = new HashMap<>();
  private Map<String, PreparedBackend> byCluster = new HashMap<>();
  private Map<String, RouteFilters> routeFilters = new HashMap<>();
  private boolean clusterMetadataBackends;
  private boolean routeMetadata;

  /**
   * Route entries read from route metadata, by route name: one per route this VM has served since
   * the last configuration (replaced when its version changes).
   */
  private Map<String, MetadataRoute> byRouteMetadata = new HashMap<>();

  /**
   * Backends read from cluster metadata, by cluster name: one entry per cluster this VM has served
   * since the last configuration (a cluster's entry is replaced when its version changes).
   */
  private Map<String, MetadataBackend> byClusterMetadata = new HashMap<>();

  private boolean configured;

  /** A route's entry from its metadata, prepared, and the version it was read from. */
  static final class MetadataRoute {
    final byte[] version;

    /** What the route's rule does to the event, or null. */
    final RouteFilters filters;

    /** A broken route's answer (an invalid backend), or null. */
    final PreparedBackend invalid;

    MetadataRoute(byte[] version, RouteFilters filters, PreparedBackend invalid) {
      this.version = version;
      this.filters = filters;
      this.invalid = invalid;
    }
  }

  /** A backend prepared from a cluster's metadata, and the version it was prepared from. */
  private static final class MetadataBackend {
    final byte[] version;
    final PreparedBackend backend;

    MetadataBackend(byte[] version, PreparedBackend backend) {
      this.version = version;
      this.backend = backend;
    }
  }

  FilterRootContext(int contextId) {
    super(contextId);
  }

  @Override
  public boolean acceptsConfigurationSize(int bytes) {
    String tooLarge = FilterConfigParser.sizeError(bytes);
    if (tooLarge != null) {
      FilterLog.refreshLevel();
      FilterLog.error("config: " + tooLarge);
      return false;
    }
    return true;
  }

  @Override
  public boolean onConfigure(byte[] pluginConfiguration) {
    FilterLog.refreshLevel();
    FilterConfig config;
    try {
      config = FilterConfigParser.parse(pluginConfiguration);
    } catch (ConfigException e) {
      FilterLog.error("config: " + e.getMessage());
      return false;
    }
    if (config.isMultiBackend()) {
      Map<String, PreparedBackend> prepared = new HashMap<>();
      for (Map.Entry<String, Backend> e : config.backends().entrySet()) {
        prepared.put(e.getKey(), PreparedBackend.prepare(e.getValue(), e.getKey()));
      }
      Map<String, PreparedBackend> routes = new HashMap<>();
      for (Map.Entry<String, String> e : config.routes().entrySet()) {
        routes.put(e.getKey(), prepared.get(e.getValue()));
      }
      Map<String, PreparedBackend> clusters = new HashMap<>();
      for (Map.Entry<String, String> e : config.clusters().entrySet()) {
        clusters.put(e.getKey(), prepared.get(e.getValue()));
      }
      single = null;
      byRoute = routes;
      byCluster = clusters;
      routeFilters = config.routeFilters();
      clusterMetadataBackends = config.clusterMetadataBackends();
      routeMetadata = config.routeMetadata();
      FilterLog.info(
          "configured "
              + prepared.size()
              + " backends for "
              + routes.size()
              + " routes and "
              + clusters.size()
              + " clusters"
              + (clusterMetadataBackends ? ", the others from cluster metadata" : "")
              + (routeMetadata ? ", route filters from route metadata" : ""));
    } else {
      single = PreparedBackend.prepare(config.singleBackend(), PreparedBackend.DEFAULT_LABEL);
      byRoute = new HashMap<>();
      byCluster = new HashMap<>();
      routeFilters = new HashMap<>();
      clusterMetadataBackends = false;
      routeMetadata = false;
      FilterLog.info("configured one backend for every request");
    }
    byClusterMetadata = new HashMap<>();
    byRouteMetadata = new HashMap<>();
    configured = true;
    return true;
  }

  /**
   * The current request's matched route ({@code xds.route_name}), read once per request and only
   * when a route map needs it; else null.
   */
  String routeName() {
    if (!configured || single != null || (byRoute.isEmpty() && routeFilters.isEmpty())) {
      return null;
    }
    return property(ROUTE_NAME);
  }

  /**
   * The backend for the current request, or null: the request is not lambdagate's.
   *
   * @param routeName {@link #routeName()}
   */
  PreparedBackend select(String routeName) {
    if (!configured) {
      return null;
    }
    if (single != null) {
      return single;
    }
    PreparedBackend backend = routeName == null ? null : byRoute.get(routeName);
    if (backend == null && (!byCluster.isEmpty() || clusterMetadataBackends)) {
      String cluster = property(CLUSTER_NAME);
      if (cluster != null) {
        backend = byCluster.get(cluster);
        if (backend == null && clusterMetadataBackends) {
          backend = fromClusterMetadata(cluster);
        }
      }
    }
    return backend;
  }

  /**
   * The backend in the selected cluster's metadata. Per request this reads the version only; the
   * entry is parsed and prepared when the version is new. A cluster without an entry, or with one
   * that does not parse, gets an invalid backend (500 {@code backend_invalid}, the reason in the
   * log once): with {@code clusterMetadataBackends} every cluster a route selects is a backend's,
   * so a missing entry is a broken configuration, and the request must not reach AWS unsigned.
   */
  private PreparedBackend fromClusterMetadata(String cluster) {
    byte[] version = Host.property(METADATA_VERSION);
    if (version == null) {
      version = NO_VERSION;
    }
    MetadataBackend known = byClusterMetadata.get(cluster);
    if (known != null && Arrays.equals(known.version, version)) {
      return known.backend;
    }
    byte[] entry = version == NO_VERSION ? null : Host.property(METADATA_BACKEND);
    Backend parsed;
    if (entry == null) {
      parsed =
          new InvalidBackend(
              "cluster "
                  + cluster
                  + " has no lambdagate backend in its metadata (filter_metadata "
                  + ClusterMetadataBackend.NAMESPACE
                  + ": "
                  + ClusterMetadataBackend.VERSION_KEY
                  + " and "
                  + ClusterMetadataBackend.BACKEND_KEY
                  + ")");
    } else {
      try {
        parsed = FilterConfigParser.parseClusterBackend(entry, cluster);
      } catch (ConfigException e) {
        parsed = new InvalidBackend(e.getMessage());
      }
    }
    if (parsed instanceof InvalidBackend) {
      FilterLog.error("config: " + ((InvalidBackend) parsed).message());
    }
    PreparedBackend prepared = PreparedBackend.prepare(parsed, cluster);
    byClusterMetadata.put(cluster, new MetadataBackend(version, prepared));
    return prepared;
  }

  private static PropertyPath routeMetadataPath(String key) {
    return PropertyPath.of(
        "xds", "route_metadata", "filter_metadata", ClusterMetadataBackend.NAMESPACE, key);
  }

  private static PropertyPath metadataPath(String key) {
    return PropertyPath.of(
        "xds", "cluster_metadata", "filter_metadata", ClusterMetadataBackend.NAMESPACE, key);
  }

  /**
   * What the matched route's rule does to the request the function sees ({@code routeFilters}), or
   * null.
   *
   * @param routeName {@link #routeName()}
   */
  RouteFilters routeFilters(String routeName) {
    return routeName == null ? null : routeFilters.get(routeName);
  }

  /**
   * The matched route's entry in its metadata, or null when the configuration does not use route
   * metadata or the route has none (most routes: no filters, not broken). Per request this reads
   * the version only (and the route's name when there is one); the entry is parsed when the version
   * is new. An entry that does not parse makes the route answer 500, never pass.
   */
  MetadataRoute routeEntry() {
    if (!configured || !routeMetadata) {
      return null;
    }
    byte[] version = Host.property(ROUTE_VERSION);
    if (version == null) {
      return null;
    }
    String route = property(ROUTE_NAME);
    String key = route == null ? "" : route;
    MetadataRoute known = byRouteMetadata.get(key);
    if (known != null && Arrays.equals(known.version, version)) {
      return known;
    }
    byte[] json = Host.property(ROUTE_ENTRY);
    MetadataRoute entry;
    try {
      if (json == null) {
        throw new ConfigException(
            "route metadata", "has a version but no " + RouteMetadataEntry.ROUTE_KEY + " entry");
      }
      RouteMetadataEntry parsed = FilterConfigParser.parseRouteEntry(json);
      entry =
          new MetadataRoute(
              version,
              parsed.filters(),
              parsed.invalid() == null ? null : PreparedBackend.prepare(parsed.invalid(), key));
    } catch (ConfigException e) {
      String message = "route " + key + ": " + e.getMessage();
      FilterLog.error("config: " + message);
      entry =
          new MetadataRoute(
              version, null, PreparedBackend.prepare(new InvalidBackend(message), key));
    }
    byRouteMetadata.put(key, entry);
    return entry;
  }

  private static String property(PropertyPath path) {
    byte[] value = Host.property(path);
    return value == null ? null : Utf8.decodeString(value, 0, value.length);
  }

  @Override
  public HttpContext createHttpContext(int contextId) {
    return new LambdagateHttpContext(contextId, this);
  }
}
