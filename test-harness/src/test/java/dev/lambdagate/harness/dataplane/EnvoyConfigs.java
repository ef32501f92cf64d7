package dev.lambdagate.harness.dataplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.StringValue;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.http.wasm.v3.Wasm;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** Reads the files of {@code envoy-configs/} the way Envoy does: YAML into the Bootstrap proto. */
final class EnvoyConfigs {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Fields newer than the Envoy protos on the classpath (java-control-plane api 1.0.49). Each is
   * checked for by the tests, then removed before the strict parse.
   */
  static final List<String> NEWER_THAN_PROTOS = List.of("allow_on_headers_stop_iteration");

  static final JsonFormat.TypeRegistry TYPES =
      JsonFormat.TypeRegistry.newBuilder()
          .add(HttpConnectionManager.getDescriptor())
          .add(Wasm.getDescriptor())
          .add(Router.getDescriptor())
          .add(UpstreamTlsContext.getDescriptor())
          .add(HttpProtocolOptions.getDescriptor())
          .add(StringValue.getDescriptor())
          .add(
              io.envoyproxy.envoy.extensions.resource_monitors.fixed_heap.v3.FixedHeapConfig
                  .getDescriptor())
          .add(
              io.envoyproxy.envoy.extensions.resource_monitors.downstream_connections.v3
                  .DownstreamConnectionsConfig.getDescriptor())
          .build();

  private EnvoyConfigs() {}

  static Path dir() {
    return Paths.get(System.getProperty("lambdagate.envoy.configs", "../envoy-configs"));
  }

  static JsonNode tree(String file) throws IOException {
    return YAML.readTree(Files.readString(dir().resolve(file)));
  }

  /** Parses strictly (unknown fields fail); returns the removed newer-than-protos fields. */
  static Bootstrap bootstrap(JsonNode tree, List<String> removed) throws IOException {
    JsonNode copy = tree.deepCopy();
    strip(copy, removed);
    Bootstrap.Builder b = Bootstrap.newBuilder();
    JsonFormat.parser().usingTypeRegistry(TYPES).merge(JSON.writeValueAsString(copy), b);
    return b.build();
  }

  static Bootstrap bootstrap(String file) throws IOException {
    return bootstrap(tree(file), new ArrayList<>());
  }

  private static void strip(JsonNode node, List<String> removed) {
    if (node instanceof ObjectNode o) {
      for (String f : NEWER_THAN_PROTOS) {
        if (o.has(f)) {
          o.remove(f);
          removed.add(f);
        }
      }
      o.forEach(child -> strip(child, removed));
    } else if (node.isArray()) {
      node.forEach(child -> strip(child, removed));
    }
  }

  static String toYaml(JsonNode tree) throws IOException {
    return YAML.writeValueAsString(tree);
  }
}
