package dev.lambdagate.harness.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Route matching and rejections, without a VM. */
class XdsTranslatorTest {

  static RouteTable.Request req(
      String method, String path, String authority, String... headerPairs) {
    List<String[]> h = new ArrayList<>();
    h.add(new String[] {":method", method});
    h.add(new String[] {":path", path});
    h.add(new String[] {":authority", authority});
    for (int i = 0; i < headerPairs.length; i += 2) {
      h.add(new String[] {headerPairs[i], headerPairs[i + 1]});
    }
    return new RouteTable.Request(method, path, authority, h);
  }

  static String routeName(RouteTable t, RouteTable.Request r) {
    RouteTable.Match m = t.match(r, false);
    return m == null ? null : m.route().name();
  }

  @Test
  void virtualHostsByExactThenSuffixThenPrefixThenAny() throws Exception {
    RouteTable t =
        XdsTranslator.routes(
            RouteConfiguration.newBuilder()
                .setName("rc")
                .addVirtualHosts(vh("any", "*", "r-any"))
                .addVirtualHosts(vh("prefix", "api.*", "r-prefix"))
                .addVirtualHosts(vh("suffix", "*.example.com", "r-suffix"))
                .addVirtualHosts(vh("exact", "api.example.com", "r-exact"))
                .build());
    assertThat(routeName(t, req("GET", "/", "api.example.com"))).isEqualTo("r-exact");
    assertThat(routeName(t, req("GET", "/", "www.example.com"))).isEqualTo("r-suffix");
    assertThat(routeName(t, req("GET", "/", "api.other.org"))).isEqualTo("r-prefix");
    assertThat(routeName(t, req("GET", "/", "other.org"))).isEqualTo("r-any");
    // like Envoy, a port in Host is part of the name unless the HCM strips it
    assertThat(routeName(t, req("GET", "/", "api.example.com:8080"))).isEqualTo("r-prefix");
    assertThat(t.match(req("GET", "/", "api.example.com:8080"), true).route().name())
        .isEqualTo("r-exact");
  }

  @Test
  void routesMatchInOrderOnPathHeadersAndQuery() throws Exception {
    RouteTable t =
        XdsTranslator.routes(
            RouteConfiguration.newBuilder()
                .setName("rc")
                .addVirtualHosts(
                    VirtualHost.newBuilder()
                        .setName("v")
                        .addDomains("*")
                        .addRoutes(route("exact", RouteMatch.newBuilder().setPath("/exact")))
                        .addRoutes(
                            route(
                                "regex",
                                RouteMatch.newBuilder()
                                    .setSafeRegex(
                                        RegexMatcher.newBuilder().setRegex("/items/[0-9]+"))))
                        .addRoutes(
                            route(
                                "header",
                                RouteMatch.newBuilder()
                                    .setPrefix("/h")
                                    .addHeaders(
                                        HeaderMatcher.newBuilder()
                                            .setName("x-env")
                                            .setStringMatch(
                                                StringMatcher.newBuilder().setPrefix("prod")))
                                    .addHeaders(
                                        HeaderMatcher.newBuilder()
                                            .setName("x-debug")
                                            .setPresentMatch(true)
                                            .setInvertMatch(true))))
                        .addRoutes(
                            route(
                                "query",
                                RouteMatch.newBuilder()
                                    .setPrefix("/q")
                                    .addQueryParameters(
                                        QueryParameterMatcher.newBuilder()
                                            .setName("v")
                                            .setStringMatch(
                                                StringMatcher.newBuilder().setExact("2")))))
                        .addRoutes(
                            route(
                                "nocase",
                                RouteMatch.newBuilder()
                                    .setPrefix("/CI")
                                    .setCaseSensitive(BoolValue.of(false)))))
                .build());
    assertThat(routeName(t, req("GET", "/exact?x=1", "h"))).isEqualTo("exact");
    assertThat(routeName(t, req("GET", "/exact/more", "h"))).isNull();
    assertThat(routeName(t, req("GET", "/items/42?a=b", "h"))).isEqualTo("regex");
    assertThat(routeName(t, req("GET", "/items/x", "h"))).isNull();
    assertThat(routeName(t, req("GET", "/h", "h", "x-env", "production"))).isEqualTo("header");
    assertThat(routeName(t, req("GET", "/h", "h", "x-env", "production", "x-debug", "1"))).isNull();
    assertThat(routeName(t, req("GET", "/q?a=1&v=2", "h"))).isEqualTo("query");
    assertThat(routeName(t, req("GET", "/q?v=3", "h"))).isNull();
    assertThat(routeName(t, req("GET", "/ci/x", "h"))).isEqualTo("nocase");
  }

