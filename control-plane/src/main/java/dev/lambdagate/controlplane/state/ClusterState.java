package dev.lambdagate.controlplane.state;

import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.crd.GatewayParameters;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Everything the control plane reads, at one moment: the input of translation. Produced either by
 * Kubernetes informers ({@code kube}) or by reading manifest files ({@code --manifests});
 * translation does not know which. The lists are immutable copies; the objects in them must not be
 * mutated by anyone.
 */
public record ClusterState(
    List<GatewayClass> gatewayClasses,
    List<Gateway> gateways,
    List<HTTPRoute> httpRoutes,
    List<Backend> backends,
    List<GatewayParameters> gatewayParameters,
    List<Secret> secrets,
    List<ServiceAccount> serviceAccounts,
    List<ReferenceGrant> referenceGrants) {

  public ClusterState {
    gatewayClasses = List.copyOf(gatewayClasses);
    gateways = List.copyOf(gateways);
    httpRoutes = List.copyOf(httpRoutes);
    backends = List.copyOf(backends);
    gatewayParameters = List.copyOf(gatewayParameters);
    secrets = List.copyOf(secrets);
    serviceAccounts = List.copyOf(serviceAccounts);
    referenceGrants = List.copyOf(referenceGrants);
  }

  /**
   * The order of the lists the Kubernetes source hands (by namespace, none first, then name): the
   * order the model patcher walks two states' HTTPRoutes in and the Gateways are taken in.
   */
  public static final Comparator<HasMetadata> BY_NAMESPACE_AND_NAME =
      (a, b) -> {
        int c =
            Objects.toString(a.getMetadata().getNamespace(), "")
                .compareTo(Objects.toString(b.getMetadata().getNamespace(), ""));
        return c != 0 ? c : a.getMetadata().getName().compareTo(b.getMetadata().getName());
      };

  /** A state with nothing in it. */
  public static ClusterState empty() {
    return new ClusterState(
        List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
  }
}
