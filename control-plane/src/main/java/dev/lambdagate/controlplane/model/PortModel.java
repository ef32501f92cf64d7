package dev.lambdagate.controlplane.model;

import java.util.List;

/**
 * One Envoy Listener: the Gateway listeners that share a port.
 *
 * @param id the Envoy Listener name and its RouteConfiguration name, {@code ns/gateway/port}
 * @param tls empty for HTTP; for HTTPS one chain per served Gateway listener, by hostname (the
 *     hostname-less one first), all sharing the port's routes
 */
public record PortModel(
    String id, int port, List<VirtualHostModel> virtualHosts, List<TlsChain> tls) {
  public PortModel {
    virtualHosts = List.copyOf(virtualHosts);
    tls = List.copyOf(tls);
  }

  /** A plain HTTP port. */
  public PortModel(String id, int port, List<VirtualHostModel> virtualHosts) {
    this(id, port, virtualHosts, List.of());
  }
}
