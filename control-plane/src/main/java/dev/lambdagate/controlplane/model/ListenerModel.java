package dev.lambdagate.controlplane.model;

/**
 * A Gateway listener as status reports it.
 *
 * @param conflictReason {@code HostnameConflict}/{@code ProtocolConflict}, or null
 * @param unsupportedReason why it is not accepted ({@code UnsupportedProtocol}), or null
 */
public record ListenerModel(
    String name,
    int port,
    String protocol,
    String hostname,
    String conflictReason,
    String unsupportedReason,
    String message,
    int attachedRoutes) {

  public boolean usable() {
    return conflictReason == null && unsupportedReason == null;
  }
}
