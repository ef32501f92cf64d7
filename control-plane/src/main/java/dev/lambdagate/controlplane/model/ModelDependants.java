package dev.lambdagate.controlplane.model;

import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.state.ClusterState;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who depends on whom in the last state of a {@link ModelPatcher}: the routes naming each Backend
 * ({@code ns/name}, whatever the ref's kind and whether it resolves; by instance), the Backends
 * naming each Secret (by position in the Backends, which a patch keeps), and where each Secret is.
 */
final class ModelDependants {
  final Map<String, Set<HTTPRoute>> routesByBackend = new HashMap<>();
  final Map<String, int[]> backendsBySecret = new HashMap<>();
  final Map<String, Integer> secretPositions = new HashMap<>();

  static ModelDependants of(ClusterState state) {
    ModelDependants d = new ModelDependants();
    for (HTTPRoute r : state.httpRoutes()) {
      d.renamed(null, r);
    }
    List<Backend> backends = state.backends();
    for (int p = 0; p < backends.size(); p++) {
      String secret = BackendResolver.secretName(backends.get(p));
      if (secret != null) {
        add(d.backendsBySecret, secret, p);
      }
    }
    List<Secret> secrets = state.secrets();
    for (int p = 0; p < secrets.size(); p++) {
      d.secretPositions.put(ModelBuilder.id(secrets.get(p)), p);
    }
    return d;
  }

  /** Route {@code before} (null: none) is now {@code now} (null: deleted). */
  void renamed(HTTPRoute before, HTTPRoute now) {
    if (before != null) {
      for (String name : backendNames(before)) {
        Set<HTTPRoute> routes = routesByBackend.get(name);
        if (routes != null) {
          routes.remove(before);
          if (routes.isEmpty()) {
            routesByBackend.remove(name);
          }
        }
      }
    }
    if (now != null) {
      for (String name : backendNames(now)) {
        routesByBackend
            .computeIfAbsent(
                name, k -> Collections.newSetFromMap(new java.util.IdentityHashMap<>()))
            .add(now);
      }
    }
  }

  /** The Backend at {@code position} names Secret {@code now} instead of {@code before}. */
  void resecreted(int position, String before, String now) {
    if (before != null) {
      remove(backendsBySecret, before, position);
    }
    if (now != null) {
      add(backendsBySecret, now, position);
    }
  }

  private static void add(Map<String, int[]> index, String key, int position) {
    int[] at = index.get(key);
    if (at == null) {
      index.put(key, new int[] {position});
    } else if (Arrays.binarySearch(at, position) < 0) {
      int[] more = Arrays.copyOf(at, at.length + 1);
      more[at.length] = position;
      Arrays.sort(more);
      index.put(key, more);
    }
  }

  private static void remove(Map<String, int[]> index, String key, int position) {
    int[] at = index.get(key);
    int i = at == null ? -1 : Arrays.binarySearch(at, position);
    if (i < 0) {
      return;
    }
    if (at.length == 1) {
      index.remove(key);
      return;
    }
    int[] less = new int[at.length - 1];
    System.arraycopy(at, 0, less, 0, i);
    System.arraycopy(at, i + 1, less, i, at.length - i - 1);
    index.put(key, less);
  }

  /** The {@code ns/name} of every backendRef of {@code route}, whatever its kind, sorted. */
  static String[] backendNames(HTTPRoute route) {
    if (route == null || route.getSpec() == null || route.getSpec().getRules() == null) {
      return new String[0];
    }
    TreeSet<String> names = new TreeSet<>();
    String routeNs = route.getMetadata().getNamespace();
    for (HTTPRouteRule rule : route.getSpec().getRules()) {
      if (rule.getBackendRefs() == null) {
        continue;
      }
      for (HTTPBackendRef ref : rule.getBackendRefs()) {
        names.add(
            (ref.getNamespace() == null ? routeNs : ref.getNamespace()) + "/" + ref.getName());
      }
    }
    return names.toArray(new String[0]);
  }
}
