package dev.lambdagate.controlplane.kube;

import dev.lambdagate.controlplane.model.GatewayOwnership;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the Kubernetes mode. Build with {@link #defaults(String, String)} and the {@code
 * with...} methods.
 *
 * @param namespace the control plane's own namespace: the leader-election Lease lives here and
 *     provisioned proxies reach the control plane at {@code
 *     lambdagate-control-plane.<namespace>.svc}
 * @param identity this replica's identity in the Lease (the pod name)
 * @param watchNamespace watch only this namespace; {@code null} watches all namespaces
 * @param gatewayClassNames Gateway classes served when no GatewayClass object of that name names a
 *     controller (kgateway's Lambda guides use {@code kgateway}); a GatewayClass naming another
 *     controller wins ({@link GatewayOwnership})
 * @param leaseName name of the leader-election Lease
 * @param leaseDuration how long a Lease is valid without renewal
 * @param renewDeadline how long the leader keeps trying to renew before giving up
 * @param retryPeriod how often candidates try to acquire and the leader renews
 * @param coalesce how long a burst of changes is collected before one state is delivered
 * @param provision whether the leader provisions proxy Deployments/Services/ServiceAccounts
 * @param xdsService the control plane's Service name ({@code lambdagate-control-plane})
 * @param xdsPort ADS port of that Service
 * @param wasmHttpPort HTTP port of that Service serving the Wasm module (remote fetch)
 * @param envoyImage the proxy image
 */
public record KubeModeOptions(
    String namespace,
    String identity,
    String watchNamespace,
    List<String> gatewayClassNames,
    String leaseName,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod,
    Duration coalesce,
    boolean provision,
    String xdsService,
    int xdsPort,
    int wasmHttpPort,
    String envoyImage) {

  /**
   * Gateway classes served by default besides those naming lambdagate's controller (the rule:
   * {@link GatewayOwnership}).
   */
  public static final List<String> DEFAULT_CLASS_NAMES = GatewayOwnership.DEFAULT_CLASS_NAMES;

  /**
   * The Envoy image of provisioned proxies: {@code envoy.image.version} of the parent pom, the one
   * place that version is pinned (written into {@code lambdagate-build.properties}).
   */
  public static final String DEFAULT_ENVOY_IMAGE = BuildProperties.get("envoy.image");

  public KubeModeOptions {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(identity, "identity");
    gatewayClassNames = List.copyOf(gatewayClassNames);
  }

  /**
   * Defaults: all namespaces, classes {@code kgateway,lambdagate}, Lease {@code
   * lambdagate-control-plane} (15 s / 10 s / 2 s), 100 ms coalescing, provisioning on, ADS on 18000
   * and the Wasm module on 18080 of Service {@code lambdagate-control-plane}.
   */
  public static KubeModeOptions defaults(String namespace, String identity) {
    return new KubeModeOptions(
        namespace,
        identity,
        null,
        DEFAULT_CLASS_NAMES,
        "lambdagate-control-plane",
        Duration.ofSeconds(15),
        Duration.ofSeconds(10),
        Duration.ofSeconds(2),
        Duration.ofMillis(100),
        true,
        "lambdagate-control-plane",
        18000,
        18080,
        DEFAULT_ENVOY_IMAGE);
  }

  /**
   * From the environment of the control-plane pod: {@code POD_NAMESPACE} (default {@code
   * lambdagate-system}), {@code POD_NAME} (default the host name), {@code
   * LAMBDAGATE_WATCH_NAMESPACE}, {@code LAMBDAGATE_GATEWAY_CLASSES} (comma list), {@code
   * LAMBDAGATE_ENVOY_IMAGE}.
   */
  public static KubeModeOptions fromEnvironment() {
    String ns = env("POD_NAMESPACE", "lambdagate-system");
    String id = env("POD_NAME", env("HOSTNAME", "lambdagate-" + ProcessHandle.current().pid()));
    KubeModeOptions o = defaults(ns, id);
    String watch = System.getenv("LAMBDAGATE_WATCH_NAMESPACE");
    if (watch != null && !watch.isBlank()) {
      o = o.withWatchNamespace(watch.trim());
    }
    String classes = System.getenv("LAMBDAGATE_GATEWAY_CLASSES");
    if (classes != null) {
      o =
          o.withGatewayClassNames(
              List.of(classes.split("\\s*,\\s*")).stream().filter(s -> !s.isBlank()).toList());
    }
    String image = System.getenv("LAMBDAGATE_ENVOY_IMAGE");
    if (image != null && !image.isBlank()) {
      o = o.withEnvoyImage(image.trim());
    }
    return o;
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  public KubeModeOptions withWatchNamespace(String ns) {
    return new KubeModeOptions(
        namespace,
        identity,
        ns,
        gatewayClassNames,
        leaseName,
        leaseDuration,
        renewDeadline,
        retryPeriod,
        coalesce,
        provision,
        xdsService,
        xdsPort,
        wasmHttpPort,
        envoyImage);
  }

  public KubeModeOptions withGatewayClassNames(List<String> names) {
    return new KubeModeOptions(
        namespace,
        identity,
        watchNamespace,
        names,
        leaseName,
        leaseDuration,
        renewDeadline,
        retryPeriod,
        coalesce,
        provision,
        xdsService,
        xdsPort,
        wasmHttpPort,
        envoyImage);
  }

  public KubeModeOptions withLease(String name, Duration duration, Duration renew, Duration retry) {
    return new KubeModeOptions(
        namespace,
        identity,
        watchNamespace,
        gatewayClassNames,
        name,
        duration,
        renew,
        retry,
        coalesce,
        provision,
        xdsService,
        xdsPort,
        wasmHttpPort,
        envoyImage);
  }

  public KubeModeOptions withCoalesce(Duration d) {
    return new KubeModeOptions(
        namespace,
        identity,
        watchNamespace,
        gatewayClassNames,
        leaseName,
        leaseDuration,
        renewDeadline,
        retryPeriod,
        d,
        provision,
        xdsService,
        xdsPort,
        wasmHttpPort,
        envoyImage);
  }

  public KubeModeOptions withEnvoyImage(String image) {
    return new KubeModeOptions(
        namespace,
        identity,
        watchNamespace,
        gatewayClassNames,
        leaseName,
        leaseDuration,
        renewDeadline,
        retryPeriod,
        coalesce,
        provision,
        xdsService,
        xdsPort,
        wasmHttpPort,
        image);
  }

  /** {@code <xdsService>.<namespace>.svc}: the host proxies use to reach the control plane. */
  public String controlPlaneHost() {
    return xdsService + "." + namespace + ".svc";
  }
}
