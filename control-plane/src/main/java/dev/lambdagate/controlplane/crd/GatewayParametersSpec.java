package dev.lambdagate.controlplane.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * {@code GatewayParameters.spec}: {@code kube.serviceAccount} (the provisioned proxy's
 * ServiceAccount), lambdagate's {@code awsCredentials} and {@code edgeLimits} (overrides of the
 * edge-proxy limits the listeners get, docs/control-plane.md); other keys kgateway defines are
 * accepted and ignored.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GatewayParametersSpec(
    Kube kube, AwsCredentials awsCredentials, EdgeLimits edgeLimits) {

  /** Only {@code kube}: no credential or edge-limit settings. */
  public GatewayParametersSpec(Kube kube) {
    this(kube, null, null);
  }

  /**
   * {@code spec.awsCredentials}: how the Gateway's proxies get AWS credentials.
   *
   * @param exchangeSecretKeys {@code false}: a Backend's Secret keys are pushed to the proxies as
   *     they are; true or absent: the control plane's default (on: only session credentials from
   *     STS {@code GetSessionToken} are pushed)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record AwsCredentials(Boolean exchangeSecretKeys) {}

  /** {@code spec.kube}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Kube(ServiceAccount serviceAccount) {}

  /** {@code spec.kube.serviceAccount}: merged onto the provisioned proxy's ServiceAccount. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ServiceAccount(
      Map<String, String> extraAnnotations, Map<String, String> extraLabels) {}

  /**
   * {@code spec.edgeLimits}: each field left out keeps lambdagate's default ({@code
   * model.EdgeLimits#DEFAULTS}). Durations are Gateway API durations ({@code 10s}, {@code 5m},
   * {@code 1h}; {@code 0s} disables that timeout).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record EdgeLimits(
      Long bufferLimitBytes,
      String requestHeadersTimeout,
      String streamIdleTimeout,
      String requestTimeout,
      String idleTimeout,
      Integer maxRequestHeadersKb,
      Integer maxHeadersCount,
      Integer maxConcurrentStreams) {}
}
