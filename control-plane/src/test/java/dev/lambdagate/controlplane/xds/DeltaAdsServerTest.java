package dev.lambdagate.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Status;
import dev.lambdagate.controlplane.ControlPlane;
import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.state.ResourceKey;
import dev.lambdagate.controlplane.status.DesiredStatus;
import dev.lambdagate.controlplane.tls.XdsTestTls;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Incremental (delta) ADS against the real server over mutual TLS, as Envoy's {@code api_type:
 * DELTA_GRPC} speaks it: the node on the first request only, wildcard CDS and LDS, ACKs and NACKs
 * by nonce alone. Only changed resources are sent; a NACK is not re-sent and shows in the status;
 * the next change is sent and its ACK clears the rejection.
 */
class DeltaAdsServerTest {
  private static final String LDS = Resources.V3.LISTENER_TYPE_URL;
  private static final String CDS = Resources.V3.CLUSTER_TYPE_URL;

  private XdsServer xds;
  private ControlPlane cp;
  private ManagedChannel channel;
  private final XdsTestTls tls = XdsTestTls.create();
  private final AtomicReference<DesiredStatus> lastStatus = new AtomicReference<>();
  private final List<String> nacks = new ArrayList<>();
  private final List<String> acks = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    ControlPlane[] holder = new ControlPlane[1];
    xds =
        new XdsServer(
            new NackListener() {
              @Override
              public void onNack(String group, String typeUrl, String version, String detail) {
                synchronized (nacks) {
                  nacks.add(group + " " + typeUrl + " " + version + " " + detail);
                }
                holder[0].onNack(group, typeUrl, version, detail);
              }

              @Override
              public void onAck(String group, String typeUrl, String version) {
                synchronized (acks) {
                  acks.add(group + " " + typeUrl + " " + version);
                }
                holder[0].onAck(group, typeUrl, version);
              }
            });
    cp =
        new ControlPlane(
            TestSupport.modelBuilder(), TestSupport.translator(), xds, lastStatus::set);
    holder[0] = cp;
    xds.start(XdsTestTls.loopback(), tls.server);
    channel = tls.channel(xds.port(), "default/http");
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    xds.close();
  }

  /** One delta ADS stream with the certificate of default/http. */
  final class DeltaStream {
    final BlockingQueue<DeltaDiscoveryResponse> responses = new LinkedBlockingQueue<>();
    final StreamObserver<DeltaDiscoveryRequest> requests =
        AggregatedDiscoveryServiceGrpc.newStub(channel)
            .deltaAggregatedResources(
                new StreamObserver<>() {
                  @Override
                  public void onNext(DeltaDiscoveryResponse r) {
                    responses.add(r);
                  }

                  @Override
                  public void onError(Throwable t) {}

                  @Override
                  public void onCompleted() {}
                });
    private boolean first = true;

    /** Subscribes (wildcard); the node goes on the stream's first request only. */
    void subscribe(String type) {
      subscribe(type, java.util.Map.of());
    }

    /** Subscribes (wildcard) saying what the client still holds, as Envoy does on a new stream. */
    void subscribe(String type, java.util.Map<String, String> held) {
      DeltaDiscoveryRequest.Builder b =
          DeltaDiscoveryRequest.newBuilder().setTypeUrl(type).putAllInitialResourceVersions(held);
      if (first) {
        b.setNode(AdsServerTest.node("envoy-delta", "default/http"));
        first = false;
      }
      requests.onNext(b.build());
    }

    void ack(DeltaDiscoveryResponse r) {
      requests.onNext(
          DeltaDiscoveryRequest.newBuilder()
              .setTypeUrl(r.getTypeUrl())
              .setResponseNonce(r.getNonce())
              .build());
    }

    void nack(DeltaDiscoveryResponse r, String error) {
      requests.onNext(
          DeltaDiscoveryRequest.newBuilder()
              .setTypeUrl(r.getTypeUrl())
              .setResponseNonce(r.getNonce())
              .setErrorDetail(Status.newBuilder().setCode(3).setMessage(error))
              .build());
    }

    DeltaDiscoveryResponse next(String type) throws InterruptedException {
      DeltaDiscoveryResponse r = responses.poll(5, TimeUnit.SECONDS);
      assertThat(r).as("a " + type + " response").isNotNull();
      assertThat(r.getTypeUrl()).isEqualTo(type);
      return r;
    }

    int countFor(long millis) throws InterruptedException {
      Thread.sleep(millis);
      int n = responses.size();
      responses.clear();
      return n;
    }
  }

  private DeltaStream subscribeAndAck() throws Exception {
    cp.onState(AdsServerTest.seedState());
    DeltaStream s = new DeltaStream();
    s.subscribe(CDS);
    DeltaDiscoveryResponse cds = s.next(CDS);
    assertThat(cds.getResources(0).getResource().unpack(Cluster.class).getName())
        .isEqualTo("lambdagate|default|lambda");
    assertThat(cds.getSystemVersionInfo()).isEqualTo(xds.version("default/http", CDS));
    s.ack(cds);
    s.subscribe(LDS);
    DeltaDiscoveryResponse lds = s.next(LDS);
    assertThat(lds.getResources(0).getName()).isEqualTo("default/http/8080");
    assertThat(lds.getResources(0).getResource().unpack(Listener.class).getName())
        .isEqualTo("default/http/8080");
    s.ack(lds);
    return s;
  }

  @Test
  void subscribeAndAckWithTheNodeOnTheFirstRequestOnly() throws Exception {
    DeltaStream s = subscribeAndAck();

    assertThat(s.countFor(300)).as("nothing after the ACKs").isZero();
    assertThat(await(() -> acks.size() == 2)).as(acks.toString()).isTrue();
    synchronized (acks) {
      assertThat(acks)
          .containsExactly(
              "default/http " + CDS + " " + xds.version("default/http", CDS),
              "default/http " + LDS + " " + xds.version("default/http", LDS));
    }
  }

  @Test
  void aChangeSendsOnlyTheChangedResource() throws Exception {
    DeltaStream s = subscribeAndAck();

    cp.onState(AdsServerTest.changedState());
    DeltaDiscoveryResponse cds = s.next(CDS);
    assertThat(cds.getResourcesCount()).isEqualTo(1);
    assertThat(cds.getResources(0).getName()).isEqualTo("lambdagate|default|lambda");
    assertThat(cds.getRemovedResourcesList()).isEmpty();
    assertThat(s.countFor(200)).as("the listener did not change: no LDS").isZero();
  }

  @Test
  void aNackIsNotResentShowsInTheStatusAndTheNextChangeClearsIt() throws Exception {
    DeltaStream s = subscribeAndAck();

    cp.onState(AdsServerTest.changedState());
    DeltaDiscoveryResponse cds2 = s.next(CDS);
    s.nack(cds2, "cluster lambdagate|default|lambda: bad metadata");

    assertThat(s.countFor(1000)).as("responses in 1 s after a NACK (no re-send loop)").isZero();
    synchronized (nacks) {
      assertThat(nacks).hasSize(1);
      assertThat(nacks.get(0))
          .contains("default/http")
          .contains(xds.version("default/http", CDS))
          .contains("bad metadata");
    }
    assertThat(await(() -> programmed("False"))).isTrue();

    // A third configuration. (Going back to the one the Envoy holds would send nothing over delta:
    // the server compares with what the Envoy accepted, and nothing differs.)
    cp.onState(thirdState());
    DeltaDiscoveryResponse cds3 = s.next(CDS);
    assertThat(cds3.getSystemVersionInfo()).isEqualTo(xds.version("default/http", CDS));
    s.ack(cds3);
    assertThat(await(() -> programmed("True"))).isTrue();
  }

  /**
   * A client that reconnects holding a cluster that no longer exists (deleted while it was away) is
   * told to remove it in the first response; the ones that exist come again, and nothing is removed
   * that the client did not hold.
   */
  @Test
  void aReconnectingClientIsToldWhatWentAway() throws Exception {
    cp.onState(AdsServerTest.seedState());
    DeltaStream s = new DeltaStream();
    s.subscribe(
        CDS,
        java.util.Map.of("lambdagate|default|lambda", "old", "lambdagate|default|deleted", "old"));
    DeltaDiscoveryResponse cds = s.next(CDS);
    assertThat(cds.getResourcesList())
        .extracting(r -> r.getName())
        .containsExactly("lambdagate|default|lambda");
    assertThat(cds.getRemovedResourcesList()).containsExactly("lambdagate|default|deleted");
    s.ack(cds);
    s.subscribe(LDS);
    DeltaDiscoveryResponse lds = s.next(LDS);
    assertThat(lds.getRemovedResourcesList()).as("LDS: the client held nothing").isEmpty();
  }

  private static dev.lambdagate.controlplane.state.ClusterState thirdState() throws Exception {
    java.nio.file.Path dir = TestSupport.goldenDir().resolve("seed-secret");
    String yaml =
        java.nio.file.Files.readString(dir.resolve("input.yaml"))
            .replace("functionName: echo", "functionName: echo3");
    return TestSupport.loader().loadString("input.yaml", yaml);
  }

  private boolean programmed(String status) {
    DesiredStatus desired = lastStatus.get();
    return desired != null
        && desired
            .gateways()
            .get(new ResourceKey("Gateway", "default", "http"))
            .getConditions()
            .stream()
            .anyMatch(c -> c.getType().equals("Programmed") && c.getStatus().equals(status));
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
}
