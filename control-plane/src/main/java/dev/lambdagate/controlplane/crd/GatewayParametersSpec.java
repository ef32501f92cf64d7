package dev.lambdagate.controlplane.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * {@code GatewayParameters.spec}: only {@code kube.serviceAccount} is used; other keys kgateway
 * defines are accepted and ignored.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GatewayParametersSpec(Kube kube) {

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
