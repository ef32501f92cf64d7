package dev.lambdagate.controlplane.xds;

import com.google.protobuf.Value;
import io.envoyproxy.controlplane.cache.NodeGroup;
import io.envoyproxy.envoy.config.core.v3.Node;

/**
 * Maps an Envoy to the Gateway it serves: node metadata {@code gateway: "ns/name"}, else the
 * node id (Envoys started with {@code --service-node ns/name} or {@code node.id: ns/name}).
 */
public final class GatewayNodeGroup implements NodeGroup<String> {
  public static final String METADATA_KEY = "gateway";

  @Override
  public String hash(Node node) {
    if (node == null) {
      return "";
    }
    if (node.hasMetadata()) {
      Value v = node.getMetadata().getFieldsMap().get(METADATA_KEY);
      if (v != null && v.hasStringValue() && !v.getStringValue().isEmpty()) {
        return v.getStringValue();
      }
    }
    return node.getId();
  }
}
