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

  /** Per node group, the versioned resources of its last snapshot, by message instance. */
  private final Map<String, Map<Message, VersionedResource<?>>> last = new HashMap<>();

  /** The snapshot of {@code resources} for {@code group}. */
  Snapshot snapshot(String group, EnvoyResources resources) {
    Map<Message, VersionedResource<?>> before = last.getOrDefault(group, Map.of());
    Map<Message, VersionedResource<?>> now = new IdentityHashMap<>();
    SnapshotResources<Cluster> clusters =
        SnapshotResources.create(
            versioned(resources.clusters(), before, now), resources.clustersVersion());
    SnapshotResources<Listener> listeners =
        SnapshotResources.create(
            versioned(resources.listeners(), before, now), resources.listenersVersion());
    SnapshotResources<RouteConfiguration> routes =
        SnapshotResources.create(
            versioned(resources.routes(), before, now), resources.routesVersion());
    if (now.isEmpty()) {
      last.remove(group); // a Gateway gone
    } else {
      last.put(group, now);
    }
    return new Published(
        clusters,
        SnapshotResources.create(List.of(), resources.clustersVersion()),
        listeners,
        routes,
        SnapshotResources.create(List.of(), resources.version()));
  }

  private static <T extends Message> List<VersionedResource<T>> versioned(
      List<T> messages,
      Map<Message, VersionedResource<?>> before,
      Map<Message, VersionedResource<?>> now) {
    List<VersionedResource<T>> out = new ArrayList<>(messages.size());
    for (T m : messages) {
      @SuppressWarnings("unchecked")
      VersionedResource<T> v = (VersionedResource<T>) before.get(m);
      if (v == null) {
        v = VersionedResource.create(m);
      }
      now.put(m, v);
      out.add(v);
    }
    return out;
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
