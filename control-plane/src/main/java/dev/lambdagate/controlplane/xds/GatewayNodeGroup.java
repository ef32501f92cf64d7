package dev.lambdagate.controlplane.xds;

import com.google.protobuf.Value;
import io.envoyproxy.controlplane.cache.NodeGroup;
import io.envoyproxy.envoy.config.core.v3.Node;

/**
 * Maps an Envoy to the Gateway it serves: the node metadata {@value #AUTHENTICATED_GATEWAY_KEY},
 * which {@link GatewayAuthInterceptor} sets on every request from the client certificate
 * (overwriting anything the client sent). The node id and the informational metadata {@code
 * gateway} the proxies send are never used: a node without the authenticated key belongs to the
 * empty group, for which no snapshot exists.
 *
 * <p>Thread-safety: stateless.
 */
public final class GatewayNodeGroup implements NodeGroup<String> {
  /** Metadata key proxies send for humans and logs; ignored for grouping. */
  public static final String METADATA_KEY = "gateway";

  /** Metadata key set by the server from the TLS client certificate. */
  public static final String AUTHENTICATED_GATEWAY_KEY = "lambdagate.dev/authenticated-gateway";

  @Override
  public String hash(Node node) {
    if (node == null || !node.hasMetadata()) {
      return "";
    }
    Value v = node.getMetadata().getFieldsMap().get(AUTHENTICATED_GATEWAY_KEY);
    return v != null && v.hasStringValue() ? v.getStringValue() : "";
  }
}
