package dev.lambdagate.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.translate.EnvoyResources;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.List;
import org.junit.jupiter.api.Test;

class IncrementalSnapshotsTest {

  /** What {@code XdsServer} published before: java-control-plane's own snapshot. */
  private static Snapshot created(EnvoyResources r) {
    return Snapshot.create(
        r.clusters(),
        r.clustersVersion(),
        List.of(),
        r.clustersVersion(),
        r.listeners(),
        r.listenersVersion(),
        r.routes(),
        r.routesVersion(),
        List.of(),
        r.version());
  }

  private static void assertSame(Snapshot actual, Snapshot expected) {
    for (ResourceType type : ResourceType.values()) {
      assertThat(actual.versionedResources(type))
          .as("%s", type)
          .isEqualTo(expected.versionedResources(type));
      assertThat(actual.resources(type)).as("%s", type).isEqualTo(expected.resources(type));
      assertThat(actual.version(type)).as("%s", type).isEqualTo(expected.version(type));
    }
  }

  private static Cluster cluster(String name, int timeoutSeconds) {
    return Cluster.newBuilder()
        .setName(name)
        .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(timeoutSeconds))
        .build();
  }

  @Test
  void theSnapshotOfJavaControlPlaneWithUnchangedResourcesNotHashedAgain() {
    Cluster a = cluster("a", 1);
    Cluster b = cluster("b", 1);
    Listener l = Listener.newBuilder().setName("gw/8080").build();
    RouteConfiguration r = RouteConfiguration.newBuilder().setName("gw/8080").build();
    EnvoyResources first = EnvoyResources.of(List.of(l), List.of(r), List.of(a, b));
    IncrementalSnapshots snapshots = new IncrementalSnapshots();

    Snapshot one = snapshots.snapshot("ns/gw", first);
    assertSame(one, created(first));

    // b changes; a, the listener and the route configuration are the same instances.
    Cluster b2 = cluster("b", 2);
    EnvoyResources second = EnvoyResources.of(List.of(l), List.of(r), List.of(a, b2));
    Snapshot two = snapshots.snapshot("ns/gw", second);
    assertSame(two, created(second));
    assertThat(two.clusters().versionedResources().get("a"))
        .isSameAs(one.clusters().versionedResources().get("a"));
    assertThat(two.listeners().versionedResources().get("gw/8080"))
        .isSameAs(one.listeners().versionedResources().get("gw/8080"));
    assertThat(two.clusters().versionedResources().get("b").version())
        .isNotEqualTo(one.clusters().versionedResources().get("b").version());

    // The very same lists again: the very same snapshot resources. A longer list: each resource
    // found again by instance.
    Snapshot twoAgain = snapshots.snapshot("ns/gw", second);
    assertThat(twoAgain.clusters()).isSameAs(two.clusters());
    assertThat(twoAgain.routes()).isSameAs(two.routes());
    Cluster c = cluster("c", 1);
    EnvoyResources third = EnvoyResources.of(List.of(l), List.of(r), List.of(a, b2, c));
    Snapshot three = snapshots.snapshot("ns/gw", third);
    assertSame(three, created(third));
    assertThat(three.clusters().versionedResources().get("b"))
        .isSameAs(two.clusters().versionedResources().get("b"));
    snapshots.snapshot("ns/gw", second);

    // Another group does not take the first one's resources; a group emptied starts afresh.
    Snapshot other = snapshots.snapshot("ns/other", second);
    assertThat(other.clusters().versionedResources().get("a"))
        .isNotSameAs(two.clusters().versionedResources().get("a"))
        .isEqualTo(two.clusters().versionedResources().get("a"));
    snapshots.snapshot("ns/gw", EnvoyResources.of(List.of(), List.of(), List.of()));
    Snapshot again = snapshots.snapshot("ns/gw", second);
    assertSame(again, created(second));
    assertThat(again.clusters().versionedResources().get("a"))
        .isNotSameAs(two.clusters().versionedResources().get("a"));
  }
}
