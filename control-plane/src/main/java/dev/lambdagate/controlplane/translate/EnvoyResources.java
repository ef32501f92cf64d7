package dev.lambdagate.controlplane.translate;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The xDS resources of one Gateway, sorted by name, and their versions: per type, so that a change
 * of routes only does not re-send listeners, and all together; each a hash of the resources'
 * digests (SHA-256 of their deterministic serialization, {@link ResourceDigests}), so the same
 * configuration has the same versions across restarts.
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
    return of(listeners, routes, clusters, new ResourceDigests());
  }

  /**
   * As {@link #of(List, List, List)}, digesting only what changed since the lists {@code digests}
   * last saw (the translator reuses the resources of unchanged routes and backends, and the very
   * list of clusters when no backend changed).
   */
  static EnvoyResources of(
      List<Listener> listeners,
      List<RouteConfiguration> routes,
      List<Cluster> clusters,
      ResourceDigests digests) {
    byte[] l = digests.listeners.version(listeners);
    byte[] r = digests.routes.version(routes);
    byte[] c = digests.clusters.version(clusters);
    MessageDigest all = ResourceDigests.sha256();
    all.update(l);
    all.update(r);
    all.update(c);
    return new EnvoyResources(
        listeners, routes, clusters, hex(all.digest()), hex(l), hex(r), hex(c));
  }

  /** Every resource, listeners first, then routes, then clusters. */
  public List<Message> all() {
    List<Message> all = new ArrayList<>();
    all.addAll(listeners);
    all.addAll(routes);
    all.addAll(clusters);
    return all;
  }

  private static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest, 0, 8);
  }
}
