package dev.lambdagate.controlplane.provision;

import dev.lambdagate.controlplane.crd.GatewayParameters;
import dev.lambdagate.controlplane.crd.GatewayParametersSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a Gateway's {@code GatewayParameters} ({@code spec.kube}) asks of its provisioned proxy,
 * with every absent part resolved to lambdagate's default: the sections of the spec, the image, and
 * Envoy's command line. Immutable; thread-safe.
 */
record ProxySettings(
    GatewayParametersSpec.ServiceAccount serviceAccount,
    GatewayParametersSpec.ProxyDeployment deployment,
    GatewayParametersSpec.EnvoyContainer envoy,
    GatewayParametersSpec.Pod pod,
    GatewayParametersSpec.ProxyService service,
    GatewayParametersSpec.PodDisruptionBudgetOverlay podDisruptionBudget) {

  /** The Service type when {@code spec.kube.service.type} is absent. */
  static final String DEFAULT_SERVICE_TYPE = "LoadBalancer";

  static ProxySettings of(GatewayParameters params) {
    GatewayParametersSpec.Kube k =
        params == null || params.getSpec() == null ? null : params.getSpec().kube();
    if (k == null) {
      return new ProxySettings(null, null, null, null, null, null);
    }
    return new ProxySettings(
        k.serviceAccount(),
        k.deployment(),
        k.envoyContainer(),
        k.podTemplate(),
        k.service(),
        k.podDisruptionBudget());
  }

  /** The replica count lambdagate sets on every reconcile, or null when it sets none. */
  Integer replicas() {
    if (deployment == null || Boolean.TRUE.equals(deployment.omitReplicas())) {
      return null;
    }
    return deployment.replicas();
  }

  /** Whether the Deployment never gets a replica count from lambdagate, not even at creation. */
  boolean omitReplicas() {
    return deployment != null && Boolean.TRUE.equals(deployment.omitReplicas());
  }

  ResourceRequirements resources() {
    return envoy == null ? null : envoy.resources();
  }

  String pullPolicy() {
    return envoy == null || envoy.image() == null ? null : envoy.image().pullPolicy();
  }

  String serviceType() {
    return service == null || service.type() == null ? DEFAULT_SERVICE_TYPE : service.type();
  }

  /**
   * {@code spec.kube.service.externalTrafficPolicy}, or null when absent or when the Service type
   * has no external traffic (the API server rejects the field on a ClusterIP Service).
   */
  String externalTrafficPolicy() {
    String type = serviceType();
    if (service == null || !("LoadBalancer".equals(type) || "NodePort".equals(type))) {
      return null;
    }
    return service.externalTrafficPolicy();
  }

  /**
   * The container image: the control plane's {@code defaultImage} with each part {@code
   * envoyContainer.image} gives replaced, composed as {@code registry/repository:tag@digest} (a
   * digest, when there is one, is what the runtime pulls).
   */
  String image(String defaultImage) {
    GatewayParametersSpec.Image i = envoy == null ? null : envoy.image();
    if (i == null
        || (i.registry() == null
            && i.repository() == null
            && i.tag() == null
            && i.digest() == null)) {
      return defaultImage;
    }
    ImageReference d = ImageReference.parse(defaultImage);
    // Each part is overridden on its own, as kgateway documents for its image defaults: a mirror
    // registry keeps the repository and the tag (lambdagate's Envoy version).
    String registry = i.registry() != null ? i.registry() : d.registry();
    String repository = i.repository() != null ? i.repository() : d.repository();
    String tag = i.tag() != null ? i.tag() : d.tag();
    String digest = i.digest() != null ? i.digest() : d.digest();
    StringBuilder out = new StringBuilder();
    if (registry != null && !registry.isEmpty()) {
      out.append(registry).append('/');
    }
    out.append(repository);
    if (tag != null && !tag.isEmpty()) {
      out.append(':').append(tag);
    }
    if (digest != null && !digest.isEmpty()) {
      out.append('@').append(digest);
    }
    return out.toString();
  }

  /** Envoy's arguments after {@code -c <bootstrap>}: log levels and concurrency. */
  List<String> envoyArgs() {
    List<String> args = new ArrayList<>();
    GatewayParametersSpec.Bootstrap b = envoy == null ? null : envoy.bootstrap();
    if (b != null && b.logLevel() != null && !b.logLevel().isEmpty()) {
      args.add("--log-level");
      args.add(b.logLevel());
    }
    if (b != null && b.componentLogLevels() != null && !b.componentLogLevels().isEmpty()) {
      List<String> levels = new ArrayList<>();
      new TreeMap<>(b.componentLogLevels()).forEach((c, l) -> levels.add(c + ":" + l));
      args.add("--component-log-level");
      args.add(String.join(",", levels));
    }
    Integer concurrency = concurrency(resources());
    if (concurrency != null) {
      args.add("--concurrency");
      args.add(Integer.toString(concurrency));
    }
    return args;
  }

  /**
   * Envoy's worker threads for a container with {@code resources}: the CPU limit in cores rounded
   * up, at least 1. Without a limit, null (no flag): Envoy then starts one worker per hardware
   * thread of the node, which an unlimited container may indeed use; with a limit, that many
   * workers would share a CFS quota smaller than the node and be throttled, each worker's
   * connections stalling in turn, so the worker count follows the limit. Null as well when the
   * limit is not a quantity (the API server rejects the Deployment then, and says why).
   */
  static Integer concurrency(ResourceRequirements resources) {
    if (resources == null || resources.getLimits() == null) {
      return null;
    }
    Quantity cpu = resources.getLimits().get("cpu");
    if (cpu == null) {
      return null;
    }
    BigDecimal cores;
    try {
      cores = cpu.getNumericalAmount();
    } catch (RuntimeException e) {
      return null;
    }
    if (cores.signum() <= 0) {
      return 1;
    }
    BigDecimal whole = cores.setScale(0, RoundingMode.CEILING);
    return whole.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0
        ? Integer.MAX_VALUE
        : Math.max(1, whole.intValue());
  }

  Map<String, String> podLabels() {
    return strings(pod == null ? null : pod.extraLabels());
  }

  Map<String, String> podAnnotations() {
    return strings(pod == null ? null : pod.extraAnnotations());
  }

  Map<String, String> serviceLabels() {
    return strings(service == null ? null : service.extraLabels());
  }

  Map<String, String> serviceAnnotations() {
    return strings(service == null ? null : service.extraAnnotations());
  }

  Map<String, String> serviceAccountLabels() {
    return strings(serviceAccount == null ? null : serviceAccount.extraLabels());
  }

  Map<String, String> serviceAccountAnnotations() {
    return strings(serviceAccount == null ? null : serviceAccount.extraAnnotations());
  }

  Map<String, String> podDisruptionBudgetLabels() {
    return strings(
        podDisruptionBudget == null || podDisruptionBudget.metadata() == null
            ? null
            : podDisruptionBudget.metadata().labels());
  }

  Map<String, String> podDisruptionBudgetAnnotations() {
    return strings(
        podDisruptionBudget == null || podDisruptionBudget.metadata() == null
            ? null
            : podDisruptionBudget.metadata().annotations());
  }

  /** A sorted copy without null values (kgateway's overlays use null for "no such key"). */
  private static Map<String, String> strings(Map<String, String> m) {
    Map<String, String> out = new TreeMap<>();
    if (m != null) {
      m.forEach(
          (k, v) -> {
            if (k != null && v != null) {
              out.put(k, v);
            }
          });
    }
    return out;
  }

  /** An image reference split into kgateway's parts. */
  record ImageReference(String registry, String repository, String tag, String digest) {
    static ImageReference parse(String image) {
      String rest = image;
      String digest = null;
      int at = rest.indexOf('@');
      if (at >= 0) {
        digest = rest.substring(at + 1);
        rest = rest.substring(0, at);
      }
      String tag = null;
      int colon = rest.lastIndexOf(':');
      if (colon > rest.lastIndexOf('/')) {
        tag = rest.substring(colon + 1);
        rest = rest.substring(0, colon);
      }
      String registry = null;
      int slash = rest.indexOf('/');
      if (slash > 0) {
        String first = rest.substring(0, slash);
        // Docker's rule: the first component is a registry when it looks like a host.
        if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
          registry = first;
          rest = rest.substring(slash + 1);
        }
      }
      return new ImageReference(registry, rest, tag, digest);
    }
  }
}
