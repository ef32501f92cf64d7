package dev.lambdagate.controlplane.model;

import java.util.List;

/**
 * One Envoy Listener: the Gateway listeners that share a port.
 *
 * @param id the Envoy Listener name and its RouteConfiguration name, {@code ns/gateway/port}
 */
public record PortModel(String id, int port, List<VirtualHostModel> virtualHosts) {
  public PortModel {
    virtualHosts = List.copyOf(virtualHosts);
  }
}
