package dev.lambdagate.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.UnknownFieldSet;
import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.model.GatewayModel;
import dev.lambdagate.controlplane.model.Model;
import dev.lambdagate.controlplane.state.ClusterState;
import io.envoyproxy.controlplane.cache.Resources.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ReusingResourceSerializerTest {

  /** The independent oracle: what protobuf itself writes, and java-control-plane's packing. */
  private static void assertPackedAsProtobufDoes(ReusingResourceSerializer s, Message m) {
    Any any = s.serialize(m, ApiVersion.V3);
    assertThat(any).isEqualTo(Any.pack(m));
    assertThat(any.getValue().toByteArray()).isEqualTo(m.toByteArray());
  }

  @Test
  void everyGoldenScenarioSerializesAsProtobufDoes() throws Exception {
    ReusingResourceSerializer s = new ReusingResourceSerializer();
    int routeConfigurations = 0;
    List<String> scenarios;
    try (Stream<Path> dirs = Files.list(TestSupport.goldenDir())) {
      scenarios = dirs.filter(Files::isDirectory).map(Path::toString).sorted().toList();
    }
    assertThat(scenarios).hasSizeGreaterThan(10);
    for (String dir : scenarios) {
      ClusterState state =
          TestSupport.loader()
              .loadString(dir + "/input.yaml", Files.readString(Path.of(dir, "input.yaml")));
      Model model = TestSupport.modelBuilder().build(state);
      for (GatewayModel g : model.gateways()) {
        for (Message m : TestSupport.translator().translate(g).all()) {
          assertPackedAsProtobufDoes(s, m);
          if (m instanceof RouteConfiguration) {
            routeConfigurations++;
          }
        }
      }
    }
    assertThat(routeConfigurations).isGreaterThan(10);
  }

  private static Route route(Random rnd, int i) {
    RouteMatch.Builder match = RouteMatch.newBuilder();
    switch (rnd.nextInt(3)) {
      case 0 -> match.setPrefix("/p" + i);
      case 1 -> match.setPath("/exact/" + i);
      default -> match.setSafeRegex(RegexMatcher.newBuilder().setRegex("/re/[0-9]+/" + i));
    }
    if (rnd.nextBoolean()) {
      match.addHeaders(HeaderMatcher.newBuilder().setName("x-h" + i).setPresentMatch(true));
    }
    Route.Builder r = Route.newBuilder().setName("r" + i).setMatch(match);
    if (rnd.nextInt(5) == 0) {
      r.setDirectResponse(DirectResponseAction.newBuilder().setStatus(500 + rnd.nextInt(4)));
    } else {
      r.setRoute(RouteAction.newBuilder().setCluster("cluster-" + rnd.nextInt(1000)));
    }
    if (rnd.nextInt(7) == 0) {
      r.addResponseHeadersToAdd(
          HeaderValueOption.newBuilder()
              .setHeader(HeaderValue.newBuilder().setKey("x-r").setValue("v" + i)));
    }
    return r.build();
  }

  private static RouteConfiguration table(List<List<Route>> routesByHost, int variant) {
    RouteConfiguration.Builder rc = RouteConfiguration.newBuilder().setName("ns/gw/8080");
    for (int h = 0; h < routesByHost.size(); h++) {
      VirtualHost.Builder vh =
          VirtualHost.newBuilder()
              .setName("host-" + h)
              .addDomains("h" + h + ".example.com")
              .addDomains("h" + h + ".example.com:*")
              .addAllRoutes(routesByHost.get(h));
      if (h == 1) {
        // fields after routes (4 and later), and a field this version does not know
        vh.setPerRequestBufferLimitBytes(UInt32Value.of(1024 + variant))
            .addRequestHeadersToRemove("x-drop")
            .setUnknownFields(
                UnknownFieldSet.newBuilder()
                    .addField(
                        9999,
                        UnknownFieldSet.Field.newBuilder()
                            .addLengthDelimited(ByteString.copyFromUtf8("later"))
                            .build())
                    .build());
      }
      rc.addVirtualHosts(vh);
    }
    // fields after virtual_hosts
    return rc.addInternalOnlyHeaders("x-internal")
        .setValidateClusters(com.google.protobuf.BoolValue.of(false))
        .build();
  }

  @Test
  void aRouteTableIsPutTogetherFromItsRoutesAsProtobufWritesIt() {
    Random rnd = new Random(15);
    List<List<Route>> hosts = new ArrayList<>();
    int i = 0;
    for (int h = 0; h < 3; h++) {
      List<Route> routes = new ArrayList<>();
      for (int k = 0; k < 700 * (h + 1); k++) {
        routes.add(route(rnd, i++));
      }
      hosts.add(routes);
    }
    hosts.add(List.of()); // a virtual host without routes
    ReusingResourceSerializer s = new ReusingResourceSerializer();
    RouteConfiguration first = table(hosts, 0);
    assertPackedAsProtobufDoes(s, first);
    // The same instance again: the same Any, not packed again.
    assertThat(s.serialize(first, ApiVersion.V3)).isSameAs(s.serialize(first, ApiVersion.V3));

    // Routes changed, removed and added, the other routes the same instances: still what protobuf
    // writes, change after change, including an equal table in a new instance.
    for (int change = 1; change <= 20; change++) {
      List<Route> host = new ArrayList<>(hosts.get(change % 3));
      int at = rnd.nextInt(host.size());
      switch (change % 3) {
        case 0 -> host.set(at, route(rnd, i++));
        case 1 -> host.remove(at);
        default -> host.add(at, route(rnd, i++));
      }
      hosts.set(change % 3, host);
      RouteConfiguration next = table(hosts, change);
      assertPackedAsProtobufDoes(s, next);
      RouteConfiguration equal = table(hosts, change);
      assertThat(s.serialize(equal, ApiVersion.V3)).isEqualTo(s.serialize(next, ApiVersion.V3));
    }
  }

  @Test
  void anEmptyRouteTableAndOtherResourcesArePackedAsProtobufDoes() {
    ReusingResourceSerializer s = new ReusingResourceSerializer();
    assertPackedAsProtobufDoes(s, RouteConfiguration.getDefaultInstance());
    assertPackedAsProtobufDoes(s, RouteConfiguration.newBuilder().setName("only-a-name").build());
    assertPackedAsProtobufDoes(
        s,
        io.envoyproxy.envoy.config.cluster.v3.Cluster.newBuilder()
            .setName("c")
            .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(3))
            .build());
  }
}
