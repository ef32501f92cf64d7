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
 * @param podIdentityAgent where the proxies reach the EKS Pod Identity agent; {@link
 *     #DEFAULT_POD_IDENTITY_AGENT} ({@code http://169.254.170.23:80}, the node-local agent) unless
 *     an agent emulator stands in for it
 */
public record ModelOptions(
    Set<String> gatewayClassNames,
    Endpoint stsEndpoint,
    boolean ownServiceAccountsOnly,
    boolean exchangeSecretKeys,
    EndpointPolicy endpointPolicy,
    Endpoint podIdentityAgent) {
  public static final List<String> DEFAULT_GATEWAY_CLASSES = GatewayOwnership.DEFAULT_CLASS_NAMES;

  /** The EKS Pod Identity agent's IPv4 address on every node, port 80. */
  public static final Endpoint DEFAULT_POD_IDENTITY_AGENT =
      Endpoint.parse("http://169.254.170.23:80");

  public ModelOptions {
    gatewayClassNames = Set.copyOf(gatewayClassNames);
    endpointPolicy = endpointPolicy == null ? EndpointPolicy.awsOnly() : endpointPolicy;
    podIdentityAgent = podIdentityAgent == null ? DEFAULT_POD_IDENTITY_AGENT : podIdentityAgent;
  }

  /** With the default Pod Identity agent. */
  public ModelOptions(
      Set<String> gatewayClassNames,
      Endpoint stsEndpoint,
      boolean ownServiceAccountsOnly,
      boolean exchangeSecretKeys,
      EndpointPolicy endpointPolicy) {
    this(
        gatewayClassNames,
        stsEndpoint,
        ownServiceAccountsOnly,
        exchangeSecretKeys,
        endpointPolicy,
        DEFAULT_POD_IDENTITY_AGENT);
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
        gatewayClassNames,
        stsEndpoint,
        value,
        exchangeSecretKeys,
        endpointPolicy,
        podIdentityAgent);
  }

  /** These options with {@code exchangeSecretKeys} set. */
  public ModelOptions withExchangeSecretKeys(boolean value) {
    return new ModelOptions(
        gatewayClassNames,
        stsEndpoint,
        ownServiceAccountsOnly,
        value,
        endpointPolicy,
        podIdentityAgent);
  }

  /** These options with {@code endpointPolicy}. */
  public ModelOptions withEndpointPolicy(EndpointPolicy policy) {
    return new ModelOptions(
        gatewayClassNames,
        stsEndpoint,
        ownServiceAccountsOnly,
        exchangeSecretKeys,
        policy,
        podIdentityAgent);
  }

  /** These options with the Pod Identity agent at {@code agent}. */
  public ModelOptions withPodIdentityAgent(Endpoint agent) {
    return new ModelOptions(
        gatewayClassNames,
        stsEndpoint,
        ownServiceAccountsOnly,
        exchangeSecretKeys,
        endpointPolicy,
        agent);
  }

  public static ModelOptions defaults() {
    return new ModelOptions(Set.copyOf(DEFAULT_GATEWAY_CLASSES), null);
  }
}
