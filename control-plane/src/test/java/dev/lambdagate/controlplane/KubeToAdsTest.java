package dev.lambdagate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.kube.KubeStateSource;
import dev.lambdagate.controlplane.kube.KubeStatusWriter;
import dev.lambdagate.controlplane.kube.MockApi;
import dev.lambdagate.controlplane.model.Credentials;
import dev.lambdagate.controlplane.model.ModelBuilder;
import dev.lambdagate.controlplane.model.ModelOptions;
import dev.lambdagate.controlplane.tls.XdsTestTls;
import dev.lambdagate.controlplane.xds.GatewayNodeGroup;
import dev.lambdagate.controlplane.xds.XdsServer;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kubernetes to Envoy, the whole control plane: objects applied to fabric8's mock API server (CRUD
 * mode, CRDs registered) flow through the informers, the model and the translator to an ADS client
 * that ACKs like Envoy — apply, update, Secret rotation and delete each arrive as the right
 * snapshot — and status is written back to the API server.
 */
class KubeToAdsTest {
  static {
    MockApi.quiet();
  }

  static final String NS = "kgateway-system";

  /**
   * The get-started Gateway as the README's "In a Kubernetes cluster" has the user apply it (the
   * heredoc of its {@code kubectl apply -f - <<EOF}), so that the README cannot drift from what is
   * tested.
   */
  static String readmeGateway() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    Matcher m =
        Pattern.compile("(?s)\nkubectl apply -f - <<EOF\n(kind: Gateway\n.*?)\nEOF\n")
            .matcher(readme);
    assertThat(m.find()).as("README's get-started Gateway").isTrue();
    return m.group(1);
  }

  KubernetesMockServer server;
  KubernetesClient client;
  KubeStateSource source;
  XdsServer xds;
  ManagedChannel channel;

  /** The last resources of each type the ADS client received (and ACKed). */
  final Map<String, DiscoveryResponse> latest = new ConcurrentHashMap<>();

  @BeforeEach
  void startApiServer() {
    server = MockApi.startApiServer();
    client = server.createClient();
  }

  @AfterEach
  void stop() throws Exception {
    if (source != null) {
      source.close();
    }
    if (channel != null) {
      channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    }
    if (xds != null) {
      xds.close();
    }
    client.close();
    try {
      server.destroy();
    } catch (IllegalStateException e) {
      // The mock's own shutdown now and then waits out its fixed 10 s for a watch connection
      // to close after the client has gone; that is the mock's teardown, not the behaviour
      // under test, whose assertions have all run by now.
      System.err.println("KubeToAdsTest: mock API server shutdown: " + e.getMessage());
    }
  }

  @Test
  void applyUpdateRotateDeleteReachEnvoyAndStatusIsWritten() throws Exception {
    MockApi.installCrds(client);
    // As the README has it: no GatewayClass object; the class kgateway is ours by the default list.
    MockApi.apply(
        client, MockApi.load(client, "kube/seed-secret-credentials.yaml", MockApi.SEED_VARS));
    client.resource(readmeGateway()).create();

    // A session per key pair, as STS GetSessionToken would give.
    Map<String, Credentials.Inline> sessions =
        Map.of(
            "AKIAEXAMPLEEXAMPLE00", new Credentials.Inline("ASIAFIRSTSESSION0001", "s1", "t1"),
            "AKIAROTATEDROTATED00", new Credentials.Inline("ASIAROTATEDSESSION02", "s2", "t2"));
    ControlPlane cp =
        new ControlPlane(
            new ModelBuilder(
                ModelOptions.defaults(),
                TestSupport.TOKENS,
                source -> sessions.get(source.longTerm().accessKeyId())),
            TestSupport.translator(),
            new KubeStatusWriter(client));
    xds = cp.xds();
    XdsTestTls tls = XdsTestTls.create();
    xds.start(XdsTestTls.loopback(), tls.server);
    channel = tls.channel(xds.port(), NS + "/http");
    source = new KubeStateSource(client, null, Duration.ofMillis(50));
    source.start(cp::onState);

    subscribe(NS + "/http");
    // Apply: the Secret guide's Backend becomes a cluster, its route a route, its Secret's keys a
    // session.
    assertThat(MockApi.await(15000, () -> clusters().contains("lambdagate|" + NS + "|lambda")))
        .as("CDS: %s", clusters())
        .isTrue();
    assertThat(MockApi.await(15000, () -> filterJson().contains("ASIAFIRSTSESSION0001"))).isTrue();
    assertThat(filterJson()).doesNotContain("AKIAEXAMPLEEXAMPLE00");
    assertThat(MockApi.await(15000, () -> routeNames().contains(NS + "/lambda/rule-0/match-0")))
        .isTrue();
    // Status written back: the Backend is Accepted.
    assertThat(
            MockApi.await(
                15000,
                () -> {
                  Backend b =
                      client.resources(Backend.class).inNamespace(NS).withName("lambda").get();
                  return b.getStatus() != null
                      && b.getStatus().conditions().stream()
                          .anyMatch(
                              c -> c.getType().equals("Accepted") && c.getStatus().equals("True"));
                }))
        .isTrue();

    // Update: the route's prefix changes.
    // The control plane writes the route's status meanwhile: retry on 409 as kubectl would
    // have the user do.
    MockApi.retryOnConflict(
        () ->
            client
                .resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class)
                .inNamespace(NS)
                .withName("lambda")
                .edit(
                    r -> {
                      r.getSpec()
                          .getRules()
                          .get(0)
                          .getMatches()
                          .get(0)
                          .getPath()
                          .setValue("/v2/echo");
                      return r;
                    }));
    assertThat(MockApi.await(15000, () -> routes().contains("/v2/echo"))).isTrue();

    // Secret rotation: the new keys' session reaches the filter's configuration.
    String listenersBeforeRotation = listenersVersion();
    MockApi.retryOnConflict(
        () ->
            client
                .secrets()
                .inNamespace(NS)
                .withName("aws-creds")
                .edit(
                    s -> {
                      s.setStringData(
                          Map.of(
                              "accessKey", "AKIAROTATEDROTATED00", "secretKey", "rotated-secret"));
                      s.setData(null);
                      return s;
                    }));
    assertThat(MockApi.await(15000, () -> filterJson().contains("ASIAROTATEDSESSION02")))
        .as(filterJson())
        .isTrue();
    assertThat(filterJson())
        .doesNotContain("ASIAFIRSTSESSION0001")
        .doesNotContain("AKIAROTATEDROTATED00");
    assertThat(listenersVersion())
        .as("a rotation changes the Backend's cluster, never the Listener (no drain)")
        .isEqualTo(listenersBeforeRotation);

    // Delete: the HTTPRoute goes, and with it the route and the Backend's cluster.
    client
        .resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class)
        .inNamespace(NS)
        .withName("lambda")
        .delete();
    assertThat(MockApi.await(15000, () -> !routeNames().contains(NS + "/lambda/rule-0/match-0")))
        .isTrue();
  }

  private void subscribe(String gateway) {
    Node node =
        Node.newBuilder()
            .setId("envoy-kube")
            .setCluster("lambdagate")
            .setMetadata(
                Struct.newBuilder()
                    .putFields(
                        GatewayNodeGroup.METADATA_KEY,
                        Value.newBuilder().setStringValue(gateway).build()))
            .build();
    StreamObserver<DiscoveryRequest>[] requests = new StreamObserver[1];
    requests[0] =
        AggregatedDiscoveryServiceGrpc.newStub(channel)
            .streamAggregatedResources(
                new StreamObserver<>() {
                  @Override
                  public void onNext(DiscoveryResponse r) {
                    latest.put(r.getTypeUrl(), r);
                    // ACK at once, as Envoy does; for RDS keep asking for every listener's routes.
                    List<String> names =
                        r.getTypeUrl().equals(Resources.V3.ROUTE_TYPE_URL)
                            ? List.of(gateway + "/8080")
                            : List.of();
                    requests[0].onNext(
                        DiscoveryRequest.newBuilder()
                            .setNode(node)
                            .setTypeUrl(r.getTypeUrl())
                            .setVersionInfo(r.getVersionInfo())
                            .setResponseNonce(r.getNonce())
                            .addAllResourceNames(names)
                            .build());
                  }

                  @Override
                  public void onError(Throwable t) {}

                  @Override
                  public void onCompleted() {}
                });
    for (String type : List.of(Resources.V3.CLUSTER_TYPE_URL, Resources.V3.LISTENER_TYPE_URL)) {
      requests[0].onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(type).build());
    }
    requests[0].onNext(
        DiscoveryRequest.newBuilder()
            .setNode(node)
            .setTypeUrl(Resources.V3.ROUTE_TYPE_URL)
            .addResourceNames(gateway + "/8080")
            .build());
  }

  private List<String> clusters() {
    DiscoveryResponse r = latest.get(Resources.V3.CLUSTER_TYPE_URL);
    return r == null
        ? List.of()
        : r.getResourcesList().stream()
            .map(
                a -> {
                  try {
                    return a.unpack(Cluster.class).getName();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                })
            .toList();
  }

  /**
   * What the filter is configured with: the Listener's filter configuration and every cluster's
   * metadata (where each backend's entry, credentials included, sits), as text.
   */
  private String filterJson() {
    StringBuilder all = new StringBuilder();
    for (String type : List.of(Resources.V3.LISTENER_TYPE_URL, Resources.V3.CLUSTER_TYPE_URL)) {
      DiscoveryResponse r = latest.get(type);
      if (r == null) {
        continue;
      }
      try {
        for (var any : r.getResourcesList()) {
          all.append(
              type.equals(Resources.V3.LISTENER_TYPE_URL)
                  ? any.unpack(Listener.class).toString()
                  : any.unpack(Cluster.class).getMetadata().toString());
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return all.toString();
  }

  private String listenersVersion() {
    DiscoveryResponse r = latest.get(Resources.V3.LISTENER_TYPE_URL);
    return r == null ? "" : r.getVersionInfo();
  }

  private RouteConfiguration routeConfig() {
    DiscoveryResponse r = latest.get(Resources.V3.ROUTE_TYPE_URL);
    if (r == null || r.getResourcesCount() == 0) {
      return RouteConfiguration.getDefaultInstance();
    }
    try {
      return r.getResources(0).unpack(RouteConfiguration.class);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private List<String> routeNames() {
    return routeConfig().getVirtualHostsList().stream()
        .flatMap(v -> v.getRoutesList().stream())
        .map(rt -> rt.getName())
        .toList();
  }

  private String routes() {
    return routeConfig().toString();
  }
}
