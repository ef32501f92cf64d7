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
 * deterministic serialization (all together, and per type so that a change of routes only does not
 * re-send listeners), so the same configuration has the same versions across restarts.
 */
public record EnvoyResources(
    List<Listener> listeners,
    List<RouteConfiguration> routes,
    List<Cluster> clusters,
    String version,
    String listenersVersion,
    String routesVersion,
    String clustersVersion) {

  public EnvoyResources {
    listeners = List.copyOf(listeners);
    routes = List.copyOf(routes);
    clusters = List.copyOf(clusters);
  }

  public static EnvoyResources of(
      List<Listener> listeners, List<RouteConfiguration> routes, List<Cluster> clusters) {
    // Each resource is serialized once and fed to both the digest of its type and the digest of
    // all (listeners, routes, clusters in that order): the same versions as hashing each list.
    MessageDigest all = sha256();
    String l = hash(listeners, all);
    String r = hash(routes, all);
    String c = hash(clusters, all);
    return new EnvoyResources(listeners, routes, clusters, hex(all), l, r, c);
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
    return hash(messages, null);
  }

  private static String hash(List<? extends Message> messages, MessageDigest also) {
    MessageDigest d = sha256();
    try {
      for (Message m : messages) {
        byte[] type = m.getDescriptorForType().getFullName().getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[m.getSerializedSize()];
        var cos = com.google.protobuf.CodedOutputStream.newInstance(bytes);
        cos.useDeterministicSerialization();
        m.writeTo(cos);
        cos.checkNoSpaceLeft();
        d.update(type);
        d.update(bytes);
        if (also != null) {
          also.update(type);
          also.update(bytes);
        }
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return hex(d);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(MessageDigest d) {
    return HexFormat.of().formatHex(d.digest(), 0, 8);
  }
}
