package dev.lambdagate.filter;

import dev.lambdagate.config.Backend;
import dev.lambdagate.config.ConfigException;
import dev.lambdagate.config.FilterConfig;
import dev.lambdagate.config.FilterConfigParser;
import dev.lambdagate.config.RouteFilters;
import dev.lambdagate.json.Utf8;
import dev.lambdagate.sdk.Host;
import dev.lambdagate.sdk.HttpContext;
import dev.lambdagate.sdk.RootContext;
import java.util.HashMap;
import java.util.Map;

/**
 * The plugin's root context: parses the configuration once per {@code proxy_on_configure}, prepares
 * every backend, and picks the backend of each request.
 *
 * <p>With several backends the choice comes from what Envoy's routing set and a client cannot
 * forge: the {@code xds.route_name} property, then {@code xds.cluster_name}
 * (docs/filter-config.md). A new configuration replaces the old one whole; streams already running
 * keep the backend they started with.
 */
final class FilterRootContext extends RootContext {
  private PreparedBackend single;
  private Map<String, PreparedBackend> byRoute = new HashMap<>();
  private Map<String, PreparedBackend> byCluster = new HashMap<>();
  private Map<String, RouteFilters> routeFilters = new HashMap<>();
  private boolean configured;

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
        prepared.put(e.getKey(), PreparedBackend.prepare(e.getValue()));
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
      FilterLog.info(
          "configured "
              + prepared.size()
              + " backends for "
              + routes.size()
              + " routes and "
              + clusters.size()
              + " clusters");
    } else {
      single = PreparedBackend.prepare(config.singleBackend());
      byRoute = new HashMap<>();
      byCluster = new HashMap<>();
      routeFilters = new HashMap<>();
      FilterLog.info("configured one backend for every request");
    }
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
    return property("xds", "route_name");
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
    if (backend == null && !byCluster.isEmpty()) {
      backend = byCluster.get(property("xds", "cluster_name"));
    }
    return backend;
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

  private static String property(String... path) {
    byte[] value = Host.property(path);
    return value == null ? null : Utf8.decodeString(value, 0, value.length);
  }

  @Override
  public HttpContext createHttpContext(int contextId) {
    return new LambdagateHttpContext(contextId, this);
  }
}
