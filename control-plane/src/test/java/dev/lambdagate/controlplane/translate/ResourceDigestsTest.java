package dev.lambdagate.controlplane.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A type's version kept from list to list (only the changed resources and their chunks digested
 * again) equals the version of the same list digested from scratch, and differs whenever the
 * content does.
 */
class ResourceDigestsTest {
  @Test
  void keptVersionsEqualFreshOnesAndFollowTheContent() {
    Random rnd = new Random(11);
    List<Cluster> clusters = new ArrayList<>();
    for (int i = 0; i < 700; i++) {
      clusters.add(cluster(i, 0));
    }
    ResourceDigests.TypeDigests kept = new ResourceDigests.TypeDigests();
    Set<String> seen = new HashSet<>();
    List<Cluster> list = List.copyOf(clusters);
    String last = hex(kept.version(list));
    seen.add(last);
    int serial = 1;
    for (int step = 0; step < 200; step++) {
      int what = rnd.nextInt(10);
      if (what < 6) {
        // Changed in place, one or several (now and then in the same chunk).
        for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
          int i = rnd.nextInt(clusters.size());
          clusters.set(i, cluster(i, serial++));
        }
      } else if (what < 7) {
        int i = rnd.nextInt(clusters.size());
        clusters.set(i, Cluster.newBuilder(clusters.get(i)).build()); // equal, new instance
      } else if (what < 9) {
        clusters.add(rnd.nextInt(clusters.size() + 1), cluster(1000 + serial, serial++));
      } else {
        clusters.remove(rnd.nextInt(clusters.size()));
      }
      boolean equalContent = what == 6;
      list = List.copyOf(clusters);
      String version = hex(kept.version(list));
      assertThat(version)
          .as("step %d", step)
          .isEqualTo(hex(new ResourceDigests.TypeDigests().version(list)));
      if (equalContent) {
        assertThat(version).as("step %d: same content", step).isEqualTo(last);
      } else {
        assertThat(seen.add(version)).as("step %d: new content, new version", step).isTrue();
      }
      assertThat(hex(kept.version(list))).as("the same list again").isEqualTo(version);
      last = version;
    }
  }

  /**
   * A route table's digest is made from its routes' digests, kept by instance: it equals the digest
   * a fresh instance makes, follows a change of one route, and is the same for the same content in
   * new instances.
   */
  @Test
  void routeTablesAreDigestedFromTheirRoutes() {
    Random rnd = new Random(3);
    List<io.envoyproxy.envoy.config.route.v3.Route> routes = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      routes.add(route(i, 0));
    }
    ResourceDigests.TypeDigests kept = new ResourceDigests.TypeDigests();
    Set<String> seen = new HashSet<>();
    for (int step = 0; step < 60; step++) {
      int i = rnd.nextInt(routes.size());
      boolean same = step % 5 == 4;
      routes.set(
          i,
          same
              ? io.envoyproxy.envoy.config.route.v3.Route.newBuilder(routes.get(i)).build()
              : route(i, step + 1));
      List<io.envoyproxy.envoy.config.route.v3.RouteConfiguration> list = List.of(table(routes));
      String version = hex(kept.version(list));
      assertThat(version)
          .as("step %d", step)
          .isEqualTo(hex(new ResourceDigests.TypeDigests().version(list)));
      assertThat(seen.add(version) || same).as("step %d: new content, new version", step).isTrue();
    }
  }

  private static io.envoyproxy.envoy.config.route.v3.RouteConfiguration table(
      List<io.envoyproxy.envoy.config.route.v3.Route> routes) {
    return io.envoyproxy.envoy.config.route.v3.RouteConfiguration.newBuilder()
        .setName("gw/8080")
        .addVirtualHosts(
            io.envoyproxy.envoy.config.route.v3.VirtualHost.newBuilder()
                .setName("*")
                .addDomains("*")
                .addAllRoutes(routes))
        .build();
  }

  private static io.envoyproxy.envoy.config.route.v3.Route route(int i, int serial) {
    return io.envoyproxy.envoy.config.route.v3.Route.newBuilder()
        .setName("r" + i)
        .setMatch(
            io.envoyproxy.envoy.config.route.v3.RouteMatch.newBuilder()
                .setPrefix("/r" + i + "/" + serial))
        .build();
  }

  private static Cluster cluster(int i, int serial) {
    return Cluster.newBuilder().setName("c-" + i).setAltStatName("s-" + serial).build();
  }

  private static String hex(byte[] b) {
    return java.util.HexFormat.of().formatHex(b);
  }
}