  @Test
  void rewritesAndWeightedClusters() throws Exception {
    RouteTable t =
        XdsTranslator.routes(
            RouteConfiguration.newBuilder()
                .setName("rc")
                .addVirtualHosts(
                    VirtualHost.newBuilder()
                        .setName("v")
                        .addDomains("*")
                        .addRoutes(
                            Route.newBuilder()
                                .setName("p")
                                .setMatch(RouteMatch.newBuilder().setPrefix("/api/"))
                                .setRoute(
                                    RouteAction.newBuilder()
                                        .setCluster("c")
                                        .setPrefixRewrite("/v2/")
                                        .setHostRewriteLiteral("backend.internal")))
                        .addRoutes(
                            Route.newBuilder()
                                .setName("r")
                                .setMatch(RouteMatch.newBuilder().setPrefix("/re/"))
                                .setRoute(
                                    RouteAction.newBuilder()
                                        .setRegexRewrite(
                                            RegexMatchAndSubstitute.newBuilder()
                                                .setPattern(
                                                    RegexMatcher.newBuilder()
                                                        .setRegex("^/re/(.*)$"))
                                                .setSubstitution("/x/\\1"))
                                        .setWeightedClusters(
                                            WeightedCluster.newBuilder()
                                                .addClusters(
                                                    WeightedCluster.ClusterWeight.newBuilder()
                                                        .setName("a")
                                                        .setWeight(Xds.weight(100)))
                                                .addClusters(
                                                    WeightedCluster.ClusterWeight.newBuilder()
                                                        .setName("b")
                                                        .setWeight(Xds.weight(0)))))))
                .build());
    RouteTable.Forward p =
        (RouteTable.Forward) t.match(req("GET", "/api/users?id=1", "h"), false).route().action();
    assertThat(p.rewritePath("/api/users?id=1")).isEqualTo("/v2/users?id=1");
    assertThat(p.hostRewriteLiteral()).isEqualTo("backend.internal");
    RouteTable.Forward r =
        (RouteTable.Forward) t.match(req("GET", "/re/a/b?q", "h"), false).route().action();
    assertThat(r.rewritePath("/re/a/b?q")).isEqualTo("/x/a/b?q");
    for (int i = 0; i < 20; i++) {
      assertThat(r.pick().name()).isEqualTo("a");
    }
  }

  @Test
  void unsupportedFeaturesAreRejectedByName() {
    assertThatThrownBy(
            () ->
                XdsTranslator.routes(
                    RouteConfiguration.newBuilder()
                        .setName("rc")
                        .addVirtualHosts(
                            VirtualHost.newBuilder()
                                .setName("v")
                                .addDomains("*")
                                .addRoutes(
                                    Route.newBuilder()
                                        .setName("g")
                                        .setMatch(
                                            RouteMatch.newBuilder()
                                                .setPrefix("/")
                                                .setGrpc(
                                                    RouteMatch.GrpcRouteMatchOptions
                                                        .getDefaultInstance()))
                                        .setRoute(RouteAction.newBuilder().setCluster("c"))))
                        .build()))
        .isInstanceOf(XdsRejectedException.class)
        .hasMessageContaining("route 'g'")
        .hasMessageContaining("not supported");
    assertThatThrownBy(
            () ->
                XdsTranslator.cluster(
                    Cluster.newBuilder().setName("e").setType(Cluster.DiscoveryType.EDS).build()))
        .hasMessageContaining("cluster 'e'")
        .hasMessageContaining("EDS");
  }

  @Test
  void tlsClustersCarryTheirSni() throws Exception {
    Cluster c =
        Xds.cluster("lambda", "lambda.us-east-1.amazonaws.com", 443).toBuilder()
            .setTransportSocket(
                TransportSocket.newBuilder()
                    .setName("envoy.transport_sockets.tls")
                    .setTypedConfig(
                        Any.pack(
                            UpstreamTlsContext.newBuilder()
                                .setSni("lambda.us-east-1.amazonaws.com")
                                .build())))
            .build();
    ClusterConfig cc = XdsTranslator.cluster(c);
    assertThat(cc.tls()).isTrue();
    assertThat(cc.sni()).isEqualTo("lambda.us-east-1.amazonaws.com");
    assertThat(cc.endpoints())
        .extracting(Object::toString)
        .containsExactly("lambda.us-east-1.amazonaws.com:443");
  }

  static VirtualHost vh(String name, String domain, String route) {
    return VirtualHost.newBuilder()
        .setName(name)
        .addDomains(domain)
        .addRoutes(Xds.prefixRoute(route, "/", "c"))
        .build();
  }

  static Route route(String name, RouteMatch.Builder match) {
    return Route.newBuilder()
        .setName(name)
        .setMatch(match)
        .setRoute(RouteAction.newBuilder().setCluster("c"))
        .build();
  }
}
