package dev.lambdagate.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.Status;
import dev.lambdagate.controlplane.ControlPlane;
import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.state.ResourceKey;
import dev.lambdagate.controlplane.status.DesiredStatus;
import dev.lambdagate.controlplane.tls.XdsTestTls;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A test ADS client against the real server (gRPC over mutual TLS on 127.0.0.1): subscribe as an
 * Envoy of a Gateway, ACK, NACK (held, not re-sent in a loop), change after a NACK, unchanged
 * state, restart.
 */
class AdsServerTest {
  private static final String LDS = Resources.V3.LISTENER_TYPE_URL;
  private static final String RDS = Resources.V3.ROUTE_TYPE_URL;
  private static final String CDS = Resources.V3.CLUSTER_TYPE_URL;

  private XdsServer xds;
  private ControlPlane cp;
  private final XdsTestTls tls = XdsTestTls.create();
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final AtomicReference<DesiredStatus> lastStatus = new AtomicReference<>();
  private final List<String> nacks = new ArrayList<>();

  static ClusterState seedState() throws Exception {
    Path dir = TestSupport.goldenDir().resolve("seed-secret");
    return TestSupport.loader()
        .loadString("input.yaml", Files.readString(dir.resolve("input.yaml")));
  }

  static ClusterState changedState() throws Exception {
    Path dir = TestSupport.goldenDir().resolve("seed-secret");
    String yaml =
        Files.readString(dir.resolve("input.yaml"))
            .replace("functionName: echo", "functionName: echo2");
    return TestSupport.loader().loadString("input.yaml", yaml);
  }

  @BeforeEach
  void start() throws Exception {
    ControlPlane[] holder = new ControlPlane[1];
    xds =
        new XdsServer(
            new NackListener() {
              @Override
              public void onNack(String group, String typeUrl, String version, String detail) {
                synchronized (nacks) {
                  nacks.add(group + " " + version + " " + detail);
                }
                holder[0].onNack(group, typeUrl, version, detail);
              }

              @Override
              public void onAck(String group, String typeUrl, String version) {
                holder[0].onAck(group, typeUrl, version);
              }
            });
    cp =
        new ControlPlane(
            TestSupport.modelBuilder(), TestSupport.translator(), xds, lastStatus::set);
    holder[0] = cp;
    xds.start(XdsTestTls.loopback(), tls.server);
  }

  @AfterEach
  void stop() throws Exception {
    for (ManagedChannel c : channels.values()) {
      c.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    }
    xds.close();
  }

  /** A channel with the client certificate of {@code gateway}. */
  ManagedChannel channel(String gateway) {
    return channels.computeIfAbsent(gateway, g -> tls.channel(xds.port(), g));
  }

  static Node node(String id, String gateway) {
    Node.Builder n = Node.newBuilder().setId(id).setCluster("lambdagate");
    if (gateway != null) {
      n.setMetadata(
          Struct.newBuilder()
              .putFields(
                  GatewayNodeGroup.METADATA_KEY,
                  Value.newBuilder().setStringValue(gateway).build()));
    }
    return n.build();
  }

  /** One ADS stream. */
  final class Stream {
    final BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
    final StreamObserver<DiscoveryRequest> requests;
    final Node node;

    Stream(String certifiedGateway, Node node) {
      this.node = node;
      this.requests =
          AggregatedDiscoveryServiceGrpc.newStub(channel(certifiedGateway))
              .streamAggregatedResources(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(DiscoveryResponse r) {
                      responses.add(r);
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {}
                  });
    }

    void request(String type, String version, String nonce, List<String> names, String error) {
      DiscoveryRequest.Builder b =
          DiscoveryRequest.newBuilder()
              .setNode(node)
              .setTypeUrl(type)
              .setVersionInfo(version)
              .setResponseNonce(nonce)
              .addAllResourceNames(names);
      if (error != null) {
        b.setErrorDetail(Status.newBuilder().setCode(3).setMessage(error));
      }
      requests.onNext(b.build());
    }

