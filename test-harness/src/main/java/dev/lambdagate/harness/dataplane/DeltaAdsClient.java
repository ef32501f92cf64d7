package dev.lambdagate.harness.dataplane;

import com.google.rpc.Code;
import com.google.rpc.Status;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Incremental ADS ({@code api_type: DELTA_GRPC}), as Envoy speaks it (xds_protocol, "Incremental
 * xDS"): one {@code DeltaAggregatedResources} stream; CDS and LDS subscribed as wildcards (a first
 * request with no names), RDS by the route configuration names the listeners reference, subscribed
 * and unsubscribed by difference as the listeners change (an unsubscribed route configuration is
 * forgotten, as Envoy drops it). A response's {@code resources} are added or replaced by name and
 * its {@code removed_resources} dropped; it is ACKed with its {@code response_nonce} alone (a delta
 * ACK carries no version; {@code system_version_info} is only recorded, for the status and tests),
 * or NACKed with the nonce and an {@code error_detail}, keeping the last good state. A delta server
 * does not re-send a rejected change, so a NACK is sent once. On a new stream, every type's first
 * request carries {@code initial_resource_versions}: the name and version of everything held, so a
 * server that honours it sends only what changed meanwhile (java-control-plane 1.0.49 ignores it
 * and sends everything again, which is applied like any update).
 *
 * <p>Thread-safety: confined to the {@link AdsClient}'s scheduler thread.
 */
final class DeltaAdsClient extends AdsClient {
  private StreamObserver<DeltaDiscoveryRequest> requests;

  /** The route configuration names subscribed on the current stream. */
  private Set<String> routeNames = new TreeSet<>();

  DeltaAdsClient(DataPlaneOptions options, EmbeddedDataPlane plane) {
    super(options, plane);
  }

  @Override
  String protocol() {
    return "delta";
  }

  @Override
  void openStream(AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceStub stub, int gen) {
    requests = stub.deltaAggregatedResources(responses(gen, this::onResponse));
    send(
        DeltaDiscoveryRequest.newBuilder()
            .setTypeUrl(XdsTranslator.CLUSTER_TYPE)
            .putAllInitialResourceVersions(held.versions(XdsTranslator.CLUSTER_TYPE)));
    send(
        DeltaDiscoveryRequest.newBuilder()
            .setTypeUrl(XdsTranslator.LISTENER_TYPE)
            .putAllInitialResourceVersions(held.versions(XdsTranslator.LISTENER_TYPE)));
    routeNames = plane.routeNamesInUse();
    if (!routeNames.isEmpty()) {
      DeltaDiscoveryRequest.Builder rds =
          DeltaDiscoveryRequest.newBuilder()
              .setTypeUrl(XdsTranslator.ROUTE_TYPE)
              .addAllResourceNamesSubscribe(routeNames);
      for (Map.Entry<String, String> e : held.versions(XdsTranslator.ROUTE_TYPE).entrySet()) {
        if (routeNames.contains(e.getKey())) {
          rds.putInitialResourceVersions(e.getKey(), e.getValue());
        }
      }
      send(rds);
    }
  }

  @Override
  void completeStream() {
    if (requests != null) {
      try {
        requests.onCompleted();
      } catch (RuntimeException ignored) {
        // the stream is already gone
      }
    }
  }

  private void onResponse(DeltaDiscoveryResponse response) {
    String type = response.getTypeUrl();
    DeltaDiscoveryRequest.Builder answer =
        DeltaDiscoveryRequest.newBuilder().setTypeUrl(type).setResponseNonce(response.getNonce());
    if (!ORDER.contains(type)) {
      // A type we never asked for: NACK it so the server knows.
      send(
          answer.setErrorDetail(
              error("type " + type + " is not supported by the embedded data plane")));
      return;
    }
    try {
      held.update(type, response.getResourcesList(), response.getRemovedResourcesList());
      recordAccepted(type, response.getSystemVersionInfo());
      options
          .log()
          .accept(
              "ADS: ACK "
                  + shortType(type)
                  + " version "
                  + response.getSystemVersionInfo()
                  + " ("
                  + response.getResourcesCount()
                  + " changed, "
                  + response.getRemovedResourcesCount()
                  + " removed)");
      send(answer);
    } catch (XdsRejectedException e) {
      String error = e.getMessage();
      recordRejected(type, error);
      options
          .log()
          .accept(
              "ADS: NACK "
                  + shortType(type)
                  + " version "
                  + response.getSystemVersionInfo()
                  + ": "
                  + error
                  + " (keeping what was held)");
      send(answer.setErrorDetail(error(error)));
    }
    if (type.equals(XdsTranslator.LISTENER_TYPE)) {
      followListenersRoutes();
    }
  }

  /** Subscribes the route configurations the listeners now use, unsubscribes the others. */
  private void followListenersRoutes() {
    Set<String> wanted = plane.routeNamesInUse();
    if (wanted.equals(routeNames)) {
      return;
    }
    Set<String> subscribe = new TreeSet<>(wanted);
    subscribe.removeAll(routeNames);
    Set<String> unsubscribe = new TreeSet<>(routeNames);
    unsubscribe.removeAll(wanted);
    routeNames = wanted;
    if (!unsubscribe.isEmpty()) {
      try {
        held.drop(XdsTranslator.ROUTE_TYPE, unsubscribe);
      } catch (XdsRejectedException e) {
        // Applying route tables rejects nothing; keep serving them if it ever did.
        options.log().accept("ADS: cannot forget route configurations " + unsubscribe + ": " + e);
      }
    }
    send(
        DeltaDiscoveryRequest.newBuilder()
            .setTypeUrl(XdsTranslator.ROUTE_TYPE)
            .addAllResourceNamesSubscribe(subscribe)
            .addAllResourceNamesUnsubscribe(unsubscribe));
  }

  private static Status error(String message) {
    return Status.newBuilder().setCode(Code.INVALID_ARGUMENT_VALUE).setMessage(message).build();
  }

  private void send(DeltaDiscoveryRequest.Builder request) {
    if (requests == null) {
      return;
    }
    Node node = nodeOnFirstRequest();
    if (node != null) {
      request.setNode(node);
    }
    try {
      requests.onNext(request.build());
    } catch (RuntimeException e) {
      options.log().accept("ADS: cannot send (" + e.getMessage() + ")");
    }
  }
}
