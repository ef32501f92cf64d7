package dev.lambdagate.controlplane.model;

import dev.lambdagate.controlplane.crd.Backend;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
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
 * mode reads new instances every time, so it simply computes again), so a change invalidates what
 * depends on the changed objects (results are keyed by object instance, so entries of objects that
 * are gone are dropped at the end of the build):
 *
 * <ul>
 *   <li>every Backend's validation: the state's lists of Backends and Secrets (a state source that
 *       keeps the list of a kind without events, as {@code KubeStateSource} does, hands the same
 *       list); when one changed, each Backend's: the Backend and the Secret it names;
 *   <li>what attaching an HTTPRoute gives ({@link RouteOutcome}: its resolved backendRefs, parent
 *       results, listeners and routes): the HTTPRoute, the lists of GatewayClasses, Gateways and
 *       ReferenceGrants, and the Backends by id (the same map while no Backend or Secret changed),
 *       so an unchanged route costs a lookup and the replay of its attachment; when an input
 *       changed, its routes are converted again only if its resolved backendRefs differ;
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

  private record Validation(
      List<Backend> backends, List<Secret> secrets, BackendResolver.Validation validation) {}

  private record Outcome(RouteOutcome.Inputs inputs, RouteOutcome outcome) {}

  private record Ordered(RouteModel[] input, List<RouteModel> output) {}

  private Validation validation;
  private Map<String, Validated> validated = new HashMap<>();
  private Map<HTTPRoute, Outcome> outcomes = new IdentityHashMap<>();
  private Map<String, Map<String, BackendModel>> backends = new HashMap<>();
  private Map<String, Ordered> ordered = new HashMap<>();

  private Validation nextValidation;
  private Map<String, Validated> nextValidated;
  private Map<HTTPRoute, Outcome> nextOutcomes;
  private Map<String, Map<String, BackendModel>> nextBackends;
  private Map<String, Ordered> nextOrdered;

  /** Starts a build: what it uses is kept for the next one. */
  void begin() {
    nextValidation = null;
    nextValidated = null; // the previous ones, unless a validation runs
    nextOutcomes = new IdentityHashMap<>(outcomes.size() + 16);
    nextBackends = new HashMap<>();
    nextOrdered = new HashMap<>();
  }

  /** Ends a build that completed: entries it did not use are dropped. */
  void end() {
    validation = nextValidation;
    if (nextValidated != null) {
      validated = nextValidated;
    }
    outcomes = nextOutcomes;
    backends = nextBackends;
    ordered = nextOrdered;
  }

  /*
   * What ModelPatcher reads and writes: it patches the last build's results in place of a build,
   * so that the next build (patched or not) finds them as if a build had made them.
   */

  /** The validation of {@code backends} and {@code secrets} when it is the last one, else null. */
  BackendResolver.Validation lastValidation(List<Backend> backends, List<Secret> secrets) {
    Validation v = validation;
    return v != null && v.backends() == backends && v.secrets() == secrets ? v.validation() : null;
  }

  /**
   * Records {@code validation} as that of {@code backends} and {@code secrets}, which differ from
   * the last ones in the Backends of {@code changed} (with what each was validated against).
   */
  void patchValidation(
      List<Backend> backends,
      List<Secret> secrets,
      BackendResolver.Validation validation,
      Map<String, Backend> changedBackends,
      Map<String, Secret> changedSecrets,
      Map<String, BackendValidator.Resolved> changedResolved) {
    this.validation = new Validation(backends, secrets, validation);
    for (Map.Entry<String, Backend> e : changedBackends.entrySet()) {
      String id = e.getKey();
      validated.put(
          id, new Validated(e.getValue(), changedSecrets.get(id), changedResolved.get(id)));
    }
  }

  /** The outcome the last build gave {@code route} (that instance), or null. */
  RouteOutcome lastOutcome(HTTPRoute route) {
    Outcome o = outcomes.get(route);
    return o == null ? null : o.outcome();
  }

  /** Records {@code outcome}, given {@code inputs}, for {@code now} in place of {@code before}. */
  void patchOutcome(
      HTTPRoute before, HTTPRoute now, RouteOutcome.Inputs inputs, RouteOutcome outcome) {
    if (before != null) {
      outcomes.remove(before);
    }
    if (now != null && outcome != null) {
      outcomes.put(now, new Outcome(inputs, outcome));
    }
  }

  /** The model of each backend of Gateway {@code gatewayId}, by id, as the last build made them. */
  Map<String, BackendModel> backendsOf(String gatewayId) {
    return backends.getOrDefault(gatewayId, Map.of());
  }

  /** Forgets Gateway {@code gatewayId}'s model of backend {@code id} (no route sends to it). */
  void dropBackend(String gatewayId, String id) {
    Map<String, BackendModel> models = backends.get(gatewayId);
    if (models != null) {
      models.remove(id);
    }
  }

  /** Records {@code model} as Gateway {@code gatewayId}'s model of its backend. */
  void patchBackend(String gatewayId, BackendModel model) {
    backends.computeIfAbsent(gatewayId, g -> new HashMap<>()).put(model.id(), model);
  }

  @Override
  public BackendResolver.Validation validation(
      List<Backend> backends, List<Secret> secrets, Supplier<BackendResolver.Validation> validate) {
    Validation v = validation;
    if (v == null || v.backends() != backends || v.secrets() != secrets) {
      nextValidated = new HashMap<>(validated.size() * 2 + 16);
      v = new Validation(backends, secrets, validate.get());
    }
    nextValidation = v;
    return v.validation();
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
  public RouteOutcome outcome(
      HTTPRoute route, RouteOutcome.Inputs inputs, Supplier<RouteOutcome> attach) {
    Outcome last = outcomes.get(route);
    Outcome o;
    if (last != null
        && inputs.sameButBackends(last.inputs())
        && (inputs.backendsById() == last.inputs().backendsById()
            || last.outcome().sameBackends(inputs.backendsById()))) {
      o = last.inputs() == inputs ? last : new Outcome(inputs, last.outcome());
    } else {
      o = new Outcome(inputs, attach.get());
    }
    nextOutcomes.put(route, o);
    return o.outcome();
  }

  /*
   * The three below are asked while an outcome is computed afresh (some input changed): they take
   * what they can from the route's previous outcome.
   */

  @Override
  public BackendRefResolver.RouteRefs refs(
      HTTPRoute route,
      Map<String, Backend> backendsById,
      List<ReferenceGrant> grants,
      Supplier<BackendRefResolver.RouteRefs> resolve) {
    Outcome last = outcomes.get(route);
    if (last != null
        && last.inputs().backendsById() == backendsById
        && last.inputs().grants() == grants) {
      return last.outcome().refs();
    }
    BackendRefResolver.RouteRefs fresh = resolve.get();
    // Equal to the last resolution (a Backend the route does not name changed): keep that one, so
    // that what depends on it is found by identity.
    return last != null && last.outcome().refs().equals(fresh) ? last.outcome().refs() : fresh;
  }

  @Override
  public List<RouteModel> converted(
      HTTPRoute route, BackendRefResolver.RouteRefs refs, Supplier<List<RouteModel>> convert) {
    Outcome last = outcomes.get(route);
    if (last != null
        && !last.outcome().attachments().isEmpty() // its routes were converted
        && (last.outcome().refs() == refs || last.outcome().refs().equals(refs))) {
      return last.outcome().models();
    }
    return List.copyOf(convert.get());
  }

  @Override
  public List<RouteParentResult> parents(HTTPRoute route, List<RouteParentResult> fresh) {
    Outcome last = outcomes.get(route);
    return last != null && fresh.equals(last.outcome().parents())
        ? last.outcome().parents()
        : List.copyOf(fresh);
  }

  @Override
  public BackendModel backend(String gatewayId, BackendModel fresh) {
    BackendModel last = backends.getOrDefault(gatewayId, Map.of()).get(fresh.id());
    BackendModel out = fresh.equals(last) ? last : fresh;
    nextBackends.computeIfAbsent(gatewayId, g -> new HashMap<>()).put(out.id(), out);
    return out;
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
}
