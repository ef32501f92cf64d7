package dev.lambdagate.controlplane.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Which keys of a {@code GatewayParameters.spec} lambdagate acts on, and which of a document's keys
 * it ignores. kgateway defines more than lambdagate supports yet (the SDS and Istio containers,
 * stats, overlays, ...); those are accepted by the CRD, and {@link #unsupported} names them so that
 * the GatewayParameters' status says so instead of staying silent.
 *
 * <p>A Kubernetes type taken whole (affinity, tolerations, resources, security contexts, ...) is
 * checked only at its top: what is inside goes to the provisioned objects as it is, and the API
 * server validates it there. Stateless; thread-safe.
 */
public final class GatewayParametersKeys {
  /** Any value: a string map or a Kubernetes type passed through whole. */
  private static final Map<String, Object> ANY = Map.of();

  private static final Map<String, Object> SPEC =
      Map.of(
          "kube",
          Map.of(
              "serviceAccount", Map.of("extraAnnotations", ANY, "extraLabels", ANY),
              "deployment", Map.of("replicas", ANY, "omitReplicas", ANY, "strategy", ANY),
              "envoyContainer",
                  Map.of(
                      "bootstrap",
                      Map.of("logLevel", ANY, "componentLogLevels", ANY),
                      "image",
                      Map.of(
                          "registry",
                          ANY,
                          "repository",
                          ANY,
                          "tag",
                          ANY,
                          "digest",
                          ANY,
                          "pullPolicy",
                          ANY),
                      "resources",
                      ANY,
                      "securityContext",
                      ANY),
              "podTemplate",
                  Map.of(
                      "extraLabels", ANY,
                      "extraAnnotations", ANY,
                      "securityContext", ANY,
                      "imagePullSecrets", ANY,
                      "nodeSelector", ANY,
                      "affinity", ANY,
                      "tolerations", ANY,
                      "topologySpreadConstraints", ANY),
              "service",
                  Map.of(
                      "type", ANY,
                      "extraLabels", ANY,
                      "extraAnnotations", ANY,
                      "externalTrafficPolicy", ANY),
              "podDisruptionBudget",
                  Map.of(
                      "metadata",
                      Map.of("labels", ANY, "annotations", ANY),
                      "spec",
                      Map.of(
                          "minAvailable", ANY,
                          "maxUnavailable", ANY,
                          "unhealthyPodEvictionPolicy", ANY))),
          "awsCredentials",
          Map.of("exchangeSecretKeys", ANY, "defaultIdentity", ANY),
          "edgeLimits",
          Map.of(
              "bufferLimitBytes", ANY,
              "requestHeadersTimeout", ANY,
              "streamIdleTimeout", ANY,
              "requestTimeout", ANY,
              "idleTimeout", ANY,
              "maxRequestHeadersKb", ANY,
              "maxHeadersCount", ANY,
              "maxConcurrentStreams", ANY));

  private GatewayParametersKeys() {}

  /**
   * The keys of {@code spec} lambdagate ignores, as paths from the object ({@code
   * spec.kube.sdsContainer}), in document order; empty when every key is supported.
   */
  public static List<String> unsupported(GatewayParametersSpec spec) {
    List<String> out = new ArrayList<>();
    if (spec != null) {
      walk(spec.toJson(), SPEC, "spec", out);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void walk(
      JsonNode node, Map<String, Object> schema, String path, List<String> out) {
    if (schema.isEmpty() || node == null || !node.isObject()) {
      return; // ANY, or a value the CRD schema has already checked
    }
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      Object sub = schema.get(e.getKey());
      String p = path + "." + e.getKey();
      if (sub == null) {
        out.add(p);
      } else {
        walk(e.getValue(), (Map<String, Object>) sub, p, out);
      }
    }
  }
}
