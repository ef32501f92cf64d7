package dev.lambdagate.controlplane.model;

import java.util.List;
import java.util.Set;

/**
 * How Gateways are selected and how STS is reached.
 *
 * @param gatewayClassNames class names served even when no GatewayClass object names our
 *     controller (default {@code kgateway}, {@code lambdagate}); a GatewayClass object of such a
 *     name that names another controller wins
 * @param stsEndpoint overrides {@code https://sts.{region}.amazonaws.com} (STS emulators), or null
 * @param exchangeSecretKeys whether a Secret's long-term keys are exchanged for session
 *     credentials ({@link Credentials.SecretSession}) unless a Gateway's GatewayParameters say
 *     otherwise ({@code spec.awsCredentials.exchangeSecretKeys}); default true
 */
public record ModelOptions(Set<String> gatewayClassNames, Endpoint stsEndpoint,
    boolean exchangeSecretKeys) {
  public static final List<String> DEFAULT_GATEWAY_CLASSES = List.of("kgateway", "lambdagate");

  public ModelOptions {
    gatewayClassNames = Set.copyOf(gatewayClassNames);
  }

  /** Secret keys exchanged for sessions (the default). */
  public ModelOptions(Set<String> gatewayClassNames, Endpoint stsEndpoint) {
    this(gatewayClassNames, stsEndpoint, true);
  }

  public static ModelOptions defaults() {
    return new ModelOptions(Set.copyOf(DEFAULT_GATEWAY_CLASSES), null);
  }
}
