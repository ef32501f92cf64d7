package dev.lambdagate.controlplane.bench;

import com.google.protobuf.Any;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.List;

/**
 * A state-of-the-world ADS client (what the embedded data plane and today's Envoy bootstraps use):
 * wildcard CDS and LDS, RDS by name; every response ACKed with its version and nonce.
 */
final class SotwAdsClient extends BenchAdsClient {
  private final StreamObserver<DiscoveryRequest> requests;
  private final Node node;
  private volatile List<String> routeNames = List.of();

  SotwAdsClient(ManagedChannel channel, String group) {
    this.node = node(group);
    requests =
        AggregatedDiscoveryServiceGrpc.newStub(channel)
            .streamAggregatedResources(
                new StreamObserver<>() {
                  @Override
                  public void onNext(DiscoveryResponse r) {
                    long at = System.nanoTime();
                    long bytes = 0;
                    for (Any a : r.getResourcesList()) {
                      bytes += a.getValue().size();
                    }
                    received.add(
                        new Received(
                            r.getTypeUrl(), r.getVersionInfo(), bytes, r.getSerializedSize(), at));
                    request(r.getTypeUrl(), r.getVersionInfo(), r.getNonce());
                  }

                  @Override
                  public void onError(Throwable t) {
                    if (!closing) {
                      System.err.println("ADS stream failed: " + t);
                    }
                  }

                  @Override
                  public void onCompleted() {}
                });
  }

  @Override
  void subscribe(String routeName) {
    routeNames = List.of(routeName);
    for (String type :
        List.of(
            Resources.V3.CLUSTER_TYPE_URL,
            Resources.V3.LISTENER_TYPE_URL,
            Resources.V3.ROUTE_TYPE_URL)) {
      request(type, "", "");
    }
  }

  private synchronized void request(String type, String version, String nonce) {
    requests.onNext(
        DiscoveryRequest.newBuilder()
            .setNode(node)
            .setTypeUrl(type)
            .setVersionInfo(version)
            .setResponseNonce(nonce)
            .addAllResourceNames(type.equals(Resources.V3.ROUTE_TYPE_URL) ? routeNames : List.of())
            .build());
  }

  @Override
  public void close() {
    super.close();
    requests.onCompleted();
  }
}
