package dev.lambdagate.controlplane.model;

import dev.lambdagate.controlplane.crd.Backend;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The {@link BuildMemo} of {@link IncrementalModelBuilder}: what the previous build computed, per
 * object, with the instances it was computed from. A result is reused only when those are the very
 * same instances (an informer cache replaces an object on every change and nobody mutates one; file
 * mode reads new instances every time, so it simply computes again), so a change invalidates
 * exactly what depends on the changed objects:
 *
 * <ul>
 *   <li>a Backend's validation: the Backend and the Secret it names;
 *   <li>an HTTPRoute's routes: the HTTPRoute and the Backends (or failures) its backendRefs resolve
 *       to, which {@link BackendRefResolver} works out again on each build (a few map lookups);
 *   <li>a virtual host's precedence order: re-sorted from the previous order with the changed
 *       routes in place (nearly sorted input, so about one comparison per route), and checked to be
 *       the one a full sort gives;
 *   <li>backend models and route parent results: computed on each build (they depend on sessions
 *       and tokens that change outside the cluster state) and replaced by the previous instance
 *       when equal, so that comparing two models mostly meets identical instances.
 * </ul>
 *
 * Entries not used by a build are dropped at its end ({@link #end}). Not thread-safe: one build at
 * a time.
 */
final class ModelMemo implements BuildMemo {

  private record Validated(Backend backend, Secret secret, BackendValidator.Resolved resolved) {}

  private record Converted(
      HTTPRoute route, BackendRefResolver.RouteRefs refs, List<RouteModel> models) {}

  private record Parents(HTTPRoute route, List<RouteParentResult> results) {}

  private record Ordered(RouteModel[] input, List<RouteModel> output) {}

  private Map<String, Validated> validated = new HashMap<>();
  private Map<String, Converted> converted = new HashMap<>();
  private Map<String, Parents> parents = new HashMap<>();
  private Map<String, Map<String, BackendModel>> backends = new HashMap<>();
  private Map<String, Ordered> ordered = new HashMap<>();

  private Map<String, Validated> nextValidated;
  private Map<String, Converted> nextConverted;
  private Map<String, Parents> nextParents;
  private Map<String, Map<String, BackendModel>> nextBackends;
  private Map<String, Ordered> nextOrdered;

  /** Starts a build: what it uses is kept for the next one. */
  void begin() {
    nextValidated = new HashMap<>(validated.size() * 2 + 16);
    nextConverted = new HashMap<>(converted.size() * 2 + 16);
    nextParents = new HashMap<>(parents.size() * 2 + 16);
    nextBackends = new HashMap<>();
    nextOrdered = new HashMap<>();
  }

  /** Ends a build that completed: entries it did not use are dropped. */
  void end() {
    validated = nextValidated;
    converted = nextConverted;
    parents = nextParents;
    backends = nextBackends;
    ordered = nextOrdered;
  }

  @Override
  public BackendValidator.Resolved validated(
      String id, Backend b, Secret secret, Supplier<BackendValidator.Resolved> validate) {
    Validated v = validated.get(id);
    if (v == null || v.backend() != b || v.secret() != secret) {
      v = new Validated(b, secret, validate.get());
    }
    nextValidated.put(id, v);
    return v.resolved();
  }

  @Override
  public List<RouteModel> converted(
      HTTPRoute route, BackendRefResolver.RouteRefs refs, Supplier<List<RouteModel>> convert) {
    String key = key(route);
    Converted c = converted.get(key);
    if (c == null || c.route() != route || !c.refs().equals(refs)) {
      c = new Converted(route, refs, List.copyOf(convert.get()));
    }
    nextConverted.put(key, c);
    return c.models();
  }

  @Override
  public BackendModel backend(String gatewayId, BackendModel fresh) {
    BackendModel last = backends.getOrDefault(gatewayId, Map.of()).get(fresh.id());
    BackendModel out = fresh.equals(last) ? last : fresh;
    nextBackends.computeIfAbsent(gatewayId, g -> new HashMap<>()).put(out.id(), out);
    return out;
  }

  @Override
  public List<RouteParentResult> parents(HTTPRoute route, List<RouteParentResult> fresh) {
    String key = key(route);
    Parents p = parents.get(key);
    if (p == null || p.route() != route || !p.results().equals(fresh)) {
      p = new Parents(route, List.copyOf(fresh));
    }
    nextParents.put(key, p);
    return p.results();
  }

  @Override
  public List<RouteModel> precedenceOrder(String vhostKey, List<RouteModel> routes) {
    Ordered last = ordered.get(vhostKey);
    RouteModel[] input = routes.toArray(new RouteModel[0]);
    List<RouteModel> out;
    if (last == null) {
      out = NONE.precedenceOrder(vhostKey, routes);
    } else if (sameInstances(last.input(), input)) {
      out = last.output();
    } else {
      out = reordered(last.output(), routes);
    }
    nextOrdered.put(vhostKey, new Ordered(input, out));
    return out;
  }

  private static boolean sameInstances(RouteModel[] a, RouteModel[] b) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code routes} in precedence order, sorted from {@code previous} (the last order) with the
   * routes that are gone removed and the new ones appended. When no two neighbours compare equal
   * the order is strict and thus the only sorted one, the same a full sort of {@code routes} gives;
   * otherwise (two routes the order cannot tell apart: the input order decides) it sorts {@code
   * routes} afresh.
   */
  private static List<RouteModel> reordered(List<RouteModel> previous, List<RouteModel> routes) {
    Set<RouteModel> now = Collections.newSetFromMap(new IdentityHashMap<>(routes.size()));
    now.addAll(routes);
    Set<RouteModel> kept = Collections.newSetFromMap(new IdentityHashMap<>(routes.size()));
    List<RouteModel> candidate = new ArrayList<>(routes.size());
    for (RouteModel r : previous) {
      if (now.contains(r)) {
        candidate.add(r);
        kept.add(r);
      }
    }
    for (RouteModel r : routes) {
      if (!kept.contains(r)) {
        candidate.add(r);
      }
    }
    candidate.sort(RoutePrecedence.ORDER);
    for (int i = 1; i < candidate.size(); i++) {
      if (RoutePrecedence.ORDER.compare(candidate.get(i - 1), candidate.get(i)) == 0) {
        return NONE.precedenceOrder(null, routes);
      }
    }
    return List.copyOf(candidate);
  }

  private static String key(HTTPRoute route) {
    return route.getMetadata().getNamespace() + "/" + route.getMetadata().getName();
  }
}
