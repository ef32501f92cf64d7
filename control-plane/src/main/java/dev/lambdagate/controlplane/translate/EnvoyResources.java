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
 * The xDS resources of one Gateway, sorted by name, and their versions: hashes of their
 * deterministic serialization (all together, and per type so that a change of routes only does
 * not re-send listeners), so the same configuration has the same versions across restarts.
 */
public record EnvoyResources(List<Listener> listeners, List<RouteConfiguration> routes,
    List<Cluster> clusters, String version, String listenersVersion, String routesVersion,
    String clustersVersion) {

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
    return new EnvoyResources(listeners, routes, clusters, hash(all),
        hash(List.copyOf(listeners)), hash(List.copyOf(routes)), hash(List.copyOf(clusters)));
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
