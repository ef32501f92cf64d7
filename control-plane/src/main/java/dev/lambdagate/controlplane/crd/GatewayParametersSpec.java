package dev.lambdagate.controlplane.crd;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetSpec;
import java.util.List;
import java.util.Map;

/**
 * {@code GatewayParameters.spec}: kgateway's {@code kube} (the provisioned proxy: ServiceAccount,
 * Deployment, Envoy container, pod template, Service, PodDisruptionBudget), lambdagate's {@code
 * awsCredentials} and {@code edgeLimits} (overrides of the edge-proxy limits the listeners get,
 * docs/control-plane.md). Field names and shapes are kgateway's ({@code
 * api/v1alpha1/kgateway/gateway_parameters_types.go}) so that a kgateway user's YAML applies
 * unchanged; the Kubernetes pieces are fabric8's model types, which keep every field (known or not)
 * and so round-trip exactly.
 *
 * <p>The typed records ignore keys they do not know. The document as it was read is kept ({@link
 * #raw()}, also what this spec serializes back to) so that {@link GatewayParametersKeys} can list
 * the keys lambdagate ignores, for the GatewayParameters' status.
 *
 * @param raw the {@code spec} as read, or null when built in code
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GatewayParametersSpec(
    Kube kube, AwsCredentials awsCredentials, EdgeLimits edgeLimits, JsonNode raw) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Built in code: no raw document. */
  public GatewayParametersSpec(Kube kube, AwsCredentials awsCredentials, EdgeLimits edgeLimits) {
    this(kube, awsCredentials, edgeLimits, null);
  }

  /** Only {@code kube}: no credential or edge-limit settings. */
  public GatewayParametersSpec(Kube kube) {
    this(kube, null, null, null);
  }

  /** Reads {@code spec}, keeping the document for the unsupported-keys check. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static GatewayParametersSpec fromJson(JsonNode raw) throws JsonProcessingException {
    Fields f = MAPPER.treeToValue(raw, Fields.class);
    return new GatewayParametersSpec(f.kube(), f.awsCredentials(), f.edgeLimits(), raw.deepCopy());
  }

  /** The document as read (unknown keys included), or the typed fields when built in code. */
  @JsonValue
  public JsonNode toJson() {
    return raw != null ? raw : MAPPER.valueToTree(new Fields(kube, awsCredentials, edgeLimits));
  }

  /** The typed fields, (de)serialized the ordinary way. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Fields(Kube kube, AwsCredentials awsCredentials, EdgeLimits edgeLimits) {}

  /**
   * {@code spec.awsCredentials}: how the Gateway's proxies get AWS credentials.
   *
   * @param exchangeSecretKeys {@code false}: a Backend's Secret keys are pushed to the proxies as
   *     they are; true or absent: the control plane's default (on: only session credentials from
   *     STS {@code GetSessionToken} are pushed)
   * @param defaultIdentity what a Backend without {@code spec.aws.auth} signs with: {@code IRSA}
   *     (absent: the proxy ServiceAccount's role annotation and a web identity token) or {@code
   *     PodIdentity} (the ServiceAccount's EKS Pod Identity association, through the node's agent)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record AwsCredentials(Boolean exchangeSecretKeys, String defaultIdentity) {
    public AwsCredentials(Boolean exchangeSecretKeys) {
      this(exchangeSecretKeys, null);
    }
  }

  /**
   * {@code spec.kube}: kgateway's {@code KubernetesProxyConfig}, the fields lambdagate supports.
   *
   * @param podDisruptionBudget kgateway's {@code podDisruptionBudget} overlay: present, a
   *     PodDisruptionBudget selecting the proxy's pods is provisioned; absent, none is
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Kube(
      ServiceAccount serviceAccount,
      ProxyDeployment deployment,
      EnvoyContainer envoyContainer,
      Pod podTemplate,
      ProxyService service,
      PodDisruptionBudgetOverlay podDisruptionBudget) {

    /** Only the ServiceAccount. */
    public Kube(ServiceAccount serviceAccount) {
      this(serviceAccount, null, null, null, null, null);
    }
  }

  /** {@code spec.kube.serviceAccount}: merged onto the provisioned proxy's ServiceAccount. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ServiceAccount(
      Map<String, String> extraAnnotations, Map<String, String> extraLabels) {}

  /**
   * {@code spec.kube.deployment}.
   *
   * @param replicas the proxy's replica count, applied on every reconcile; absent: 1 at creation,
   *     then left to whoever scales the Deployment
   * @param omitReplicas true: the Deployment never carries a replica count from lambdagate (an HPA
   *     owns it); wins over {@code replicas}
   * @param strategy the Deployment's update strategy
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ProxyDeployment(
      Integer replicas, Boolean omitReplicas, DeploymentStrategy strategy) {}

  /**
   * {@code spec.kube.envoyContainer}.
   *
   * @param resources the container's requests and limits; a CPU limit also sets Envoy's {@code
   *     --concurrency}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record EnvoyContainer(
      Bootstrap bootstrap,
      Image image,
      ResourceRequirements resources,
      SecurityContext securityContext) {}

  /**
   * {@code spec.kube.envoyContainer.bootstrap}.
   *
   * @param logLevel Envoy's {@code --log-level}: trace, debug, info, warn, error, critical, off
   * @param componentLogLevels Envoy's {@code --component-log-level}, e.g. {@code upstream: debug}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Bootstrap(String logLevel, Map<String, String> componentLogLevels) {}

  /**
   * {@code spec.kube.envoyContainer.image}: each part left out keeps the control plane's image (its
   * {@code LAMBDAGATE_ENVOY_IMAGE}).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Image(
      String registry, String repository, String tag, String digest, String pullPolicy) {}

  /** {@code spec.kube.podTemplate}: kgateway's {@code Pod}, the fields lambdagate supports. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Pod(
      Map<String, String> extraLabels,
      Map<String, String> extraAnnotations,
      PodSecurityContext securityContext,
      List<LocalObjectReference> imagePullSecrets,
      Map<String, String> nodeSelector,
      Affinity affinity,
      List<Toleration> tolerations,
      List<TopologySpreadConstraint> topologySpreadConstraints) {}

  /** {@code spec.kube.service}: kgateway's {@code Service}, the fields lambdagate supports. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ProxyService(
      String type,
      Map<String, String> extraLabels,
      Map<String, String> extraAnnotations,
      String externalTrafficPolicy) {}

  /**
   * {@code spec.kube.podDisruptionBudget}: kgateway's overlay shape ({@code metadata} labels and
   * annotations, {@code spec}); the selector is always the proxy's pods.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PodDisruptionBudgetOverlay(
      OverlayMetadata metadata, PodDisruptionBudgetSpec spec) {}

  /** Labels and annotations of an overlay. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record OverlayMetadata(Map<String, String> labels, Map<String, String> annotations) {}

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
