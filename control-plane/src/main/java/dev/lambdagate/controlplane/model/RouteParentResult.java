package dev.lambdagate.controlplane.model;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;

/**
 * The outcome of one HTTPRoute parentRef that names a Gateway of ours.
 *
 * @param acceptedReason {@link StatusReason#ACCEPTED}, {@link
 *     StatusReason#NOT_ALLOWED_BY_LISTENERS}, {@link StatusReason#NO_MATCHING_LISTENER_HOSTNAME},
 *     {@link StatusReason#NO_MATCHING_PARENT} or {@link StatusReason#UNSUPPORTED_VALUE}
 * @param resolvedRefsReason {@link StatusReason#RESOLVED_REFS}, {@link
 *     StatusReason#BACKEND_NOT_FOUND}, {@link StatusReason#INVALID_KIND} or {@link
 *     StatusReason#REF_NOT_PERMITTED}
 */
public record RouteParentResult(
    ParentReference parentRef,
    boolean accepted,
    StatusReason acceptedReason,
    String acceptedMessage,
    boolean resolvedRefs,
    StatusReason resolvedRefsReason,
    String resolvedRefsMessage) {}
