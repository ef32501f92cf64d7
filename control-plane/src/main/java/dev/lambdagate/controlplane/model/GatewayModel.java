package dev.lambdagate.controlplane.model;

import dev.lambdagate.config.Endpoint;
import dev.lambdagate.controlplane.state.ResourceKey;
import java.util.List;

/**
 * Everything one Gateway's Envoys get, resolved: listeners by port, routes, backends. Two equal
 * models produce the same xDS, including the filter's JSON configuration, which {@code
 * translate.FilterConfigWriter} renders from {@code backends} and {@code ports}. Immutable;
 * thread-safe.
 *
 * @param nodeGroup the xDS node group ({@code ns/name}) Envoys of this Gateway belong to
 * @param backends every backend referenced from this Gateway's routes, sorted by id
 * @param stsClusters credential clusters needed ({@code lambdagate-sts|region} with its endpoint,
 *     {@code lambdagate-pod-identity-agent} with the agent's)
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
    EdgeLimits edgeLimits) {

  public GatewayModel {
    listeners = List.copyOf(listeners);
    ports = List.copyOf(ports);
    backends = List.copyOf(backends);
    stsClusters = List.copyOf(stsClusters);
    edgeLimits = edgeLimits == null ? EdgeLimits.DEFAULTS : edgeLimits;
  }

  /** An Envoy cluster to STS (or to the EKS Pod Identity agent). */
  public record StsCluster(String name, Endpoint endpoint) {}
}
