package dev.lambdagate.harness.dataplane;

import com.google.rpc.Code;
import com.google.rpc.Status;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * State-of-the-world ADS ({@code api_type: GRPC}): one {@code StreamAggregatedResources} stream;
 * every response is the whole set of its type. Every response is ACKed (version and nonce) once
 * applied, or NACKed (last accepted version, the nonce, and an {@code error_detail}) and the last
 * good configuration kept. A server that re-sends a rejected snapshot at once (java-control-plane's
 * {@code SimpleCache} does) is answered again only after {@link DataPlaneOptions#renackDelay()}. On
 * a new stream the nonces start over and the versions held are re-sent, as Envoy does.
 *
 * <p>Thread-safety: confined to the {@link AdsClient}'s scheduler thread.
 */
final class SotwAdsClient extends AdsClient {
  private final Map<String, TypeState> types = new HashMap<>();
  private StreamObserver<DiscoveryRequest> requests;

  /** Per type: what was last accepted and seen. */
  private static final class TypeState {
    String version = "";
    String nonce = "";
    Set<String> names = new TreeSet<>();
    String nackedVersion;
    String nackedError;
  }

  SotwAdsClient(DataPlaneOptions options, EmbeddedDataPlane plane) {
    super(options, plane);
    for (String t : ORDER) {
      types.put(t, new TypeState());
    }
  }

  @Override
  String protocol() {
    return "state of the world";
  }

  @Override
  void openStream(AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceStub stub, int gen) {
    requests = stub.streamAggregatedResources(responses(gen, this::onResponse));
    // On a new stream, nonces start over; versions are what we hold (Envoy does the same).
    for (TypeState s : types.values()) {
      s.nonce = "";
      s.nackedVersion = null;
    }
    send(XdsTranslator.CLUSTER_TYPE, null);
    send(XdsTranslator.LISTENER_TYPE, null);
    TypeState rds = types.get(XdsTranslator.ROUTE_TYPE);
    rds.names = plane.routeNamesInUse();
    if (!rds.names.isEmpty()) {
      send(XdsTranslator.ROUTE_TYPE, null);
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

  private void onResponse(DiscoveryResponse response) {
    String type = response.getTypeUrl();
    TypeState state = types.get(type);
    if (state == null) {
      // A type we never asked for: NACK it so the server knows.
      sendRaw(
          DiscoveryRequest.newBuilder()
              .setTypeUrl(type)
              .setResponseNonce(response.getNonce())
              .setErrorDetail(
                  Status.newBuilder()
                      .setCode(Code.INVALID_ARGUMENT_VALUE)
                      .setMessage("type " + type + " is not supported by the embedded data plane"))
              .build());
      return;
    }
    state.nonce = response.getNonce();
    try {
      held.replaceAll(type, response.getResourcesList());
      state.version = response.getVersionInfo();
      state.nackedVersion = null;
      recordAccepted(type, state.version);
      options
          .log()
          .accept(
              "ADS: ACK "
                  + shortType(type)
                  + " version "
                  + response.getVersionInfo()
                  + " ("
                  + response.getResourcesCount()
                  + " resources)");
      send(type, null);
    } catch (XdsRejectedException e) {
      String error = e.getMessage();
      recordRejected(type, error);
      boolean repeat =
          response.getVersionInfo().equals(state.nackedVersion) && error.equals(state.nackedError);
      state.nackedVersion = response.getVersionInfo();
      state.nackedError = error;
      if (!repeat) {
        options
            .log()
            .accept(
                "ADS: NACK "
                    + shortType(type)
                    + " version "
                    + response.getVersionInfo()
                    + ": "
                    + error
                    + " (keeping version '"
                    + state.version
                    + "')");
        send(type, error);
      } else {
        // The server re-sent what was just rejected: answer, but slowly.
        int gen = generation;
        String nonce = state.nonce;
        exec.schedule(
            () -> {
              if (gen == generation && nonce.equals(state.nonce)) {
                send(type, error);
              }
            },
            options.renackDelay().toMillis(),
            TimeUnit.MILLISECONDS);
      }
    }
    if (type.equals(XdsTranslator.LISTENER_TYPE)) {
      TypeState rds = types.get(XdsTranslator.ROUTE_TYPE);
      Set<String> wanted = plane.routeNamesInUse();
      if (!wanted.equals(rds.names)) {
        rds.names = wanted;
        send(XdsTranslator.ROUTE_TYPE, null);
      }
    }
  }

  private void send(String type, String error) {
    TypeState state = types.get(type);
    DiscoveryRequest.Builder b =
        DiscoveryRequest.newBuilder()
            .setTypeUrl(type)
            .setVersionInfo(state.version)
            .setResponseNonce(state.nonce);
    if (type.equals(XdsTranslator.ROUTE_TYPE)) {
      b.addAllResourceNames(state.names);
    }
    if (error != null) {
      b.setErrorDetail(Status.newBuilder().setCode(Code.INVALID_ARGUMENT_VALUE).setMessage(error));
    }
    sendRaw(b.build());
  }

  private void sendRaw(DiscoveryRequest request) {
    if (requests == null) {
      return;
    }
    Node node = nodeOnFirstRequest();
    if (node != null) {
      request = request.toBuilder().setNode(node).build();
    }
    try {
      requests.onNext(request);
    } catch (RuntimeException e) {
      options.log().accept("ADS: cannot send (" + e.getMessage() + ")");
    }
  }
}
