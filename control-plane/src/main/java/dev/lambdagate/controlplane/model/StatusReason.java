package dev.lambdagate.controlplane.model;

/**
 * The reasons of the status conditions lambdagate writes, each spelt as Gateway API (or, for a
 * Gateway's {@code Programmed}, its {@code NoResources}) names it in {@link #value()}: what {@code
 * kubectl} and tools that read Gateway status compare against. An enum so that the model and the
 * status code compare reasons as values, not as strings that a typo would silently change.
 *
 * <p>Immutable; thread-safe.
 */
public enum StatusReason {
  // Accepted (Gateway, listener, route parent, Backend).
  ACCEPTED("Accepted"),
  /** Route parent: no listener of the Gateway allows routes from the route's namespace. */
  NOT_ALLOWED_BY_LISTENERS("NotAllowedByListeners"),
  /** Route parent: no hostname of the route intersects a listener's. */
  NO_MATCHING_LISTENER_HOSTNAME("NoMatchingListenerHostname"),
  /** Route parent: no listener matches the parentRef's {@code sectionName}/{@code port}. */
  NO_MATCHING_PARENT("NoMatchingParent"),
  /** Route parent: a rule's filters cannot apply (that rule answers 500, the others are served). */
  UNSUPPORTED_VALUE("UnsupportedValue"),
  /**
   * Listener: a protocol other than HTTP and HTTPS, or HTTPS with {@code tls.mode: Passthrough}
   * (Gateway API only allows Terminate for HTTPS; Passthrough is for protocol TLS and TLSRoute).
   */
  UNSUPPORTED_PROTOCOL("UnsupportedProtocol"),
  /** Listener: a port outside 1 to 65535. */
  PORT_UNAVAILABLE("PortUnavailable"),

  // ResolvedRefs (route parent, listener).
  RESOLVED_REFS("ResolvedRefs"),
  BACKEND_NOT_FOUND("BackendNotFound"),
  /** A backendRef that is not a kgateway Backend. */
  INVALID_KIND("InvalidKind"),
  /**
   * A backendRef, or a listener's certificateRef, to another namespace that no ReferenceGrant
   * allows.
   */
  REF_NOT_PERMITTED("RefNotPermitted"),
  /** Listener: {@code allowedRoutes.kinds} has no HTTPRoute. */
  INVALID_ROUTE_KINDS("InvalidRouteKinds"),
  /**
   * Listener: a certificateRef that is missing, not a {@code kubernetes.io/tls} Secret, or whose
   * certificate or key does not parse or does not match.
   */
  INVALID_CERTIFICATE_REF("InvalidCertificateRef"),

  // Conflicted (listener).
  NO_CONFLICTS("NoConflicts"),
  PROTOCOL_CONFLICT("ProtocolConflict"),
  HOSTNAME_CONFLICT("HostnameConflict"),

  // Programmed (Gateway, listener); Accepted=False of a Backend.
  PROGRAMMED("Programmed"),
  INVALID("Invalid"),
  /**
   * Gateway: its proxy is not provisioned (the ServiceAccount is someone else's). Gateway API's
   * reason for "insufficient infrastructure resources".
   */
  NO_RESOURCES("NoResources"),

  // UnsupportedFields of a GatewayParameters (True: it names keys lambdagate ignores).
  UNSUPPORTED_FIELDS("UnsupportedFields"),
  ALL_FIELDS_SUPPORTED("AllFieldsSupported");

  private final String value;

  StatusReason(String value) {
    this.value = value;
  }

  /** The reason as written in a condition, e.g. {@code NoMatchingListenerHostname}. */
  public String value() {
    return value;
  }

  @Override
  public String toString() {
    return value;
  }
}
