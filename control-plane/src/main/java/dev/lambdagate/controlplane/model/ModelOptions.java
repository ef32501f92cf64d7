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
 */
public record ModelOptions(Set<String> gatewayClassNames, Endpoint stsEndpoint) {
  public static final List<String> DEFAULT_GATEWAY_CLASSES = List.of("kgateway", "lambdagate");

  public ModelOptions {
    gatewayClassNames = Set.copyOf(gatewayClassNames);
  }

  public static ModelOptions defaults() {
    return new ModelOptions(Set.copyOf(DEFAULT_GATEWAY_CLASSES), null);
  }
}
