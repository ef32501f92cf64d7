package dev.lambdagate.controlplane.provision;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lambdagate.controlplane.model.RegexCheck;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bootstrap of a provisioned Envoy: node id {@code <gateway-ns>/<gateway-name>} with node
 * metadata {@code gateway: <ns>/<name>} (informational: the control plane takes the Gateway from
 * the client certificate), LDS/CDS over ADS (gRPC, xDS v3, node sent on the first message only)
 * from the cluster {@code xds_cluster} = the control plane's Service on the ADS port over mutual
 * TLS (client certificate, key and CA from the mounted Secret at {@value
 * XdsClientSecrets#MOUNT_PATH}; the server must present the Service's name), the admin interface on
 * 127.0.0.1:{@link #ADMIN_PORT} only, a static listener {@code readiness} on {@link
 * #READINESS_PORT} that forwards {@code GET /ready} (and nothing else) to the admin interface for
 * the kubelet's readiness probe, and the static cluster {@link #WASM_CLUSTER} = the same Service on
 * the HTTP port that serves the Wasm module ({@code vm_config.code.remote.http_uri.cluster} of the
 * Wasm filter), and the edge guidance's overload manager ({@link #overloadManager}).
 */
public final class EnvoyBootstrap {
  /** Envoy's admin port, bound to 127.0.0.1 inside the pod: never reachable from outside. */
  public static final int ADMIN_PORT = 19000;

  /** The readiness listener's port: answers only {@code /ready} (the kubelet's probe). */
  public static final int READINESS_PORT = 19001;

  /** The static cluster the readiness listener forwards {@code /ready} through. */
  public static final String ADMIN_CLUSTER = "envoy_admin";

  /** The ADS cluster's name in the bootstrap. */
  public static final String XDS_CLUSTER = "xds_cluster";

  /** The cluster the Wasm filter's remote code source fetches the module through. */
  public static final String WASM_CLUSTER = "lambdagate_control_plane_http";

  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .build();

  private EnvoyBootstrap() {}

  /** The bootstrap YAML for the proxy of Gateway {@code namespace/name}. */
  public static String yaml(
      String gatewayNamespace,
      String gatewayName,
      String controlPlaneHost,
      int xdsPort,
      int wasmHttpPort) {
    String id = gatewayNamespace + "/" + gatewayName;
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("node", map("id", id, "cluster", id, "metadata", map("gateway", id)));
    root.put("admin", map("address", socket("127.0.0.1", ADMIN_PORT)));
    root.put(
        "dynamic_resources",
        map(
            "ads_config",
                map(
                    "api_type",
                    "DELTA_GRPC",
                    "transport_api_version",
                    "V3",
                    "set_node_on_first_message_only",
                    true,
                    "grpc_services",
                    List.of(map("envoy_grpc", map("cluster_name", XDS_CLUSTER)))),
            "cds_config", map("ads", map(), "resource_api_version", "V3"),
            "lds_config", map("ads", map(), "resource_api_version", "V3")));
    Map<String, Object> xds = cluster(XDS_CLUSTER, controlPlaneHost, xdsPort, true);
    xds.put("transport_socket", xdsTls(controlPlaneHost, XdsClientSecrets.MOUNT_PATH));
    Map<String, Object> admin = cluster(ADMIN_CLUSTER, "127.0.0.1", ADMIN_PORT, false);
    admin.put("type", "STATIC");
    root.put(
        "static_resources",
        map(
            "listeners", List.of(readinessListener()),
            "clusters",
                List.of(xds, cluster(WASM_CLUSTER, controlPlaneHost, wasmHttpPort, false), admin)));
    root.put("overload_manager", overloadManager());
    root.put("layered_runtime", layeredRuntime());
    try {
      return YAML.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code envoy.transport_sockets.tls} for the ADS cluster: client certificate and key, the CA to
   * verify the control plane with, SNI and the SAN it must present ({@code serverName}).
   */
  static Map<String, Object> xdsTls(String serverName, String dir) {
    return map(
        "name",
        "envoy.transport_sockets.tls",
        "typed_config",
        map(
            "@type",
            "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3" + ".UpstreamTlsContext",
            "sni",
            serverName,
            "common_tls_context",
            map(
                "tls_certificates",
                    List.of(
                        map(
                            "certificate_chain", map("filename", dir + "/tls.crt"),
                            "private_key", map("filename", dir + "/tls.key"))),
                "validation_context",
                    map(
                        "trusted_ca", map("filename", dir + "/ca.crt"),
                        "match_typed_subject_alt_names",
                            List.of(
                                map("san_type", "DNS", "matcher", map("exact", serverName)))))));
  }

  /** Listener {@code readiness}: {@code /ready} goes to the admin interface, the rest is 404. */
  private static Map<String, Object> readinessListener() {
    Map<String, Object> routeConfig =
        map(
            "name",
            "readiness",
            "virtual_hosts",
            List.of(
                map(
                    "name", "readiness",
                    "domains", List.of("*"),
                    "routes",
                        List.of(
                            map(
                                "match",
                                map("path", "/ready"),
                                "route",
                                map("cluster", ADMIN_CLUSTER)),
                            map(
                                "match",
                                map("prefix", "/"),
                                "direct_response",
                                map("status", 404))))));
    return map(
        "name", "readiness",
        "address", socket("0.0.0.0", READINESS_PORT),
        "filter_chains",
            List.of(
                map(
                    "filters",
                    List.of(
                        map(
                            "name",
                            "envoy.filters.network.http_connection_manager",
                            "typed_config",
                            map(
                                "@type",
                                "type.googleapis.com/envoy.extensions.filters.network"
                                    + ".http_connection_manager.v3.HttpConnectionManager",
                                "stat_prefix",
                                "readiness",
                                "route_config",
                                routeConfig,
                                "http_filters",
                                List.of(
                                    map(
                                        "name",
                                        "envoy.filters.http.router",
                                        "typed_config",
                                        map(
                                            "@type",
                                            "type.googleapis.com/envoy.extensions.filters"
                                                + ".http.router.v3.Router")))))))));
  }

  /**
   * Envoy's runtime: a static layer raising {@code re2.max_program_size.error_level} from Envoy's
   * default of 100 (a route regex as plain as {@code /[a-z0-9-]{1,36}} is above it) to {@link
   * RegexCheck#ENVOY_PROGRAM_SIZE_LIMIT}, ten times what the control plane lets a route carry by
   * its estimate; then the admin layer, as Envoy has it when the bootstrap names no runtime.
   */
  static Map<String, Object> layeredRuntime() {
    return map(
        "layers",
        List.of(
            map(
                "name",
                "static",
                "static_layer",
                map("re2.max_program_size.error_level", RegexCheck.ENVOY_PROGRAM_SIZE_LIMIT)),
            map("name", "admin", "admin_layer", map())));
  }

  // ------------------------------------------------------- edge limits (overload manager)

  /** Heap the overload manager measures against (keep the pod's memory limit above it). */
  public static final long MAX_HEAP_BYTES = 2L * 1024 * 1024 * 1024;

  /** Downstream connections over all listeners; more are refused at accept. */
  public static final long MAX_DOWNSTREAM_CONNECTIONS = 50_000;

  /**
   * Envoy's edge-proxy guidance for the overload manager: shrink the heap at 95 % of {@link
   * #MAX_HEAP_BYTES}, stop accepting requests at 98 %, and cap downstream connections ({@code
   * envoy.resource_monitors.global_downstream_max_connections}, the successor of the {@code
   * overload.global_downstream_max_connections} runtime key).
   */
  static Map<String, Object> overloadManager() {
    String heap = "envoy.resource_monitors.fixed_heap";
    return map(
        "refresh_interval", "0.25s",
        "resource_monitors",
            List.of(
                map(
                    "name",
                    heap,
                    "typed_config",
                    map(
                        "@type",
                        "type.googleapis.com/"
                            + "envoy.extensions.resource_monitors.fixed_heap.v3.FixedHeapConfig",
                        "max_heap_size_bytes",
                        MAX_HEAP_BYTES)),
                map(
                    "name",
                    "envoy.resource_monitors.global_downstream_max_connections",
                    "typed_config",
                    map(
                        "@type",
                        "type.googleapis.com/envoy.extensions.resource_monitors."
                            + "downstream_connections.v3.DownstreamConnectionsConfig",
                        "max_active_downstream_connections",
                        MAX_DOWNSTREAM_CONNECTIONS))),
        "actions",
            List.of(
                map(
                    "name",
                    "envoy.overload_actions.shrink_heap",
                    "triggers",
                    List.of(map("name", heap, "threshold", map("value", 0.95)))),
                map(
                    "name",
                    "envoy.overload_actions.stop_accepting_requests",
                    "triggers",
                    List.of(map("name", heap, "threshold", map("value", 0.98))))));
  }

  // --------------------------------------------------------------------------------------

  private static Map<String, Object> cluster(String name, String host, int port, boolean http2) {
    Map<String, Object> c =
        map(
            "name",
            name,
            "type",
            "STRICT_DNS",
            "connect_timeout",
            "5s",
            "load_assignment",
            map(
                "cluster_name",
                name,
                "endpoints",
                List.of(
                    map(
                        "lb_endpoints",
                        List.of(map("endpoint", map("address", socket(host, port))))))));
    if (http2) {
      c.put(
          "typed_extension_protocol_options",
          map(
              "envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
              map(
                  "@type",
                  "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                  "explicit_http_config",
                  map("http2_protocol_options", map()))));
    }
    return c;
  }

  private static Map<String, Object> socket(String address, int port) {
    return map("socket_address", map("address", address, "port_value", port));
  }

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
