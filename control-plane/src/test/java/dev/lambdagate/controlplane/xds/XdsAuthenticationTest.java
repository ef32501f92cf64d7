package dev.lambdagate.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.Status;
import dev.lambdagate.controlplane.ControlPlane;
import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.state.ResourceKey;
import dev.lambdagate.controlplane.status.DesiredStatus;
import dev.lambdagate.controlplane.tls.CertificateAuthority;
import dev.lambdagate.controlplane.tls.XdsTestTls;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ADS over mutual TLS decides who gets what by the client certificate alone: with Gateways A
 * ({@code default/http}) and B ({@code team-b/internal}) served, a client without a certificate (or
 * with one from another CA) gets nothing, B's certificate gets only B's resources whatever the node
 * says, and only A's certificate can NACK A. And a client that sends the node only on its first
 * request (Envoy's {@code set_node_on_first_message_only}) gets every type.
 */
class XdsAuthenticationTest {
  private static final String LDS = Resources.V3.LISTENER_TYPE_URL;
  private static final String RDS = Resources.V3.ROUTE_TYPE_URL;
  private static final String CDS = Resources.V3.CLUSTER_TYPE_URL;
  static final String A = "default/http";
  static final String B = "team-b/internal";

  private final XdsTestTls tls = XdsTestTls.create();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final AtomicReference<DesiredStatus> lastStatus = new AtomicReference<>();
  private XdsServer xds;
  private ControlPlane cp;

  @BeforeEach
  void start() throws Exception {
    // The control plane's own ADS server reports ACKs and NACKs straight back to it.
    cp = new ControlPlane(TestSupport.modelBuilder(), TestSupport.translator(), lastStatus::set);
    xds = cp.xds();
    xds.start(XdsTestTls.loopback(), tls.server);
    cp.onState(
        TestSupport.loader()
            .loadString(
                "input.yaml",
                Files.readString(
                    TestSupport.goldenDir().resolve("two-gateways").resolve("input.yaml"))));
  }

  @AfterEach
  void stop() throws Exception {
    for (ManagedChannel c : channels) {
      c.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    }
    xds.close();
  }

  static Node node(String id, String key, String value) {
    Node.Builder n = Node.newBuilder().setId(id).setCluster("lambdagate");
    if (key != null) {
      n.setMetadata(
          Struct.newBuilder().putFields(key, Value.newBuilder().setStringValue(value).build()));
    }
    return n.build();
  }

  ManagedChannel track(ManagedChannel c) {
    channels.add(c);
    return c;
  }

  /** One ADS stream over {@code channel}. */
  static final class Stream {
    final BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
    final CompletableFuture<Throwable> ended = new CompletableFuture<>();
    final StreamObserver<DiscoveryRequest> requests;

    Stream(ManagedChannel channel) {
      requests =
          AggregatedDiscoveryServiceGrpc.newStub(channel)
              .streamAggregatedResources(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(DiscoveryResponse r) {
                      responses.add(r);
                    }

                    @Override
                    public void onError(Throwable t) {
                      ended.complete(t);
                    }

                    @Override
                    public void onCompleted() {
                      ended.complete(null);
                    }
                  });
    }

    void request(
        Node node, String type, String version, String nonce, List<String> names, String error) {
      DiscoveryRequest.Builder b =
          DiscoveryRequest.newBuilder()
              .setTypeUrl(type)
              .setVersionInfo(version)
              .setResponseNonce(nonce)
              .addAllResourceNames(names);
      if (node != null) {
        b.setNode(node);
      }
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

    String listenerName() throws Exception {
      return next(LDS).getResources(0).unpack(Listener.class).getName();
    }
  }

  @Test
  void onlyTheCertificateDecidesWhatAClientGetsAndWhoseStatusItsNackChanges() throws Exception {
    // 1. Anonymous: no client certificate. The handshake fails; nothing arrives.
    Stream anonymous = new Stream(track(XdsTestTls.channel(xds.port(), null, tls.ca)));
    anonymous.request(node("x", GatewayNodeGroup.METADATA_KEY, A), LDS, "", "", List.of(), null);
    Throwable refused = anonymous.ended.get(10, TimeUnit.SECONDS);
    assertThat(io.grpc.Status.fromThrowable(refused).getCode())
        .isIn(io.grpc.Status.Code.UNAVAILABLE, io.grpc.Status.Code.UNAUTHENTICATED);
    assertThat(anonymous.responses).isEmpty();

    // 1b. A certificate for A from another CA: refused the same way.
    CertificateAuthority rogue = CertificateAuthority.create(Clock.systemUTC());
    Stream forged =
        new Stream(track(XdsTestTls.channel(xds.port(), rogue.issueGatewayClient(A), tls.ca)));
    forged.request(node(A, GatewayNodeGroup.METADATA_KEY, A), LDS, "", "", List.of(), null);
    assertThat(io.grpc.Status.fromThrowable(forged.ended.get(10, TimeUnit.SECONDS)).getCode())
        .isIn(io.grpc.Status.Code.UNAVAILABLE, io.grpc.Status.Code.UNAUTHENTICATED);
    assertThat(forged.responses).isEmpty();

    // 2. B's certificate, asking as A through node metadata: gets B.
    Stream bAsA = new Stream(track(tls.channel(xds.port(), B)));
    Node claimsA = node("envoy-b", GatewayNodeGroup.METADATA_KEY, A);
    bAsA.request(claimsA, LDS, "", "", List.of(), null);
    DiscoveryResponse bLds = bAsA.next(LDS);
    assertThat(bLds.getResourcesList())
        .extracting(r -> r.unpack(Listener.class).getName())
        .containsExactly("team-b/internal/9090");

    // 3. B's certificate lying in node id and in the server's own metadata key: gets B.
    Stream liar = new Stream(track(tls.channel(xds.port(), B)));
    liar.request(
        node(A, GatewayNodeGroup.AUTHENTICATED_GATEWAY_KEY, A), LDS, "", "", List.of(), null);
    assertThat(liar.listenerName()).isEqualTo("team-b/internal/9090");

    // 4. A's certificate: gets A.
    Stream a = new Stream(track(tls.channel(xds.port(), A)));
    a.request(node("envoy-a", null, null), LDS, "", "", List.of(), null);
    DiscoveryResponse aLds = a.next(LDS);
    assertThat(aLds.getResources(0).unpack(Listener.class).getName())
        .isEqualTo("default/http/8080");
    a.request(null, LDS, aLds.getVersionInfo(), aLds.getNonce(), List.of(), null);
    assertThat(awaitProgrammed(A, "True")).as("A programmed after its ACK").isTrue();

    // B's client NACKs "as A": only B's status changes.
    bAsA.request(claimsA, LDS, "", bLds.getNonce(), List.of(), "rejected by the B client");
    assertThat(awaitProgrammed(B, "False")).isTrue();
    assertThat(programmed(A)).as("A untouched by B's NACK").isEqualTo("True");
    assertThat(message(B)).contains("rejected by the B client");

    // A's own NACK does change A.
    cp.onState(
        TestSupport.loader()
            .loadString(
                "input.yaml",
                Files.readString(
                        TestSupport.goldenDir().resolve("two-gateways").resolve("input.yaml"))
                    .replace("port: 8080", "port: 8081")));
    DiscoveryResponse aLds2 = a.next(LDS);
    a.request(
        null, LDS, aLds.getVersionInfo(), aLds2.getNonce(), List.of(), "rejected by the A client");
    assertThat(awaitProgrammed(A, "False")).isTrue();
    assertThat(message(A)).contains("rejected by the A client");
  }

  @Test
  void nodeOnTheFirstRequestOnlyStillGetsClustersListenersAndRoutes() throws Exception {
    Stream s = new Stream(track(tls.channel(xds.port(), A)));
    s.request(node("envoy-a", GatewayNodeGroup.METADATA_KEY, A), CDS, "", "", List.of(), null);
    DiscoveryResponse cds = s.next(CDS);
    assertThat(cds.getResourcesList()).isNotEmpty();
    assertThat(cds.getResources(0).unpack(Cluster.class).getName()).startsWith("lambdagate|");
    s.request(null, CDS, cds.getVersionInfo(), cds.getNonce(), List.of(), null);
    s.request(null, LDS, "", "", List.of(), null);
    DiscoveryResponse lds = s.next(LDS);
    assertThat(lds.getResources(0).unpack(Listener.class).getName()).isEqualTo("default/http/8080");
    s.request(null, LDS, lds.getVersionInfo(), lds.getNonce(), List.of(), null);
    s.request(null, RDS, "", "", List.of("default/http/8080"), null);
    DiscoveryResponse rds = s.next(RDS);
    assertThat(rds.getResources(0).unpack(RouteConfiguration.class).getName())
        .isEqualTo("default/http/8080");
  }

  private GatewayStatus gateway(String nsName) {
    String[] p = nsName.split("/");
    DesiredStatus st = lastStatus.get();
    return st == null ? null : st.gateways().get(new ResourceKey("Gateway", p[0], p[1]));
  }

  private String programmed(String gw) {
    GatewayStatus g = gateway(gw);
    return g == null
        ? null
        : g.getConditions().stream()
            .filter(c -> c.getType().equals("Programmed"))
            .map(c -> c.getStatus())
            .findFirst()
            .orElse(null);
  }

  private String message(String gw) {
    return gateway(gw).getConditions().stream()
        .filter(c -> c.getType().equals("Programmed"))
        .map(c -> c.getMessage())
        .findFirst()
        .orElse("");
  }

  private boolean awaitProgrammed(String gw, String value) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      if (value.equals(programmed(gw))) {
        return true;
      }
      Thread.sleep(20);
    }
    return false;
  }
}
