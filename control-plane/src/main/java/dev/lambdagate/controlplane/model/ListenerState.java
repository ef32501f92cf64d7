package dev.lambdagate.controlplane.model;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Gateway listener while a model is built: why it cannot serve (if so), and the routes attached
 * to it by hostname. Mutable, and confined to the one {@link ModelBuilder#build} call that made it:
 * {@link ListenerAssembler} sets its verdict, {@link RouteAttacher} attaches routes, then {@link
 * ListenerAssembler} turns it into the immutable model.
 */
final class ListenerState {
  final Listener listener;
  StatusReason conflict;
  StatusReason unsupported;
  String message;
  int attached;

  /** HTTPS: the certificates that resolved, and why some did not ({@link ListenerCertificates}). */
  boolean https;

  List<TlsCertificate> certificates = List.of();
  StatusReason refsReason;
  String refsMessage;

  /** Insertion-ordered sets: a route reached twice is kept once, where it first came. */
  final Map<String, LinkedHashSet<RouteModel>> routesByHost = new TreeMap<>();

  ListenerState(Listener listener) {
    this.listener = listener;
  }

  /**
   * Whether routes attach to it. Certificates play no part: Gateway API counts routes attached to a
   * listener whatever its status.
   */
  boolean usable() {
    return conflict == null && unsupported == null;
  }

  /** Whether Envoy serves it: usable and, if HTTPS, with a certificate to present. */
  boolean served() {
    return usable() && (!https || !certificates.isEmpty());
  }

  ListenerModel toModel() {
    return new ListenerModel(
        listener.getName(),
        listener.getPort() == null ? 0 : listener.getPort(),
        listener.getProtocol(),
        listener.getHostname(),
        conflict,
        unsupported,
        message,
        attached,
        refsReason,
        refsMessage,
        served());
  }
}
