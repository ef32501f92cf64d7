package dev.lambdagate.controlplane.model;

import dev.lambdagate.controlplane.crd.Backend;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What one {@link ModelBuilder#build} may take from the builds before it: the hooks where the
 * builder would compute something that depends only on a few objects. {@link #NONE} computes
 * everything (a from-scratch build); {@link ModelMemo} returns the earlier result when those
 * objects are the same instances (informer caches replace an object on every change and never
 * mutate it) and otherwise computes. Either way the model is the same; only the cost differs.
 *
 * <p>Implementations are used by one build at a time.
 */
interface BuildMemo {

  /**
   * Backend {@code b} ({@code id} = {@code ns/name}) validated ({@link BackendValidator#resolve}),
   * given {@code secret}, the Secret its {@code auth.secretRef} names (null when it names none or
   * none exists): the only other input of the validation.
   */
  BackendValidator.Resolved validated(
      String id, Backend b, Secret secret, Supplier<BackendValidator.Resolved> validate);

  /**
   * Every Backend validated ({@code validate}), given the state's Backends and Secrets, its only
   * inputs besides the builder's options.
   */
  BackendResolver.Validation validation(
      List<Backend> backends, List<Secret> secrets, Supplier<BackendResolver.Validation> validate);

  /**
   * What attaching {@code route} gives ({@code attach}), given {@code inputs}, the objects it
   * depends on besides the route (and the builder's options).
   */
  RouteOutcome outcome(HTTPRoute route, RouteOutcome.Inputs inputs, Supplier<RouteOutcome> attach);

  /**
   * The backendRefs of {@code route} resolved ({@code resolve}) against {@code backendsById} and
   * {@code grants}, its only other inputs.
   */
  BackendRefResolver.RouteRefs refs(
      HTTPRoute route,
      Map<String, Backend> backendsById,
      List<ReferenceGrant> grants,
      Supplier<BackendRefResolver.RouteRefs> resolve);

  /**
   * The routes of {@code route} ({@link RouteRuleConverter#routeModels}) given its resolved
   * backendRefs {@code refs}, their only other input.
   */
  List<RouteModel> converted(
      HTTPRoute route, BackendRefResolver.RouteRefs refs, Supplier<List<RouteModel>> convert);

  /**
   * {@code fresh}, or an equal earlier instance (so that comparing models, and the translator's
   * lookups, meet the same instance).
   */
  BackendModel backend(String gatewayId, BackendModel fresh);

  /** {@code fresh}, or an equal earlier instance. */
  List<RouteParentResult> parents(HTTPRoute route, List<RouteParentResult> fresh);

  /**
   * {@code routes} of virtual host {@code vhostKey} sorted by {@link RoutePrecedence#ORDER},
   * immutable.
   */
  List<RouteModel> precedenceOrder(String vhostKey, List<RouteModel> routes);

  /** Computes everything. */
  BuildMemo NONE =
      new BuildMemo() {
        @Override
        public BackendValidator.Resolved validated(
            String id, Backend b, Secret secret, Supplier<BackendValidator.Resolved> validate) {
          return validate.get();
        }

        @Override
        public BackendResolver.Validation validation(
            List<Backend> backends,
            List<Secret> secrets,
            Supplier<BackendResolver.Validation> validate) {
          return validate.get();
        }

        @Override
        public RouteOutcome outcome(
            HTTPRoute route, RouteOutcome.Inputs inputs, Supplier<RouteOutcome> attach) {
          return attach.get();
        }

        @Override
        public BackendRefResolver.RouteRefs refs(
            HTTPRoute route,
            Map<String, Backend> backendsById,
            List<ReferenceGrant> grants,
            Supplier<BackendRefResolver.RouteRefs> resolve) {
          return resolve.get();
        }

        @Override
        public List<RouteModel> converted(
            HTTPRoute route,
            BackendRefResolver.RouteRefs refs,
            Supplier<List<RouteModel>> convert) {
          return convert.get();
        }

        @Override
        public BackendModel backend(String gatewayId, BackendModel fresh) {
          return fresh;
        }

        @Override
        public List<RouteParentResult> parents(HTTPRoute route, List<RouteParentResult> fresh) {
          return fresh;
        }

        @Override
        public List<RouteModel> precedenceOrder(String vhostKey, List<RouteModel> routes) {
          List<RouteModel> sorted = new ArrayList<>(routes);
          sorted.sort(RoutePrecedence.ORDER);
          return List.copyOf(sorted);
        }
      };
}
