package dev.lambdagate.controlplane.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * {@code GatewayParameters.spec}: {@code kube.serviceAccount} and lambdagate's
 * {@code awsCredentials}; other keys kgateway defines are accepted and ignored.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GatewayParametersSpec(Kube kube, AwsCredentials awsCredentials) {

  public GatewayParametersSpec(Kube kube) {
    this(kube, null);
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
  public record ServiceAccount(Map<String, String> extraAnnotations,
      Map<String, String> extraLabels) {}
}
