package dev.lambdagate.controlplane.xds;

import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Tells a reconnecting delta ADS client what went away while it was not connected.
 *
 * <p>On a new stream Envoy sends, with its first request of each type, {@code
 * initial_resource_versions}: what it still holds (Envoy docs, {@code xds_protocol}, "Incremental
 * xDS"). The server must answer with removals for what no longer exists. java-control-plane 1.0.49
 * ignores that map and starts every delta stream as if the client held nothing: it re-sends every
 * current resource and never removes the others, so a Listener, route table or Cluster deleted
 * while the stream was down (a control-plane restart, say) would stay in the Envoy until it
 * restarts — a deleted Backend's cluster, credentials included.
 *
 * <p>This interceptor records, per stream and type, the names of the first request's {@code
 * initial_resource_versions}, and adds to the first response of that type {@code removed_resources}
 * for every recorded name the response does not carry. That first response carries every current
 * resource the client asked for (the server believes the client holds nothing), so a recorded name
 * not in it no longer exists. A type with no resource at all gets no response, and so no removals:
 * then the client keeps the stale ones until the type has a resource again.
 *
 * <p>Thread-safety: requests arrive serially, responses on server threads; each stream's state is
 * guarded by its own lock.
 */
public final class DeltaReconnectRemovals implements ServerInterceptor {

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    if (!call.getMethodDescriptor().getFullMethodName().endsWith("/DeltaAggregatedResources")) {
      return next.startCall(call, headers);
    }
    StreamState state = new StreamState();
    ServerCall<ReqT, RespT> responses =
        new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          @SuppressWarnings("unchecked")
          public void sendMessage(RespT message) {
            if (message instanceof DeltaDiscoveryResponse r) {
              message = (RespT) state.onResponse(r);
            }
            super.sendMessage(message);
          }
        };
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
        next.startCall(responses, headers)) {
      @Override
      public void onMessage(ReqT message) {
        if (message instanceof DeltaDiscoveryRequest r) {
          state.onRequest(r);
        }
        super.onMessage(message);
      }
    };
  }

  /** What one stream's client said it held, per type, until the first response of that type. */
  static final class StreamState {
    private final Object lock = new Object();

    /**
     * @GuardedBy("lock")
     */
    private final Set<String> seenTypes = new HashSet<>();

    /**
     * @GuardedBy("lock")
     */
    private final Map<String, Set<String>> held = new HashMap<>();

    void onRequest(DeltaDiscoveryRequest r) {
      synchronized (lock) {
        if (seenTypes.add(r.getTypeUrl()) && r.getInitialResourceVersionsCount() > 0) {
          held.put(r.getTypeUrl(), new HashSet<>(r.getInitialResourceVersionsMap().keySet()));
        }
      }
    }

    DeltaDiscoveryResponse onResponse(DeltaDiscoveryResponse r) {
      Set<String> stale;
      synchronized (lock) {
        stale = held.remove(r.getTypeUrl());
      }
      if (stale == null) {
        return r;
      }
      for (Resource resource : r.getResourcesList()) {
        stale.remove(resource.getName());
      }
      stale.removeAll(r.getRemovedResourcesList());
      if (stale.isEmpty()) {
        return r;
      }
      return r.toBuilder().addAllRemovedResources(new TreeSet<>(stale)).build();
    }
  }
}
