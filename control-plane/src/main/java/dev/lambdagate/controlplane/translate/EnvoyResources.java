package dev.lambdagate.controlplane.translate;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The xDS resources of one Gateway, sorted by name, and their versions: hashes of each resource's
 * digest (SHA-256 of its deterministic serialization), all together and per type so that a change
 * of routes only does not re-send listeners; the same configuration has the same versions across
 * restarts.
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
    return of(listeners, routes, clusters, new IdentityHashMap<>(), new IdentityHashMap<>());
  }

  /**
   * As {@link #of(List, List, List)}, taking each resource's digest from {@code known} when the
   * same instance was digested before (the translator reuses the resources of unchanged routes and
   * backends), so a change costs the digests of what changed, not a serialization of everything.
   * Every digest used is put in {@code digests}.
   *
   * @param known digests by resource instance, from an earlier call; not changed
   * @param digests receives the digest of every resource of this call
   */
  static EnvoyResources of(
      List<Listener> listeners,
      List<RouteConfiguration> routes,
      List<Cluster> clusters,
      Map<Message, byte[]> known,
      Map<Message, byte[]> digests) {
    // A type's version hashes its resources' digests in order; the version of all hashes the
    // listeners', routes' and clusters' digests in that order.
    MessageDigest all = sha256();
    String l = hash(listeners, known, digests, all);
    String r = hash(routes, known, digests, all);
    String c = hash(clusters, known, digests, all);
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

  private static String hash(
      List<? extends Message> messages,
      Map<Message, byte[]> known,
      Map<Message, byte[]> digests,
      MessageDigest also) {
    MessageDigest d = sha256();
    for (Message m : messages) {
      byte[] digest = known.get(m);
      if (digest == null) {
        digest = digest(m);
      }
      digests.put(m, digest);
      d.update(digest);
      also.update(digest);
    }
    return hex(d);
  }

  /** SHA-256 of a resource's type name and deterministic serialization. */
  private static byte[] digest(Message m) {
    MessageDigest d = sha256();
    try {
      byte[] bytes = new byte[m.getSerializedSize()];
      CodedOutputStream cos = CodedOutputStream.newInstance(bytes);
      cos.useDeterministicSerialization();
      m.writeTo(cos);
      cos.checkNoSpaceLeft();
      d.update(m.getDescriptorForType().getFullName().getBytes(StandardCharsets.UTF_8));
      d.update(bytes);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return d.digest();
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
