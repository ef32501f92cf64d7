package dev.lambdagate.controlplane.xds;

import com.google.protobuf.Message;
import dev.lambdagate.controlplane.translate.EnvoyResources;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.SnapshotResources;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes the java-control-plane snapshot of each node group's {@link EnvoyResources}, as {@link
 * Snapshot#create(Iterable, String, Iterable, String, Iterable, String, Iterable, String, Iterable,
 * String)} would, but without hashing again the resources that did not change: {@link
 * VersionedResource#create(Message)} hashes each resource (its {@code hashCode}, then SHA-256 of
 * that), which for 10,000 Clusters was most of a publish. The translator hands over the very same
 * message instances for what did not change, so the versioned resource made for an instance last
 * time is taken again; it is what {@code create} would give, a pure function of the message.
 *
 * <p>Not thread-safe: the {@link XdsServer} calls it under its lock.
 */
final class IncrementalSnapshots {

  /** Per node group, what its last snapshot was made of, per type. */
  private final Map<String, Last> last = new HashMap<>();

  /** One group's last lists, their versioned resources, and the snapshot's resources of each. */
  private static final class Last {
    final Typed<Cluster> clusters = new Typed<>();
    final Typed<Listener> listeners = new Typed<>();
    final Typed<RouteConfiguration> routes = new Typed<>();
  }

  /**
   * One type's last list and what was made of it. The same list again (the translator hands over
   * the very same list when nothing of that type changed) gives the same snapshot resources; a list
   * of the same length is compared position by position, by instance; otherwise each resource is
   * looked up by instance.
   */
  private static final class Typed<T extends Message> {
    List<T> list = List.of();
    List<VersionedResource<T>> versioned = List.of();
    String version;
    SnapshotResources<T> resources;

    SnapshotResources<T> snapshot(List<T> now, String nowVersion) {
      if (now == list && nowVersion.equals(version) && resources != null) {
        return resources;
      }
      List<VersionedResource<T>> out = new ArrayList<>(now.size());
      Map<Message, VersionedResource<T>> byInstance = null;
      if (now.size() != list.size()) {
        byInstance = new IdentityHashMap<>(list.size() * 2);
        for (int i = 0; i < list.size(); i++) {
          byInstance.put(list.get(i), versioned.get(i));
        }
      }
      for (int i = 0; i < now.size(); i++) {
        T m = now.get(i);
        VersionedResource<T> v =
            byInstance != null ? byInstance.get(m) : (list.get(i) == m ? versioned.get(i) : null);
        out.add(v != null ? v : VersionedResource.create(m));
      }
      list = now;
      versioned = out;
      version = nowVersion;
      resources = SnapshotResources.create(out, nowVersion);
      return resources;
    }
  }

  /** The snapshot of {@code resources} for {@code group}. */
  Snapshot snapshot(String group, EnvoyResources resources) {
    Last before = last.computeIfAbsent(group, g -> new Last());
    SnapshotResources<Cluster> clusters =
        before.clusters.snapshot(resources.clusters(), resources.clustersVersion());
    SnapshotResources<Listener> listeners =
        before.listeners.snapshot(resources.listeners(), resources.listenersVersion());
    SnapshotResources<RouteConfiguration> routes =
        before.routes.snapshot(resources.routes(), resources.routesVersion());
    if (resources.clusters().isEmpty()
        && resources.listeners().isEmpty()
        && resources.routes().isEmpty()) {
      last.remove(group); // a Gateway gone
    }
    return new Published(
        clusters,
        SnapshotResources.create(List.of(), resources.clustersVersion()),
        listeners,
        routes,
        SnapshotResources.create(List.of(), resources.version()));
  }

  /** A v3 snapshot of given resources (java-control-plane's own is AutoValue, not public). */
  private static final class Published extends Snapshot {
    private final SnapshotResources<Cluster> clusters;
    private final SnapshotResources<ClusterLoadAssignment> endpoints;
    private final SnapshotResources<Listener> listeners;
    private final SnapshotResources<RouteConfiguration> routes;
    private final SnapshotResources<Secret> secrets;

    Published(
        SnapshotResources<Cluster> clusters,
        SnapshotResources<ClusterLoadAssignment> endpoints,
        SnapshotResources<Listener> listeners,
        SnapshotResources<RouteConfiguration> routes,
        SnapshotResources<Secret> secrets) {
      this.clusters = clusters;
      this.endpoints = endpoints;
      this.listeners = listeners;
      this.routes = routes;
      this.secrets = secrets;
    }

    @Override
    public SnapshotResources<Cluster> clusters() {
      return clusters;
    }

    @Override
    public SnapshotResources<ClusterLoadAssignment> endpoints() {
      return endpoints;
    }

    @Override
    public SnapshotResources<Listener> listeners() {
      return listeners;
    }

    @Override
    public SnapshotResources<RouteConfiguration> routes() {
      return routes;
    }

    @Override
    public SnapshotResources<Secret> secrets() {
      return secrets;
    }

    /**
     * The v3 snapshot's own lookup. Declared again, raw, because java-control-plane's base class
     * declares it with {@code VersionedResource<? extends Message>} and the v3 class with {@code
     * VersionedResource<?>}, which javac does not take as an override for a subclass.
     */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Map versionedResources(Resources.ResourceType type) {
      return super.versionedResources(type);
    }
  }
}
