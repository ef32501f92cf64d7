package dev.lambdagate.harness.dataplane;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CDS cluster as the embedded data plane understands it: static or DNS endpoints from the inline
 * {@code load_assignment}, plain or TLS ({@code UpstreamTlsContext} with an SNI), and the string
 * values of its {@code metadata.filter_metadata}, which a Wasm filter reads as the properties
 * {@code xds.cluster_metadata.filter_metadata.<namespace>.<key>} ({@link #metadataProperties}).
 *
 * @param filterMetadata per {@code filter_metadata} namespace, its Struct's top-level keys whose
 *     values are strings (other values are left out: see {@link XdsTranslator#cluster})
 */
public record ClusterConfig(
    String name,
    List<Endpoint> endpoints,
    boolean tls,
    String sni,
    Duration connectTimeout,
    Map<String, Map<String, String>> filterMetadata) {

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
    Map<String, Map<String, String>> copy = new LinkedHashMap<>();
    filterMetadata.forEach((ns, values) -> copy.put(ns, Map.copyOf(values)));
    filterMetadata = java.util.Collections.unmodifiableMap(copy);
  }

  /**
   * The cluster's metadata as Wasm properties, as Envoy's Wasm host resolves them for the route's
   * cluster: path {@code [xds, cluster_metadata, filter_metadata, <namespace>, <key>]} to the
   * string's UTF-8 bytes. A path not here is "not found".
   */
  Map<List<String>, byte[]> metadataProperties() {
    return XdsTranslator.metadataProperties("cluster_metadata", filterMetadata);
  }
}
