package dev.lambdagate.controlplane.model;

/**
 * A Gateway listener as status reports it.
 *
 * @param conflictReason {@link StatusReason#HOSTNAME_CONFLICT}/{@link
 *     StatusReason#PROTOCOL_CONFLICT}, or null
 * @param unsupportedReason why it is not accepted ({@link StatusReason#UNSUPPORTED_PROTOCOL},
 *     {@link StatusReason#PORT_UNAVAILABLE}, {@link StatusReason#INVALID_ROUTE_KINDS}), or null
 * @param refsReason why an HTTPS listener's certificateRefs did not all resolve ({@link
 *     StatusReason#INVALID_CERTIFICATE_REF}, {@link StatusReason#REF_NOT_PERMITTED}), or null
 * @param refsMessage what {@code refsReason} is about (names the ref and the Secret, never its
 *     contents)
 * @param programmed whether Envoy serves it: accepted, without conflicts and, if HTTPS, with at
 *     least one certificate
 */
public record ListenerModel(
    String name,
    int port,
    String protocol,
    String hostname,
    StatusReason conflictReason,
    StatusReason unsupportedReason,
    String message,
    int attachedRoutes,
    StatusReason refsReason,
    String refsMessage,
    boolean programmed) {

  public boolean usable() {
    return conflictReason == null && unsupportedReason == null;
  }
}
