package dev.lambdagate.controlplane.model;

import dev.lambdagate.config.Endpoint;
import java.util.List;
import java.util.Set;

/**
 * How Gateways are selected, how STS is reached and whose ServiceAccounts count.
 *
 * @param gatewayClassNames class names served even when no GatewayClass object names our controller
 *     (default {@code kgateway}, {@code lambdagate}); a GatewayClass object of such a name that
 *     names another controller wins (see {@link GatewayOwnership})
 * @param stsEndpoint overrides {@code https://sts.{region}.amazonaws.com} (STS emulators), or null
 * @param ownServiceAccountsOnly Kubernetes mode: the ServiceAccount named like a Gateway must be
 *     one lambdagate created ({@link GatewayOwnership#isProxyServiceAccount}); another one is a
 *     conflict (the Gateway is not Programmed, its IRSA backends answer 500) and its role
 *     annotation is never used. File mode (false) takes the accounts in the manifests as given.
 * @param exchangeSecretKeys whether a Secret's long-term keys are exchanged for session credentials
 *     ({@link Credentials.SecretSession}) unless a Gateway's GatewayParameters say otherwise
 *     ({@code spec.awsCredentials.exchangeSecretKeys}); default true
 * @param endpointPolicy where Backends may send signed requests ({@code endpointURL}); the caller
 *     checks {@code stsEndpoint} against it too
 */
public record ModelOptions(
    Set<String> gatewayClassNames,
    Endpoint stsEndpoint,
    boolean ownServiceAccountsOnly,
    boolean exchangeSecretKeys,
    EndpointPolicy endpointPolicy) {
  public static final List<String> DEFAULT_GATEWAY_CLASSES = GatewayOwnership.DEFAULT_CLASS_NAMES;

  public ModelOptions {
    gatewayClassNames = Set.copyOf(gatewayClassNames);
    endpointPolicy = endpointPolicy == null ? EndpointPolicy.awsOnly() : endpointPolicy;
  }

  /**
   * File-mode options: ServiceAccounts taken as given, Secret keys exchanged for sessions, AWS
   * endpoints and loopback only ({@link EndpointPolicy#awsOnly()}).
   */
  public ModelOptions(Set<String> gatewayClassNames, Endpoint stsEndpoint) {
    this(gatewayClassNames, stsEndpoint, false, true, EndpointPolicy.awsOnly());
  }

  /** These options with {@code ownServiceAccountsOnly} set (Kubernetes mode). */
  public ModelOptions withOwnServiceAccountsOnly(boolean value) {
    return new ModelOptions(
        gatewayClassNames, stsEndpoint, value, exchangeSecretKeys, endpointPolicy);
  }

  /** These options with {@code exchangeSecretKeys} set. */
  public ModelOptions withExchangeSecretKeys(boolean value) {
    return new ModelOptions(
        gatewayClassNames, stsEndpoint, ownServiceAccountsOnly, value, endpointPolicy);
  }

  /** These options with {@code endpointPolicy}. */
  public ModelOptions withEndpointPolicy(EndpointPolicy policy) {
    return new ModelOptions(
        gatewayClassNames, stsEndpoint, ownServiceAccountsOnly, exchangeSecretKeys, policy);
  }

  public static ModelOptions defaults() {
    return new ModelOptions(Set.copyOf(DEFAULT_GATEWAY_CLASSES), null);
  }
}
