package dev.lambdagate.controlplane.model;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;

/**
 * The outcome of one HTTPRoute parentRef that names a Gateway of ours.
 *
 * @param acceptedReason {@code Accepted}, {@code NotAllowedByListeners}, {@code
 *     NoMatchingListenerHostname}, {@code NoMatchingParent}
 * @param resolvedRefsReason {@code ResolvedRefs}, {@code BackendNotFound}, {@code InvalidKind},
 *     {@code RefNotPermitted}
 */
public record RouteParentResult(
    ParentReference parentRef,
    boolean accepted,
    String acceptedReason,
    String acceptedMessage,
    boolean resolvedRefs,
    String resolvedRefsReason,
    String resolvedRefsMessage) {}
