package dev.lambdagate.controlplane.model;

/**
 * A Gateway listener as status reports it.
 *
 * @param conflictReason {@link StatusReason#HOSTNAME_CONFLICT}/{@link
 *     StatusReason#PROTOCOL_CONFLICT}, or null
 * @param unsupportedReason why it is not accepted ({@link StatusReason#UNSUPPORTED_PROTOCOL},
 *     {@link StatusReason#PORT_UNAVAILABLE}, {@link StatusReason#INVALID_ROUTE_KINDS}), or null
 */
public record ListenerModel(
    String name,
    int port,
    String protocol,
    String hostname,
    StatusReason conflictReason,
    StatusReason unsupportedReason,
    String message,
    int attachedRoutes) {

  public boolean usable() {
    return conflictReason == null && unsupportedReason == null;
  }
}
