package dev.lambdagate.harness.dataplane;

import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An ADS server for tests: java-control-plane's {@code SimpleCache} (keyed by node id) behind
 * its {@code V3DiscoveryServer}, on a localhost port that survives {@link #stop}/{@link #start}
 * (so "the control plane went away and came back" can be tested). Records every request.
 */
final class TestAdsServer implements AutoCloseable {
  final SimpleCache<String> cache = new SimpleCache<>(node -> node.getId());
  final List<DiscoveryRequest> requests = new CopyOnWriteArrayList<>();
  private final V3DiscoveryServer discovery;
  private Server server;
  private int port;

  TestAdsServer() {
    discovery = new V3DiscoveryServer(new DiscoveryServerCallbacks() {
      @Override
      public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
        requests.add(request);
      }

      @Override
      public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {}
    }, cache);
  }

  TestAdsServer start() throws IOException {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .addService(discovery.getAggregatedDiscoveryServiceImpl())
        .build()
        .start();
    port = server.getPort();
    return this;
  }

  void stop() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  int port() {
    return port;
  }

  void set(String nodeId, Snapshot snapshot) {
    cache.setSnapshot(nodeId, snapshot);
  }

  /** NACKs seen (requests with an error_detail) for a type URL. */
  List<DiscoveryRequest> nacks(String typeUrl) {
    return requests.stream().filter(r -> r.getTypeUrl().equals(typeUrl) && r.hasErrorDetail())
        .toList();
  }

  @Override
  public void close() throws InterruptedException {
    if (server != null) {
      stop();
    }
  }
}
