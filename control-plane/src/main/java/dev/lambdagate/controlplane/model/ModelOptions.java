package dev.lambdagate.controlplane.model;

import java.util.List;
import java.util.Set;

/**
 * How Gateways are selected, how STS is reached and whose ServiceAccounts count.
 *
 * @param gatewayClassNames class names served even when no GatewayClass object names our
 *     controller (default {@code kgateway}, {@code lambdagate}); a GatewayClass object of such a
 *     name that names another controller wins (see {@link GatewayOwnership})
 * @param stsEndpoint overrides {@code https://sts.{region}.amazonaws.com} (STS emulators), or null
 * @param ownServiceAccountsOnly Kubernetes mode: the ServiceAccount named like a Gateway must be
 *     one lambdagate created ({@link GatewayOwnership#isProxyServiceAccount}); another one is a
 *     conflict (the Gateway is not Programmed, its IRSA backends answer 500) and its role
 *     annotation is never used. File mode (false) takes the accounts in the manifests as given.
 * @param exchangeSecretKeys whether a Secret's long-term keys are exchanged for session
 *     credentials ({@link Credentials.SecretSession}) unless a Gateway's GatewayParameters say
 *     otherwise ({@code spec.awsCredentials.exchangeSecretKeys}); default true
 */
public record ModelOptions(Set<String> gatewayClassNames, Endpoint stsEndpoint,
    boolean ownServiceAccountsOnly, boolean exchangeSecretKeys) {
  public static final List<String> DEFAULT_GATEWAY_CLASSES = GatewayOwnership.DEFAULT_CLASS_NAMES;

  public ModelOptions {
    gatewayClassNames = Set.copyOf(gatewayClassNames);
  }

  /** File-mode options: ServiceAccounts taken as given, Secret keys exchanged for sessions. */
  public ModelOptions(Set<String> gatewayClassNames, Endpoint stsEndpoint) {
    this(gatewayClassNames, stsEndpoint, false, true);
  }

  public static ModelOptions defaults() {
    return new ModelOptions(Set.copyOf(DEFAULT_GATEWAY_CLASSES), null);
  }
}
