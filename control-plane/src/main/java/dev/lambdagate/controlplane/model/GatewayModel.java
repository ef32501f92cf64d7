package dev.lambdagate.controlplane.model;

import dev.lambdagate.controlplane.state.ResourceKey;
import java.util.List;

/**
 * Everything one Gateway's Envoys get, resolved: listeners by port, routes, backends, and the
 * filter's JSON configuration (built once, here). Two equal models produce the same xDS.
 *
 * @param nodeGroup the xDS node group ({@code ns/name}) Envoys of this Gateway belong to
 * @param backends every backend referenced from this Gateway's routes, sorted by id
 * @param filterConfig the Wasm filter's JSON configuration, in the routed backends shape
 * @param stsClusters STS clusters needed ({@code lambdagate-sts|region} with its endpoint)
 * @param edgeLimits the listeners' edge-proxy limits (defaults, or the GatewayParameters' ones)
 */
public record GatewayModel(
    ResourceKey gateway,
    long generation,
    String nodeGroup,
    List<ListenerModel> listeners,
    List<PortModel> ports,
    List<BackendModel> backends,
    List<StsCluster> stsClusters,
    String filterConfig,
    EdgeLimits edgeLimits) {

  public GatewayModel {
    listeners = List.copyOf(listeners);
    ports = List.copyOf(ports);
    backends = List.copyOf(backends);
    stsClusters = List.copyOf(stsClusters);
    edgeLimits = edgeLimits == null ? EdgeLimits.DEFAULTS : edgeLimits;
  }

  /** An Envoy cluster to STS. */
  public record StsCluster(String name, Endpoint endpoint) {}
}
