package dev.lambdagate.controlplane.model;

import dev.lambdagate.controlplane.crd.GatewayParameters;
import dev.lambdagate.controlplane.state.ClusterState;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Gateway's infrastructure says about it: the IAM role of its ServiceAccount (or of its
 * GatewayParameters' ServiceAccount annotations), whether its Secret keys are exchanged, its edge
 * limits. Read from a {@link ClusterState}; stateless; thread-safe.
 */
final class GatewayInfrastructure {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayInfrastructure.class);

  private GatewayInfrastructure() {}

  /** The role ARN of the Gateway's ServiceAccount, or of its GatewayParameters' annotations. */
  static String roleArn(ClusterState state, Gateway g) {
    String ns = g.getMetadata().getNamespace();
    String name = g.getMetadata().getName();
    for (ServiceAccount sa : state.serviceAccounts()) {
      if (ns.equals(sa.getMetadata().getNamespace())
          && name.equals(sa.getMetadata().getName())
          && sa.getMetadata().getAnnotations() != null) {
        String arn = sa.getMetadata().getAnnotations().get(ModelBuilder.ROLE_ARN_ANNOTATION);
        if (arn != null && !arn.isBlank()) {
          return arn.strip();
        }
      }
    }
    if (g.getSpec().getInfrastructure() != null
        && g.getSpec().getInfrastructure().getParametersRef() != null) {
      var ref = g.getSpec().getInfrastructure().getParametersRef();
      if ("GatewayParameters".equals(ref.getKind())) {
        for (GatewayParameters gp : state.gatewayParameters()) {
          if (ns.equals(gp.getMetadata().getNamespace())
              && ref.getName().equals(gp.getMetadata().getName())
              && gp.getSpec() != null
              && gp.getSpec().kube() != null
              && gp.getSpec().kube().serviceAccount() != null
              && gp.getSpec().kube().serviceAccount().extraAnnotations() != null) {
            String arn =
                gp.getSpec()
                    .kube()
                    .serviceAccount()
                    .extraAnnotations()
                    .get(ModelBuilder.ROLE_ARN_ANNOTATION);
            if (arn != null && !arn.isBlank()) {
              return arn.strip();
            }
          }
        }
      }
    }
    return null;
  }

  /**
   * Whether this Gateway's Secret keys are exchanged: its GatewayParameters' {@code
   * spec.awsCredentials.exchangeSecretKeys} when set, else {@code otherwise} (the control plane's
   * default).
   */
  static boolean exchangeSecretKeys(ClusterState state, Gateway g, boolean otherwise) {
    if (g.getSpec().getInfrastructure() != null
        && g.getSpec().getInfrastructure().getParametersRef() != null
        && "GatewayParameters"
            .equals(g.getSpec().getInfrastructure().getParametersRef().getKind())) {
      String name = g.getSpec().getInfrastructure().getParametersRef().getName();
      for (GatewayParameters gp : state.gatewayParameters()) {
        if (g.getMetadata().getNamespace().equals(gp.getMetadata().getNamespace())
            && name.equals(gp.getMetadata().getName())
            && gp.getSpec() != null
            && gp.getSpec().awsCredentials() != null
            && gp.getSpec().awsCredentials().exchangeSecretKeys() != null) {
          return gp.getSpec().awsCredentials().exchangeSecretKeys();
        }
      }
    }
    return otherwise;
  }

  /**
   * Whether a Backend without {@code spec.aws.auth} uses EKS Pod Identity on this Gateway: its
   * GatewayParameters' {@code spec.awsCredentials.defaultIdentity} is {@code PodIdentity}
   * (otherwise, and by default, IRSA).
   */
  static boolean podIdentityByDefault(ClusterState state, Gateway g) {
    GatewayParameters gp = parametersOf(state, g);
    return gp != null
        && gp.getSpec() != null
        && gp.getSpec().awsCredentials() != null
        && "PodIdentity".equals(gp.getSpec().awsCredentials().defaultIdentity());
  }

  /**
   * The edge limits of a Gateway: the defaults with its GatewayParameters' {@code spec.edgeLimits}
   * applied. An override the CRD schema let through but that is out of Envoy's range is logged and
   * the defaults kept (Envoy would reject the whole listener).
   */
  static EdgeLimits edgeLimits(ClusterState state, Gateway g) {
    GatewayParameters gp = parametersOf(state, g);
    if (gp == null || gp.getSpec() == null || gp.getSpec().edgeLimits() == null) {
      return EdgeLimits.DEFAULTS;
    }
    try {
      return EdgeLimits.DEFAULTS.with(gp.getSpec().edgeLimits());
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "GatewayParameters {}/{}: spec.edgeLimits: {}; using the defaults",
          gp.getMetadata().getNamespace(),
          gp.getMetadata().getName(),
          e.getMessage());
      return EdgeLimits.DEFAULTS;
    }
  }

  /** The GatewayParameters a Gateway's {@code infrastructure.parametersRef} names, or null. */
  private static GatewayParameters parametersOf(ClusterState state, Gateway g) {
    if (g.getSpec().getInfrastructure() == null
        || g.getSpec().getInfrastructure().getParametersRef() == null) {
      return null;
    }
    var ref = g.getSpec().getInfrastructure().getParametersRef();
    if (!"GatewayParameters".equals(ref.getKind())) {
      return null;
    }
    for (GatewayParameters gp : state.gatewayParameters()) {
      if (g.getMetadata().getNamespace().equals(gp.getMetadata().getNamespace())
          && ref.getName().equals(gp.getMetadata().getName())) {
        return gp;
      }
    }
    return null;
  }
}