    DiscoveryResponse next(String type) throws InterruptedException {
      DiscoveryResponse r = responses.poll(5, TimeUnit.SECONDS);
      assertThat(r).as("a " + type + " response").isNotNull();
      assertThat(r.getTypeUrl()).isEqualTo(type);
      return r;
    }

    void ack(DiscoveryResponse r, List<String> names) {
      request(r.getTypeUrl(), r.getVersionInfo(), r.getNonce(), names, null);
    }

    /**
     * Responses that arrive within {@code millis}. A fixed wait on purpose: what is tested is that
     * nothing (more) is pushed, which no event announces; a push the server would make comes within
     * milliseconds of the state change or ACK before it.
     */
    int countFor(long millis) throws InterruptedException {
      Thread.sleep(millis);
      int n = responses.size();
      responses.clear();
      return n;
    }
  }

  /**
   * An Envoy of default/http subscribed to CDS, LDS and RDS for the state of the Secret guide's
   * documents (golden seed-secret), each ACKed; the stream and the LDS version it accepted.
   */
  private record Subscribed(Stream stream, String listenersVersion, String clustersVersion) {}

  private Subscribed subscribeAndAck() throws Exception {
    cp.onState(seedState());
    Stream s = new Stream("default/http", node("envoy-1", "default/http"));

    s.request(CDS, "", "", List.of(), null);
    DiscoveryResponse cds = s.next(CDS);
    String clustersVersion = cds.getVersionInfo();
    assertThat(cds.getResourcesList()).hasSize(1);
    assertThat(cds.getResources(0).unpack(Cluster.class).getName())
        .isEqualTo("lambdagate|default|lambda");
    s.ack(cds, List.of());

    s.request(LDS, "", "", List.of(), null);
    DiscoveryResponse lds = s.next(LDS);
    Listener listener = lds.getResources(0).unpack(Listener.class);
    assertThat(listener.getName()).isEqualTo("default/http/8080");
    String version = lds.getVersionInfo();
    assertThat(version).isEqualTo(cp.resources().get("default/http").listenersVersion());
    s.ack(lds, List.of());

    s.request(RDS, "", "", List.of("default/http/8080"), null);
    DiscoveryResponse rds = s.next(RDS);
    RouteConfiguration rc = rds.getResources(0).unpack(RouteConfiguration.class);
    assertThat(rc.getVirtualHosts(0).getRoutes(0).getName())
        .isEqualTo("default/lambda/rule-0/match-0");
    s.ack(rds, List.of("default/http/8080"));
    return new Subscribed(s, version, clustersVersion);
  }

  /** Changes the state, then NACKs the new CDS as Envoy does (version_info = the last accepted). */
  private void changeAndNack(Subscribed sub) throws Exception {
    cp.onState(changedState());
    DiscoveryResponse cds2 = sub.stream().next(CDS);
    assertThat(cds2.getVersionInfo()).isNotEqualTo(sub.clustersVersion());
    sub.stream()
        .request(
            CDS,
            sub.clustersVersion(),
            cds2.getNonce(),
            List.of(),
            "cluster lambdagate|default|lambda: bad metadata");
  }

  private boolean programmed(String status, String reason) {
    DesiredStatus desired = lastStatus.get();
    return desired != null
        && status().getConditions().stream()
            .anyMatch(
                c ->
                    c.getType().equals("Programmed")
                        && c.getStatus().equals(status)
                        && (reason == null || c.getReason().equals(reason)));
  }

