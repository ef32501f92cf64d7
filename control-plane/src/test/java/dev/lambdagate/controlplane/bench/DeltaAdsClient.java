package dev.lambdagate.controlplane.bench;

import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.List;

/**
 * An incremental (delta) ADS client as Envoy's {@code api_type: DELTA_GRPC} is: the node only on
 * the stream's first request, wildcard CDS and LDS, RDS subscribed by name; every response ACKed
 * with its nonce alone (delta ACKs carry no version).
 */
final class DeltaAdsClient extends BenchAdsClient {
  private final StreamObserver<DeltaDiscoveryRequest> requests;
  private final Node node;
  private boolean nodeSent;

  DeltaAdsClient(ManagedChannel channel, String group) {
    this.node = node(group);
    requests =
        AggregatedDiscoveryServiceGrpc.newStub(channel)
            .deltaAggregatedResources(
                new StreamObserver<>() {
                  @Override
                  public void onNext(DeltaDiscoveryResponse r) {
                    long at = System.nanoTime();
                    long bytes = 0;
                    for (Resource res : r.getResourcesList()) {
                      bytes += res.getResource().getValue().size();
                    }
                    received.add(
                        new Received(
                            r.getTypeUrl(),
                            r.getSystemVersionInfo(),
                            bytes,
                            r.getSerializedSize(),
                            at));
                    send(
                        DeltaDiscoveryRequest.newBuilder()
                            .setTypeUrl(r.getTypeUrl())
                            .setResponseNonce(r.getNonce()));
                  }

                  @Override
                  public void onError(Throwable t) {
                    if (!closing) {
                      System.err.println("delta ADS stream failed: " + t);
                    }
                  }

                  @Override
                  public void onCompleted() {}
                });
  }

  @Override
  void subscribe(String routeName) {
    send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(Resources.V3.CLUSTER_TYPE_URL));
    send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(Resources.V3.LISTENER_TYPE_URL));
    send(
        DeltaDiscoveryRequest.newBuilder()
            .setTypeUrl(Resources.V3.ROUTE_TYPE_URL)
            .addAllResourceNamesSubscribe(List.of(routeName)));
  }

  private synchronized void send(DeltaDiscoveryRequest.Builder b) {
    if (!nodeSent) {
      b.setNode(node);
      nodeSent = true;
    }
    requests.onNext(b.build());
  }

  @Override
  public void close() {
    super.close();
    requests.onCompleted();
  }
}
