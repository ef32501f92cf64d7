package dev.lambdagate.controlplane.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.StringValue;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.http.wasm.v3.Wasm;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.util.Map;

/**
 * xDS resources as YAML (protobuf JSON mapping, {@code Any} expanded with {@code @type}), in a
 * deterministic order: for {@code --dump} and golden files. A TLS certificate's private key is
 * shown as {@value #REDACTED}, as Envoy's {@code /config_dump} shows it (the field is marked
 * sensitive): a dump may be pasted anywhere.
 */
public final class XdsYaml {
  public static final JsonFormat.TypeRegistry TYPES =
      JsonFormat.TypeRegistry.newBuilder()
          .add(HttpConnectionManager.getDescriptor())
          .add(Wasm.getDescriptor())
          .add(Router.getDescriptor())
          .add(UpstreamTlsContext.getDescriptor())
          .add(DownstreamTlsContext.getDescriptor())
          .add(TlsInspector.getDescriptor())
          .add(StringValue.getDescriptor())
          .build();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().usingTypeRegistry(TYPES).omittingInsignificantWhitespace();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

  /** What a dump shows of a private key. */
  public static final String REDACTED = "[redacted]";

  private XdsYaml() {}

  /** {@code m} in the protobuf JSON mapping, private keys redacted. */
  public static JsonNode toJson(Message m) {
    try {
      JsonNode n = JSON.readTree(PRINTER.print(m));
      redactPrivateKeys(n);
      return n;
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Replaces every {@code privateKey} data source (any TLS certificate's) by {@link #REDACTED}. */
  private static void redactPrivateKeys(JsonNode n) {
    if (n instanceof ObjectNode o) {
      if (o.get("privateKey") instanceof ObjectNode key) {
        key.removeAll();
        key.put("inlineString", REDACTED);
      }
      o.forEach(XdsYaml::redactPrivateKeys);
    } else if (n instanceof ArrayNode a) {
      a.forEach(XdsYaml::redactPrivateKeys);
    }
  }

  /** {@code {gateway: {listeners: [...], routes: [...], clusters: [...]}}} sorted by gateway. */
  public static String dump(Map<String, EnvoyResources> byGateway) {
    ObjectNode root = JSON.createObjectNode();
    new java.util.TreeMap<>(byGateway)
        .forEach(
            (gw, r) -> {
              ObjectNode g = root.putObject(gw);
              g.put("version", r.version());
              ArrayNode ls = g.putArray("listeners");
              r.listeners().forEach(m -> ls.add(toJson(m)));
              ArrayNode rs = g.putArray("routes");
              r.routes().forEach(m -> rs.add(toJson(m)));
              ArrayNode cs = g.putArray("clusters");
              r.clusters().forEach(m -> cs.add(toJson(m)));
            });
    try {
      return YAML.writeValueAsString(root);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Any value as YAML (status, for golden files). */
  public static String yaml(Object value) {
    try {
      return YAML.writeValueAsString(value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
