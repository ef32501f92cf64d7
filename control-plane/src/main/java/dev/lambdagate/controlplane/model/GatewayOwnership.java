package dev.lambdagate.controlplane.model;

import dev.lambdagate.controlplane.state.ClusterState;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one rule for what is lambdagate's: which Gateways it serves (translation, status,
 * provisioning and token minting all ask here) and which ServiceAccounts are its proxies' own.
 *
 * <p>A Gateway is ours when its {@code gatewayClassName}
 *
 * <ol>
 *   <li>names a GatewayClass object whose {@code spec.controllerName} is {@value #CONTROLLER_NAME},
 *       or
 *   <li>is in the accepted class names (default {@code kgateway}, {@code lambdagate}) and no
 *       GatewayClass object of that name names a controller.
 * </ol>
 *
 * A GatewayClass that exists and names another controller always wins over the name list: in a
 * cluster that runs kgateway, class {@code kgateway} (controller {@code kgateway.dev/kgateway}) is
 * kgateway's, and lambdagate neither translates, provisions, mints tokens nor writes status for its
 * Gateways. The name list exists so that the kgateway guides' YAML ({@code gatewayClassName:
 * kgateway}) works where kgateway is not installed.
 *
 * <p>A ServiceAccount is a proxy's own when lambdagate created it: it carries {@value
 * #MANAGED_BY}{@code : }{@value #MANAGED_BY_VALUE} and {@value #GATEWAY_NAME_LABEL} equal to its
 * own name. Only such accounts are changed or get tokens; a same-named account without those labels
 * (an application's IRSA account, say) is a conflict, reported on the Gateway.
 *
 * <p>Stateless; safe from any thread.
 */
public final class GatewayOwnership {
  /** The {@code controllerName} of lambdagate's GatewayClass and of its HTTPRoute parents. */
  public static final String CONTROLLER_NAME = "lambdagate.dev/gateway-controller";

  /** Class names served when no GatewayClass object of that name names a controller. */
  public static final List<String> DEFAULT_CLASS_NAMES = List.of("kgateway", "lambdagate");

  /** Label of every object lambdagate creates for a proxy. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  public static final String MANAGED_BY_VALUE = "lambdagate";

  /** The standard label of objects provisioned for a Gateway (GEP-1762). */
  public static final String GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name";

  private GatewayOwnership() {}

  /** Whether a Gateway of class {@code className} is lambdagate's (rule in the class comment). */
  public static boolean isOurClass(
      String className, Collection<GatewayClass> classes, Collection<String> acceptedNames) {
    if (className == null) {
      return false;
    }
    for (GatewayClass c : classes) {
      if (className.equals(c.getMetadata().getName())) {
        String controller = c.getSpec() == null ? null : c.getSpec().getControllerName();
        if (controller != null && !controller.isEmpty()) {
          return CONTROLLER_NAME.equals(controller);
        }
        break; // a class object naming no controller: the name list decides
      }
    }
    return acceptedNames.contains(className);
  }

  /** Whether {@code gateway} is lambdagate's in {@code state}. */
  public static boolean isOurs(
      Gateway gateway, ClusterState state, Collection<String> acceptedNames) {
    return gateway.getSpec() != null
        && isOurClass(
            gateway.getSpec().getGatewayClassName(), state.gatewayClasses(), acceptedNames);
  }

  /** lambdagate's Gateways in {@code state} (including ones being deleted), sorted by key. */
  public static List<Gateway> ourGateways(ClusterState state, Collection<String> acceptedNames) {
    List<Gateway> out = new ArrayList<>();
    for (Gateway g : state.gateways()) {
      if (isOurs(g, state, acceptedNames)) {
        out.add(g);
      }
    }
    out.sort(ClusterState.BY_NAMESPACE_AND_NAME);
    return out;
  }

  /** Whether lambdagate created {@code account} for the proxy of the Gateway of its name. */
  public static boolean isProxyServiceAccount(ServiceAccount account) {
    Map<String, String> labels = account.getMetadata().getLabels();
    return labels != null
        && MANAGED_BY_VALUE.equals(labels.get(MANAGED_BY))
        && account.getMetadata().getName().equals(labels.get(GATEWAY_NAME_LABEL));
  }

  /**
   * Why {@code gateway}'s proxy cannot have its ServiceAccount (same namespace and name): an
   * account of that name exists and lambdagate did not create it. Empty when there is none or it is
   * lambdagate's.
   */
  public static Optional<String> serviceAccountConflict(
      Gateway gateway, Collection<ServiceAccount> accounts) {
    String ns = gateway.getMetadata().getNamespace();
    String name = gateway.getMetadata().getName();
    for (ServiceAccount sa : accounts) {
      if (ns.equals(sa.getMetadata().getNamespace()) && name.equals(sa.getMetadata().getName())) {
        return isProxyServiceAccount(sa)
            ? Optional.empty()
            : Optional.of(conflictMessage(ns, name));
      }
    }
    return Optional.empty();
  }

  /** The message of {@link #serviceAccountConflict} (also used by the provisioner). */
  public static String conflictMessage(String namespace, String name) {
    return "ServiceAccount "
        + namespace
        + "/"
        + name
        + " exists and was not created by "
        + "lambdagate (no "
        + MANAGED_BY
        + "="
        + MANAGED_BY_VALUE
        + " and "
        + GATEWAY_NAME_LABEL
        + "="
        + name
        + " labels): the proxy is not provisioned and no web identity token is "
        + "minted for that account; rename the Gateway or the ServiceAccount";
  }

  /**
   * The ServiceAccounts that may get web identity tokens: for each of lambdagate's Gateways not
   * being deleted, the account of the same namespace and name, when lambdagate created it.
   */
  public static List<ServiceAccount> proxyServiceAccounts(
      ClusterState state, Collection<String> acceptedNames) {
    List<ServiceAccount> out = new ArrayList<>();
    for (Gateway g : ourGateways(state, acceptedNames)) {
      if (g.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      for (ServiceAccount sa : state.serviceAccounts()) {
        if (g.getMetadata().getNamespace().equals(sa.getMetadata().getNamespace())
            && g.getMetadata().getName().equals(sa.getMetadata().getName())
            && isProxyServiceAccount(sa)) {
          out.add(sa);
        }
      }
    }
    return out;
  }
}