  private static boolean await(java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(10);
    }
    return condition.getAsBoolean();
  }

  @Test
  void subscribingAndAckingProgramsTheGatewayAndPushesNothingMore() throws Exception {
    Subscribed sub = subscribeAndAck();

    assertThat(sub.stream().countFor(300)).as("nothing after ACKs").isZero();
    assertThat(await(() -> programmed("True", null))).isTrue();
  }

  @Test
  void anUnchangedStatePushesNothing() throws Exception {
    Subscribed sub = subscribeAndAck();

    assertThat(cp.onState(seedState())).isFalse();
    assertThat(sub.stream().countFor(300)).as("unchanged state").isZero();
  }

  /**
   * A Backend's function changes its cluster only (the backend's entry is in the cluster's
   * metadata): CDS is sent, the Listener is not, so Envoy drains nothing.
   */
  @Test
  void aChangeSendsOnlyTheChangedType() throws Exception {
    Subscribed sub = subscribeAndAck();

    cp.onState(changedState());
    assertThat(sub.stream().next(CDS).getVersionInfo()).isNotEqualTo(sub.clustersVersion());
    assertThat(sub.stream().countFor(200)).as("only clusters changed").isZero();
  }

  @Test
  void aNackIsHeldNotResentAndShowsInTheStatus() throws Exception {
    Subscribed sub = subscribeAndAck();

    changeAndNack(sub);

    assertThat(sub.stream().countFor(1000))
        .as("responses in 1 s after a NACK (no re-send loop)")
        .isZero();
    synchronized (nacks) {
      assertThat(nacks).hasSize(1);
      assertThat(nacks.get(0)).contains("default/http").contains("bad metadata");
    }
    assertThat(status().getConditions())
        .anyMatch(
            c ->
                c.getType().equals("Programmed")
                    && c.getStatus().equals("False")
                    && c.getReason().equals("Invalid")
                    && c.getMessage().contains("bad metadata"));
  }

  @Test
  void aDifferentSnapshotAfterANackIsSentAndItsAckClearsTheRejection() throws Exception {
    Subscribed sub = subscribeAndAck();
    changeAndNack(sub);
    assertThat(await(() -> programmed("False", "Invalid"))).isTrue();

    cp.onState(seedState());
    DiscoveryResponse cds3 = sub.stream().next(CDS);
    assertThat(cds3.getVersionInfo()).isEqualTo(sub.clustersVersion());
    sub.stream().ack(cds3, List.of());
    assertThat(await(() -> programmed("True", null))).isTrue();
  }

  @Test
  void severalEnvoysAndGatewaysEachByItsCertificate() throws Exception {
    Path dir = TestSupport.goldenDir().resolve("two-gateways");
    cp.onState(
        TestSupport.loader().loadString("input.yaml", Files.readString(dir.resolve("input.yaml"))));
    Stream a = new Stream("default/http", node("envoy-a", "default/http"));
    Stream b = new Stream("team-b/internal", node("team-b/internal", null));
    Stream a2 = new Stream("default/http", node("envoy-a2", null));
    for (Stream s : List.of(a, b, a2)) {
      s.request(LDS, "", "", List.of(), null);
    }
    assertThat(a.next(LDS).getResources(0).unpack(Listener.class).getName())
        .isEqualTo("default/http/8080");
    assertThat(a2.next(LDS).getResources(0).unpack(Listener.class).getName())
        .isEqualTo("default/http/8080");
    assertThat(b.next(LDS).getResources(0).unpack(Listener.class).getName())
        .isEqualTo("team-b/internal/9090");
  }

  @Test
  void restartGivesTheSameVersion() throws Exception {
    cp.onState(seedState());
    String v1 = xds.version("default/http");
    assertThat(v1).isNotNull();
    XdsServer other = new XdsServer(NackListener.NONE);
    ControlPlane cp2 =
        new ControlPlane(TestSupport.modelBuilder(), TestSupport.translator(), other, null);
    cp2.onState(seedState());
    assertThat(other.version("default/http")).isEqualTo(v1);
    assertThat(other.publish("default/http", cp2.resources().get("default/http")))
        .as("publishing the same version again pushes nothing")
        .isFalse();
  }

  private io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus status() {
    return lastStatus.get().gateways().get(new ResourceKey("Gateway", "default", "http"));
  }
}
