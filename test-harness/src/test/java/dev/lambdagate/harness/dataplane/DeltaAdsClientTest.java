package dev.lambdagate.harness.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.lambdagate.controlplane.tls.GatewayCredentialFiles;
import dev.lambdagate.controlplane.tls.XdsServerTls;
import dev.lambdagate.controlplane.translate.EnvoyResources;
import dev.lambdagate.controlplane.xds.NackListener;
import dev.lambdagate.controlplane.xds.XdsServer;
import dev.lambdagate.harness.host.ModuleUnderTest;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The delta ADS client ({@code api_type: DELTA_GRPC}) against the control plane's own xDS server
 * ({@link XdsServer}: java-control-plane behind the mutual-TLS Gateway interceptor, delta ACKs and
 * NACKs reported through {@link NackListener}), in process. Listeners carry no Wasm filter here:
 * the protocol is under test, not the filter. The reconnect test uses {@link TestAdsServer}, the
 * same java-control-plane server, because it records the requests as the client sent them.
 */
class DeltaAdsClientTest {
  static final String GATEWAY = "default/http";

  XdsServer xds;
  EmbeddedDataPlane plane;
  final List<String> log = new CopyOnWriteArrayList<>();
  final List<String> nacks = new CopyOnWriteArrayList<>();
  final List<String> acks = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    GatewayCredentialFiles files =
        GatewayCredentialFiles.open(
            Files.createTempDirectory("lambdagate-delta-ads-"), Clock.systemUTC());
    xds =
        new XdsServer(
                new NackListener() {
                  @Override
                  public void onNack(String group, String typeUrl, String version, String detail) {
                    nacks.add(group + " " + typeUrl + " " + detail);
                  }

                  @Override
                  public void onAck(String group, String typeUrl, String version) {
                    acks.add(group + " " + typeUrl + " " + version);
                  }
                })
            .start(new InetSocketAddress("127.0.0.1", 0), XdsServerTls.forLoopback(files.ca()));
    GatewayCredentialFiles.Paths p = files.ensureGateway(GATEWAY);
    plane =
        EmbeddedDataPlane.start(
            DataPlaneOptions.of(
                    "127.0.0.1",
                    xds.port(),
                    new XdsClientCredentials(p.caCertificate(), p.certificate(), p.privateKey()),
                    "delta-node",
                    GATEWAY,
                    ModuleUnderTest.path())
                .withBindOverride("127.0.0.1")
                .withBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
                .withLog(
                    line -> {
                      log.add(line);
                      System.err.println("[dataplane] " + line);
                    }));
  }

  @AfterEach
  void stop() {
    if (plane != null) {
      plane.close();
    }
    if (xds != null) {
      xds.close();
    }
  }

  @Test
  void theDefaultIsDeltaAndTheFirstSyncAppliesEveryType() throws Exception {
    assertThat(plane.adsApiType()).isEqualTo(AdsApiType.DELTA_GRPC);
    publish(
        List.of(cluster("a", 9001), cluster("b", 9002), cluster("c", 9003)),
        List.of(listener("http", "routes")),
        List.of(routes("routes", "a")));

    awaitVersions("the first sync");
    assertThat(plane.isReady()).isTrue();
    assertThat(plane.cluster("a").endpoints()).containsExactly(endpoint(9001));
    assertThat(plane.cluster("b").endpoints()).containsExactly(endpoint(9002));
    assertThat(plane.cluster("c").endpoints()).containsExactly(endpoint(9003));
    assertThat(plane.routeTable("routes")).isNotNull();
    assertThat(plane.listenerNames()).containsExactly("http");
    assertThat(plane.lastRejections()).isEmpty();
    await(() -> acks.size() >= 3, "the server to see the three ACKs");
    assertThat(acks)
        .contains(
            GATEWAY + " " + XdsTranslator.CLUSTER_TYPE + " " + version(XdsTranslator.CLUSTER_TYPE));
  }

  @Test
  void oneChangedClusterReplacesThatClusterOnlyAndARemovedOneGoes() throws Exception {
    publish(
        List.of(cluster("a", 9001), cluster("b", 9002), cluster("c", 9003)),
        List.of(listener("http", "routes")),
        List.of(routes("routes", "a")));
    awaitVersions("the first sync");
    ClusterConfig a = plane.cluster("a");
    ClusterConfig c = plane.cluster("c");
    RouteTable routeTable = plane.routeTable("routes");
    String lds = plane.acceptedVersions().get(XdsTranslator.LISTENER_TYPE);
    int logged = log.size();

    publish(
        List.of(cluster("a", 9001), cluster("b", 9102), cluster("c", 9003)),
        List.of(listener("http", "routes")),
        List.of(routes("routes", "a")));
    awaitVersions("b changed");
    assertThat(plane.cluster("b").endpoints()).containsExactly(endpoint(9102));
    // The others were not sent again: the very objects decoded at the first sync are kept.
    assertThat(plane.cluster("a")).isSameAs(a);
    assertThat(plane.cluster("c")).isSameAs(c);
    assertThat(plane.routeTable("routes")).isSameAs(routeTable);
    assertThat(plane.acceptedVersions().get(XdsTranslator.LISTENER_TYPE)).isEqualTo(lds);
    assertThat(log.subList(logged, log.size()))
        .anyMatch(l -> l.startsWith("ADS: ACK CDS") && l.endsWith("(1 changed, 0 removed)"))
        .noneMatch(l -> l.startsWith("ADS: ACK LDS") || l.startsWith("ADS: ACK RDS"));

    logged = log.size();
    publish(
        List.of(cluster("a", 9001), cluster("b", 9102)),
        List.of(listener("http", "routes")),
        List.of(routes("routes", "a")));
    awaitVersions("c removed");
    assertThat(plane.cluster("c")).isNull();
    assertThat(plane.cluster("a")).isSameAs(a);
    assertThat(log.subList(logged, log.size()))
        .anyMatch(l -> l.startsWith("ADS: ACK CDS") && l.endsWith("(0 changed, 1 removed)"));
  }

  @Test
  void aNackKeepsWhatWasHeldAndTheServerSeesTheRejection() throws Exception {
    publish(
        List.of(cluster("a", 9001), cluster("b", 9002)),
        List.of(listener("http", "routes")),
        List.of(routes("routes", "a")));
    awaitVersions("the first sync");
    ClusterConfig a = plane.cluster("a");
    ClusterConfig b = plane.cluster("b");
    String good = plane.acceptedVersions().get(XdsTranslator.CLUSTER_TYPE);

    // b changes and a new cluster is one the data plane rejects (EDS): nothing of it is applied.
    Cluster eds =
        cluster("d", 9004).toBuilder()
            .setType(Cluster.DiscoveryType.EDS)
            .clearLoadAssignment()
            .build();
    publish(
        List.of(cluster("a", 9001), cluster("b", 9102), eds),
        List.of(listener("http", "routes")),
        List.of(routes("routes", "a")));
    await(
        () -> plane.lastRejections().containsKey(XdsTranslator.CLUSTER_TYPE),
        "the CDS update to be NACKed");
    assertThat(plane.lastRejections().get(XdsTranslator.CLUSTER_TYPE))
        .contains("cluster 'd'")
        .contains("EDS");
    assertThat(plane.acceptedVersions().get(XdsTranslator.CLUSTER_TYPE)).isEqualTo(good);
    assertThat(plane.cluster("a")).isSameAs(a);
    assertThat(plane.cluster("b")).isSameAs(b);
    assertThat(plane.cluster("d")).isNull();
    await(() -> !nacks.isEmpty(), "the server to report the NACK");
    assertThat(nacks.get(0))
        .startsWith(GATEWAY + " " + XdsTranslator.CLUSTER_TYPE)
        .contains("cluster 'd'");

    // The next good change is applied whole and clears the rejection.
    publish(
        List.of(cluster("a", 9001), cluster("b", 9202)),
        List.of(listener("http", "routes")),
        List.of(routes("routes", "a")));
    awaitVersions("the corrected clusters");
    assertThat(plane.cluster("b").endpoints()).containsExactly(endpoint(9202));
    assertThat(plane.cluster("d")).isNull();
    assertThat(plane.lastRejections()).doesNotContainKey(XdsTranslator.CLUSTER_TYPE);
    assertThat(nacks).hasSize(1);
  }

  @Test
  void routeConfigurationsFollowTheListeners() throws Exception {
    publish(
        List.of(cluster("a", 9001)),
        List.of(listener("http", "routes")),
        List.of(routes("routes", "a"), routes("other", "a")));
    awaitVersions("the first sync");
    assertThat(plane.routeTable("routes")).isNotNull();
    assertThat(plane.routeTable("other")).as("not referenced: not subscribed").isNull();

    publish(
        List.of(cluster("a", 9001)),
        List.of(listener("http", "other")),
        List.of(routes("routes", "a"), routes("other", "a")));
    await(
        () -> plane.routeTable("other") != null && plane.isReady(),
        "the listener's new route configuration");
    assertThat(plane.routeTable("routes")).as("unsubscribed: forgotten").isNull();
  }

  @Test
  void clusterMetadataStringsBecomeTheClustersProperties() throws Exception {
    publish(
        List.of(withMetadata(cluster("a", 9001), "default/lambda", "v1")),
        List.of(listener("http", "routes")),
        List.of(routes("routes", "a")));
    awaitVersions("the first sync");
    assertThat(property(plane.cluster("a"), "version")).isEqualTo("v1");

    publish(
        List.of(withMetadata(cluster("a", 9001), "default/lambda", "v2")),
        List.of(listener("http", "routes")),
        List.of(routes("routes", "a")));
    awaitVersions("the metadata change");
    assertThat(property(plane.cluster("a"), "backend")).isEqualTo("default/lambda");
    assertThat(property(plane.cluster("a"), "version")).isEqualTo("v2");
  }

  /**
   * On a new stream every type's first request carries what is held as {@code
   * initial_resource_versions} (xds_protocol, "Incremental xDS", reconnect), RDS its names too.
   */
  @Test
  void aNewStreamSendsTheVersionsHeld() throws Exception {
    try (TestAdsServer recording = new TestAdsServer().start();
        EmbeddedDataPlane p =
            EmbeddedDataPlane.start(
                DataPlaneOptions.of(
                        "127.0.0.1",
                        recording.port(),
                        recording.credentials(GATEWAY),
                        "delta-node",
                        GATEWAY,
                        ModuleUnderTest.path())
                    .withBindOverride("127.0.0.1")
                    .withBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
                    .withLog(line -> System.err.println("[dataplane] " + line)))) {
      recording.set(
          GATEWAY,
          "v1",
          List.of(cluster("a", 9001), cluster("b", 9002)),
          List.of(listener("http", "routes")),
          List.of(routes("routes", "a")));
      await(
          p,
          () -> p.isReady() && "v1".equals(p.acceptedVersions().get(XdsTranslator.CLUSTER_TYPE)),
          "the first sync");
      List<TestAdsServer.Recorded> first = recording.streams.get(0);
      assertThat(first.get(0).delta()).isTrue();
      assertThat(first.get(0).hasNode()).isTrue();
      assertThat(first.get(0).asDelta().getInitialResourceVersionsMap())
          .as("nothing held yet")
          .isEmpty();
      assertThat(first.get(0).asDelta().getResourceNamesSubscribeList())
          .as("wildcard CDS")
          .isEmpty();

      recording.stop();
      await(p, () -> !p.connected(), "the stream to end");
      recording.start();
      await(p, () -> recording.streams.size() >= 2 && p.connected(), "the second stream");
      List<TestAdsServer.Recorded> second = recording.streams.get(recording.streams.size() - 1);
      await(p, () -> second.size() >= 3, "the second stream's first requests");
      Map<String, DeltaDiscoveryRequest> firstByType = new java.util.HashMap<>();
      for (TestAdsServer.Recorded r : new ArrayList<>(second)) {
        if (r.getResponseNonce().isEmpty()) {
          firstByType.putIfAbsent(r.getTypeUrl(), r.asDelta());
        }
      }
      assertThat(second.get(0).hasNode()).as("the node again on the new stream's first").isTrue();
      DeltaDiscoveryRequest cds = firstByType.get(XdsTranslator.CLUSTER_TYPE);
      assertThat(cds.getInitialResourceVersionsMap()).containsOnlyKeys("a", "b");
      assertThat(cds.getInitialResourceVersionsMap().values()).allMatch(v -> !v.isEmpty());
      assertThat(firstByType.get(XdsTranslator.LISTENER_TYPE).getInitialResourceVersionsMap())
          .containsOnlyKeys("http");
      DeltaDiscoveryRequest rds = firstByType.get(XdsTranslator.ROUTE_TYPE);
      assertThat(rds.getResourceNamesSubscribeList()).containsExactly("routes");
      assertThat(rds.getInitialResourceVersionsMap()).containsOnlyKeys("routes");
      // java-control-plane ignores initial_resource_versions and sends everything again: applied
      // like any update.
      await(
          p,
          () -> recording.streams.get(recording.streams.size() - 1).size() >= 6,
          "the new stream's ACKs");
      assertThat(p.lastRejections()).isEmpty();
      assertThat(p.cluster("a").endpoints()).containsExactly(endpoint(9001));
    }
  }

  // ------------------------------------------------------------------------------ helpers

  void publish(List<Cluster> clusters, List<Listener> listeners, List<RouteConfiguration> routes) {
    xds.publish(GATEWAY, EnvoyResources.of(listeners, routes, clusters));
  }

  String version(String type) {
    return xds.version(GATEWAY, type);
  }

  /** Waits until every type's accepted version is the one the server serves. */
  void awaitVersions(String what) throws InterruptedException {
    await(
        () ->
            plane.isReady()
                && List.of(
                        XdsTranslator.CLUSTER_TYPE,
                        XdsTranslator.LISTENER_TYPE,
                        XdsTranslator.ROUTE_TYPE)
                    .stream()
                    .allMatch(t -> version(t).equals(plane.acceptedVersions().get(t))),
        what);
  }

  void await(BooleanSupplier condition, String what) throws InterruptedException {
    await(plane, condition, what);
  }

  static void await(EmbeddedDataPlane plane, BooleanSupplier condition, String what)
      throws InterruptedException {
    EmbeddedDataPlaneTest.await(plane, condition, what);
  }

  static Cluster cluster(String name, int port) {
    return Xds.cluster(name, "127.0.0.1", port);
  }

  static Listener listener(String name, String rds) {
    return Xds.listener(name, EmbeddedDataPlaneTest.ANY_PORT, rds, List.of(Xds.router()));
  }

  static RouteConfiguration routes(String name, String cluster) {
    return Xds.routes(name, List.of(Xds.prefixRoute(name + "-route", "/", cluster)));
  }

  static ClusterConfig.Endpoint endpoint(int port) {
    return new ClusterConfig.Endpoint("127.0.0.1", port);
  }

  static Cluster withMetadata(Cluster c, String backend, String version) {
    return c.toBuilder()
        .setMetadata(
            Metadata.newBuilder()
                .putFilterMetadata(
                    "dev.lambdagate",
                    Struct.newBuilder()
                        .putFields("backend", Value.newBuilder().setStringValue(backend).build())
                        .putFields("version", Value.newBuilder().setStringValue(version).build())
                        .build()))
        .build();
  }

  static String property(ClusterConfig c, String key) {
    byte[] value =
        c.metadataProperties()
            .get(List.of("xds", "cluster_metadata", "filter_metadata", "dev.lambdagate", key));
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }
}
