package dev.lambdagate.controlplane.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * {@code GatewayParameters.spec}: {@code kube.serviceAccount} (the provisioned proxy's
 * ServiceAccount) and {@code edgeLimits} (overrides of the edge-proxy limits the listeners get,
 * docs/control-plane.md); other keys kgateway defines are accepted and ignored.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GatewayParametersSpec(Kube kube, EdgeLimits edgeLimits) {

  /** Only {@code kube}, no edge-limit overrides. */
  public GatewayParametersSpec(Kube kube) {
    this(kube, null);
  }

  /** {@code spec.kube}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Kube(ServiceAccount serviceAccount) {}

  /** {@code spec.kube.serviceAccount}: merged onto the provisioned proxy's ServiceAccount. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ServiceAccount(Map<String, String> extraAnnotations,
      Map<String, String> extraLabels) {}

  /**
   * {@code spec.edgeLimits}: each field left out keeps lambdagate's default
   * ({@code model.EdgeLimits#DEFAULTS}). Durations are Gateway API durations ({@code 10s},
   * {@code 5m}, {@code 1h}; {@code 0s} disables that timeout).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record EdgeLimits(Long bufferLimitBytes, String requestHeadersTimeout,
      String streamIdleTimeout, String requestTimeout, String idleTimeout,
      Integer maxRequestHeadersKb, Integer maxHeadersCount, Integer maxConcurrentStreams) {}
}
