package dev.lambdagate.controlplane.translate;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The xDS resources of one Gateway, sorted by name, and their version: a hash of their
 * deterministic serialization, so the same configuration has the same version across restarts.
 */
public record EnvoyResources(List<Listener> listeners, List<RouteConfiguration> routes,
    List<Cluster> clusters, String version) {

  public EnvoyResources {
    listeners = List.copyOf(listeners);
    routes = List.copyOf(routes);
    clusters = List.copyOf(clusters);
  }

  public static EnvoyResources of(List<Listener> listeners, List<RouteConfiguration> routes,
      List<Cluster> clusters) {
    List<Message> all = new ArrayList<>();
    all.addAll(listeners);
    all.addAll(routes);
    all.addAll(clusters);
    return new EnvoyResources(listeners, routes, clusters, hash(all));
  }

  /** Every resource, listeners first, then routes, then clusters. */
  public List<Message> all() {
    List<Message> all = new ArrayList<>();
    all.addAll(listeners);
    all.addAll(routes);
    all.addAll(clusters);
    return all;
  }

  static String hash(List<Message> messages) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (Message m : messages) {
        d.update(m.getDescriptorForType().getFullName().getBytes(StandardCharsets.UTF_8));
        var out = new java.io.ByteArrayOutputStream();
        var cos = com.google.protobuf.CodedOutputStream.newInstance(out);
        cos.useDeterministicSerialization();
        m.writeTo(cos);
        cos.flush();
        d.update(out.toByteArray());
      }
      return HexFormat.of().formatHex(d.digest(), 0, 8);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
