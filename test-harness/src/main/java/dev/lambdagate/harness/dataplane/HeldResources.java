package dev.lambdagate.harness.dataplane;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The xDS resources the data plane holds, per type URL and name, and the one way a change of them
 * reaches the {@link EmbeddedDataPlane}: whatever the protocol, a response ends in "this is now the
 * whole set of clusters (listeners, route configurations)", which the plane applies as today. State
 * of the world replaces a type's set ({@link #replaceAll}); delta adds, updates and removes by name
 * ({@link #update}). Either way a rejected change leaves the held set and the plane as they were
 * (all or nothing; Envoy itself applies the valid resources of a partly rejected delta update and
 * NACKs the rest — the embedded data plane keeps the simpler last-good state).
 *
 * <p>Decoded configurations are kept per name, so a delta update decodes only what it carries and
 * leaves every other resource's configuration object as it was.
 *
 * <p>Thread-safety: not thread-safe; used only from the ADS client's thread.
 */
final class HeldResources {
  /** One held resource: its decoded configuration and the version the server gave it. */
  private record Held(Object config, String version) {}

  private final EmbeddedDataPlane plane;
  private final Map<String, Map<String, Held>> byType = new HashMap<>();

  HeldResources(EmbeddedDataPlane plane) {
    this.plane = plane;
  }

  /** State of the world: {@code resources} are the whole set of {@code type}. */
  void replaceAll(String type, List<Any> resources) throws XdsRejectedException {
    Map<String, Held> next = new LinkedHashMap<>();
    for (Any any : resources) {
      Object config = decode(type, any);
      String name = nameOf(config);
      if (next.put(name, new Held(config, "")) != null && !type.equals(XdsTranslator.ROUTE_TYPE)) {
        throw new XdsRejectedException("duplicate " + kind(type) + " '" + name + "'");
      }
    }
    commit(type, next);
  }

  /**
   * Delta: {@code resources} are added or replaced by name, {@code removed} dropped. A resource
   * without a body is one the server says does not exist (xds_protocol, "Incremental xDS"): it is
   * dropped too.
   */
  void update(String type, List<Resource> resources, Collection<String> removed)
      throws XdsRejectedException {
    Map<String, Held> next = new LinkedHashMap<>(held(type));
    for (String name : removed) {
      next.remove(name);
    }
    Set<String> seen = new HashSet<>();
    for (Resource r : resources) {
      if (!seen.add(r.getName())) {
        throw new XdsRejectedException("duplicate " + kind(type) + " '" + r.getName() + "'");
      }
      if (!r.hasResource()) {
        next.remove(r.getName());
        continue;
      }
      Object config = decode(type, r.getResource());
      String name = nameOf(config);
      if (!r.getName().isEmpty() && !r.getName().equals(name)) {
        throw new XdsRejectedException(
            kind(type) + " '" + name + "' sent under the resource name '" + r.getName() + "'");
      }
      next.put(name, new Held(config, r.getVersion()));
    }
    commit(type, next);
  }

  /** Forgets {@code names} of {@code type} (delta: no longer subscribed). */
  void drop(String type, Collection<String> names) throws XdsRejectedException {
    Map<String, Held> next = new LinkedHashMap<>(held(type));
    if (next.keySet().removeAll(names)) {
      commit(type, next);
    }
  }

  /**
   * Name to version of what is held of {@code type}: a delta stream's initial_resource_versions.
   */
  Map<String, String> versions(String type) {
    Map<String, String> versions = new LinkedHashMap<>();
    held(type).forEach((name, h) -> versions.put(name, h.version()));
    return versions;
  }

  private Map<String, Held> held(String type) {
    return byType.getOrDefault(type, Map.of());
  }

  /** Applies the whole new set of {@code type} to the plane; only then is it held. */
  @SuppressWarnings("unchecked")
  private void commit(String type, Map<String, Held> next) throws XdsRejectedException {
    Map<String, Object> configs = new LinkedHashMap<>();
    next.forEach((name, h) -> configs.put(name, h.config()));
    switch (type) {
      case XdsTranslator.CLUSTER_TYPE ->
          plane.applyClusters((Map<String, ClusterConfig>) (Map<String, ?>) configs);
      case XdsTranslator.LISTENER_TYPE ->
          plane.applyListeners((Map<String, ListenerConfig>) (Map<String, ?>) configs);
      case XdsTranslator.ROUTE_TYPE ->
          plane.applyRoutes((Map<String, RouteTable>) (Map<String, ?>) configs);
      default -> throw new IllegalStateException(type);
    }
    byType.put(type, next);
  }

  private static Object decode(String type, Any any) throws XdsRejectedException {
    return switch (type) {
      case XdsTranslator.CLUSTER_TYPE -> XdsTranslator.cluster(unpack(any, Cluster.class));
      case XdsTranslator.LISTENER_TYPE -> XdsTranslator.listener(unpack(any, Listener.class));
      case XdsTranslator.ROUTE_TYPE -> XdsTranslator.routes(unpack(any, RouteConfiguration.class));
      default -> throw new IllegalStateException(type);
    };
  }

  private static String nameOf(Object config) {
    if (config instanceof ClusterConfig c) {
      return c.name();
    }
    if (config instanceof ListenerConfig l) {
      return l.name();
    }
    return ((RouteTable) config).name();
  }

  private static String kind(String type) {
    return switch (type) {
      case XdsTranslator.CLUSTER_TYPE -> "cluster";
      case XdsTranslator.LISTENER_TYPE -> "listener";
      case XdsTranslator.ROUTE_TYPE -> "route configuration";
      default -> type;
    };
  }

  private static <T extends Message> T unpack(Any any, Class<T> type) throws XdsRejectedException {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new XdsRejectedException(
          "cannot decode " + any.getTypeUrl() + ": " + e.getMessage(), e);
    }
  }
}
