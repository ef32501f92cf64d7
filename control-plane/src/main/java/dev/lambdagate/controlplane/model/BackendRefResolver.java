package dev.lambdagate.controlplane.model;

import dev.lambdagate.controlplane.crd.Backend;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Resolves an HTTPRoute's backendRefs to Backends, once per route whatever the number of its
 * parents (the outcome does not depend on the Gateway): only kgateway {@code Backend}s, in the
 * route's namespace or in one whose ReferenceGrant allows HTTPRoutes from it. A ref that resolves
 * to nothing still gets an id and a cluster name (an error backend), so that its share of the
 * traffic answers 500 instead of going elsewhere.
 *
 * <p>Immutable after construction (it reads the maps it was given); thread-safe if they are not
 * changed.
 */
final class BackendRefResolver {

  /**
   * One backendRef after resolution.
   *
   * @param reason null when resolved, else why not ({@link StatusReason#INVALID_KIND}, {@link
   *     StatusReason#REF_NOT_PERMITTED}, {@link StatusReason#BACKEND_NOT_FOUND})
   * @param backend the Backend, when resolved
   * @param errorId the filter's id of the error backend standing for it, when not resolved
   * @param errorCluster the Envoy cluster (without endpoints) of that error backend
   * @param backendId the id {@code backend} was found under, when resolved (kept so that checking
   *     whether the same Backend is still there needs no new string)
   */
  record ResolvedRef(
      StatusReason reason,
      String message,
      Backend backend,
      String errorId,
      String errorCluster,
      int weight,
      String backendId) {}

  /**
   * Every backendRef of a route, by rule, with the summary its {@code ResolvedRefs} condition
   * shows: the first failure in rule and ref order, or {@link StatusReason#RESOLVED_REFS}.
   */
  record RouteRefs(List<List<ResolvedRef>> byRule, StatusReason reason, String message) {
    boolean resolved() {
      return reason == StatusReason.RESOLVED_REFS;
    }
  }

  private final Map<String, Backend> backendsById;
  private final List<ReferenceGrant> grants;

  /**
   * @param backendsById every Backend, by {@code ns/name}
   * @param grants every ReferenceGrant
   */
  BackendRefResolver(Map<String, Backend> backendsById, List<ReferenceGrant> grants) {
    this.backendsById = backendsById;
    this.grants = grants;
  }

  /** Every Backend, by {@code ns/name}, as given. */
  Map<String, Backend> backendsById() {
    return backendsById;
  }

  /** Every ReferenceGrant, as given. */
  List<ReferenceGrant> grants() {
    return grants;
  }

  /** The backendRefs of every rule of {@code route} ({@code rules} are its spec's, non-null). */
  RouteRefs resolve(HTTPRoute route, List<HTTPRouteRule> rules) {
    String routeNs = route.getMetadata().getNamespace();
    List<List<ResolvedRef>> byRule = new ArrayList<>();
    StatusReason reason = StatusReason.RESOLVED_REFS;
    String message = "all backendRefs resolved";
    for (HTTPRouteRule rule : rules) {
      List<ResolvedRef> refs = new ArrayList<>();
      if (rule.getBackendRefs() != null) {
        for (HTTPBackendRef ref : rule.getBackendRefs()) {
          ResolvedRef rr = resolve(routeNs, ref);
          refs.add(rr);
          if (rr.reason() != null && reason == StatusReason.RESOLVED_REFS) {
            reason = rr.reason();
            message = rr.message();
          }
        }
      }
      byRule.add(refs);
    }
    return new RouteRefs(byRule, reason, message);
  }

  /** One backendRef of a route in namespace {@code routeNs}. */
  ResolvedRef resolve(String routeNs, HTTPBackendRef ref) {
    String group = ref.getGroup() == null ? "" : ref.getGroup();
    String kind = ref.getKind() == null ? "Service" : ref.getKind();
    String ns = ref.getNamespace() == null ? routeNs : ref.getNamespace();
    int weight = ref.getWeight() == null ? 1 : ref.getWeight();
    String id = ns + "/" + ref.getName();
    if (!group.equals(Backend.GROUP) || !kind.equals("Backend")) {
      String kindName = (group.isEmpty() ? "" : group + "/") + kind;
      return new ResolvedRef(
          StatusReason.INVALID_KIND,
          "backendRef "
              + kindName
              + " "
              + id
              + " is not supported (use group "
              + Backend.GROUP
              + ", kind Backend)",
          null,
          "invalid:" + kind + ":" + id,
          "lambdagate-invalid|" + ns + "|" + kind + "|" + ref.getName(),
          weight,
          null);
    }
    if (!ns.equals(routeNs)
        && !ReferenceGrants.permits(
            grants, "HTTPRoute", routeNs, Backend.GROUP, "Backend", ns, ref.getName())) {
      return new ResolvedRef(
          StatusReason.REF_NOT_PERMITTED,
          "backendRef Backend "
              + id
              + " is in another "
              + "namespace and no ReferenceGrant in "
              + ns
              + " allows HTTPRoutes from "
              + routeNs,
          null,
          "denied:" + routeNs + ":" + id,
          "lambdagate-denied|" + routeNs + "|" + ns + "|" + ref.getName(),
          weight,
          null);
    }
    Backend b = backendsById.get(id);
    if (b == null) {
      return new ResolvedRef(
          StatusReason.BACKEND_NOT_FOUND,
          "Backend " + id + " not found",
          null,
          id,
          BackendModel.clusterName(ns, ref.getName()),
          weight,
          null);
    }
    return new ResolvedRef(null, null, b, null, null, weight, id);
  }
}
