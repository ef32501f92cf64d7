package dev.lambdagate.harness.dataplane;

import com.google.protobuf.Any;
import com.google.protobuf.StringValue;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.AsyncDataSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.http.wasm.v3.Wasm;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.wasm.v3.PluginConfig;
import io.envoyproxy.envoy.extensions.wasm.v3.VmConfig;
import java.util.List;

/** Builds the xDS resources lambdagate's control plane emits, for tests. */
final class Xds {
  private Xds() {}

  static Cluster cluster(String name, String host, int port) {
    return Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.STATIC)
        .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(2))
        .setLoadAssignment(
            ClusterLoadAssignment.newBuilder()
                .setClusterName(name)
                .addEndpoints(
                    LocalityLbEndpoints.newBuilder()
                        .addLbEndpoints(
                            LbEndpoint.newBuilder()
                                .setEndpoint(
                                    Endpoint.newBuilder().setAddress(address(host, port))))))
        .build();
  }

  static Address address(String host, int port) {
    return Address.newBuilder()
        .setSocketAddress(SocketAddress.newBuilder().setAddress(host).setPortValue(port))
        .build();
  }

  static HttpFilter wasmFilter(String json) {
    PluginConfig plugin =
        PluginConfig.newBuilder()
            .setName("lambdagate")
            .setRootId("lambdagate")
            .setVmConfig(
                VmConfig.newBuilder()
                    .setRuntime("envoy.wasm.runtime.v8")
                    .setCode(
                        AsyncDataSource.newBuilder()
                            .setLocal(
                                DataSource.newBuilder()
                                    .setFilename("/etc/lambdagate/lambdagate.wasm"))))
            .setConfiguration(Any.pack(StringValue.of(json)))
            .build();
    return HttpFilter.newBuilder()
        .setName("envoy.filters.http.wasm")
        .setTypedConfig(Any.pack(Wasm.newBuilder().setConfig(plugin).build()))
        .build();
  }

  static HttpFilter router() {
    return HttpFilter.newBuilder()
        .setName("envoy.filters.http.router")
        .setTypedConfig(Any.pack(Router.getDefaultInstance()))
        .build();
  }

  static Listener listener(String name, int port, String rdsName, List<HttpFilter> filters) {
    HttpConnectionManager hcm =
        HttpConnectionManager.newBuilder()
            .setStatPrefix(name)
            .setRds(
                Rds.newBuilder()
                    .setRouteConfigName(rdsName)
                    .setConfigSource(
                        ConfigSource.newBuilder()
                            .setAds(AggregatedConfigSource.getDefaultInstance())
                            .setResourceApiVersion(
                                io.envoyproxy.envoy.config.core.v3.ApiVersion.V3)))
            .addAllHttpFilters(filters)
            .build();
    return Listener.newBuilder()
        .setName(name)
        .setAddress(address("0.0.0.0", port))
        .addFilterChains(
            FilterChain.newBuilder()
                .addFilters(
                    Filter.newBuilder()
                        .setName("envoy.filters.network.http_connection_manager")
                        .setTypedConfig(Any.pack(hcm))))
        .build();
  }

  static Route prefixRoute(String name, String prefix, String cluster) {
    return Route.newBuilder()
        .setName(name)
        .setMatch(RouteMatch.newBuilder().setPrefix(prefix))
        .setRoute(RouteAction.newBuilder().setCluster(cluster))
        .build();
  }

  static Route withTimeout(Route route, long millis) {
    return route.toBuilder()
        .setRoute(
            route.getRoute().toBuilder()
                .setTimeout(
                    com.google.protobuf.Duration.newBuilder()
                        .setSeconds(millis / 1000)
                        .setNanos((int) (millis % 1000) * 1_000_000)))
        .build();
  }

  static Route directRoute(String name, String path, int status, String body) {
    return Route.newBuilder()
        .setName(name)
        .setMatch(RouteMatch.newBuilder().setPath(path))
        .setDirectResponse(
            DirectResponseAction.newBuilder()
                .setStatus(status)
                .setBody(DataSource.newBuilder().setInlineString(body)))
        .build();
  }

  static RouteConfiguration routes(String name, List<Route> routes) {
    return RouteConfiguration.newBuilder()
        .setName(name)
        .addVirtualHosts(
            VirtualHost.newBuilder().setName("gateway").addDomains("*").addAllRoutes(routes))
        .build();
  }

  static UInt32Value weight(int w) {
    return UInt32Value.of(w);
  }
}
