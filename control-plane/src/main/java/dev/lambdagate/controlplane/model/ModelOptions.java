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
 * @param endpointPolicy where Backends may send signed requests ({@code endpointURL}); the
 *     caller checks {@code stsEndpoint} against it too
 */
public record ModelOptions(Set<String> gatewayClassNames, Endpoint stsEndpoint,
    EndpointPolicy endpointPolicy) {
  public static final List<String> DEFAULT_GATEWAY_CLASSES = List.of("kgateway", "lambdagate");

  public ModelOptions {
    gatewayClassNames = Set.copyOf(gatewayClassNames);
    endpointPolicy = endpointPolicy == null ? EndpointPolicy.awsOnly() : endpointPolicy;
  }

  /** AWS endpoints and loopback only ({@link EndpointPolicy#awsOnly()}). */
  public ModelOptions(Set<String> gatewayClassNames, Endpoint stsEndpoint) {
    this(gatewayClassNames, stsEndpoint, EndpointPolicy.awsOnly());
  }

  public static ModelOptions defaults() {
    return new ModelOptions(Set.copyOf(DEFAULT_GATEWAY_CLASSES), null);
  }
}
