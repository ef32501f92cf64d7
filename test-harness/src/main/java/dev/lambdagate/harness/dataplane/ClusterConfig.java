package dev.lambdagate.harness.dataplane;

import java.time.Duration;
import java.util.List;

/**
 * A CDS cluster as the embedded data plane understands it: static or DNS endpoints from the inline
 * {@code load_assignment}, plain or TLS ({@code UpstreamTlsContext} with an SNI).
 */
public record ClusterConfig(
    String name, List<Endpoint> endpoints, boolean tls, String sni, Duration connectTimeout) {

  /** One {@code lb_endpoints[].endpoint.address.socket_address}. */
  public record Endpoint(String host, int port) {
    @Override
    public String toString() {
      return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
  }

  public ClusterConfig {
    endpoints = List.copyOf(endpoints);
    sni = sni == null ? "" : sni;
  }
}
