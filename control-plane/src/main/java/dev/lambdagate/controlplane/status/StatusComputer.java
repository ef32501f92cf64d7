package dev.lambdagate.controlplane.status;

import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.crd.GatewayParameters;
import dev.lambdagate.controlplane.crd.GatewayParametersKeys;
import dev.lambdagate.controlplane.lambda.FunctionCheckResult;
import dev.lambdagate.controlplane.model.BackendModel;
import dev.lambdagate.controlplane.model.Credentials;
import dev.lambdagate.controlplane.model.GatewayModel;
import dev.lambdagate.controlplane.model.GatewayOwnership;
import dev.lambdagate.controlplane.model.ListenerModel;
import dev.lambdagate.controlplane.model.Model;
import dev.lambdagate.controlplane.model.ModelBuilder;
import dev.lambdagate.controlplane.model.RouteParentResult;
import dev.lambdagate.controlplane.model.StatusReason;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.state.ResourceKey;
import dev.lambdagate.controlplane.sts.StsCheckResult;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.LocalParametersReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteGroupKindBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatusBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Computes the {@link DesiredStatus} of a {@link Model} plus what the xDS server learnt (a rejected
 * configuration makes the Gateway {@code Programmed=False}, reason {@code Invalid}). {@code
 * lastTransitionTime} is left empty: the writer keeps or stamps it.
 *
 * <p>A Gateway whose ServiceAccount is someone else's ({@link Model#serviceAccountConflicts()}) is
 * {@code Programmed=False}, reason {@code NoResources}: its proxy is not provisioned. The standard
 * summary condition with a standard reason (Gateway API lists {@code NoResources} for "not
 * scheduled because insufficient infrastructure resources are available") rather than a condition
 * type of our own, so {@code kubectl wait --for=condition=Programmed} and every tool reading
 * Gateway status see it; the message says which account and what to do. {@code Accepted} stays
 * True: the Gateway itself is valid and its configuration is built.
 */
public final class StatusComputer {

  /** The Backend condition that carries the outcome of checking its credentials with STS. */
  public static final String CREDENTIALS_READY = "CredentialsReady";

  /**
   * The Backend condition that carries the outcome of invoking its function with {@code
   * X-Amz-Invocation-Type: DryRun} from the control plane.
   */
  public static final String FUNCTION_READY = "FunctionReady";

  /** The GatewayParameters condition listing the keys lambdagate ignores. */
  public static final String UNSUPPORTED_FIELDS = "UnsupportedFields";

  /** Longest condition message written (STS messages are short; a proxy's error page is not). */
  private static final int MAX_MESSAGE = 1024;

  private StatusComputer() {}

  /**
   * @param rejections per Gateway ({@code ns/name}), the latest NACK detail Envoy sent for the
   *     current configuration
   */
  public static DesiredStatus compute(Model model, Map<String, String> rejections) {
    return compute(model, rejections, c -> null);
  }

  /**
   * @param rejections per Gateway ({@code ns/name}), the latest NACK detail Envoy sent for the
   *     current configuration
   * @param stsChecks the outcome of checking a credential source with STS, or null when it is not
   *     checked; a Backend with checked sources gets a {@code CredentialsReady} condition
   */
  public static DesiredStatus compute(
      Model model,
      Map<String, String> rejections,
      Function<Credentials, StsCheckResult> stsChecks) {
    return compute(model, rejections, stsChecks, null, null);
  }

  /**
   * {@link #compute(Model, Map, Function)}, taking the status of each Backend and HTTPRoute whose
   * inputs did not change from {@code previous}, the status computed from {@code previousModel}:
   * the same conditions, and the same instances, so that a status sink can tell what changed
   * without comparing contents. Gateways (few) are always computed.
   *
   * @param previousModel the model {@code previous} was computed from, or null
   * @param previous the status computed last, or null
   */
  public static DesiredStatus compute(
      Model model,
      Map<String, String> rejections,
      Function<Credentials, StsCheckResult> stsChecks,
      Model previousModel,
      DesiredStatus previous) {
    return compute(model, rejections, stsChecks, b -> null, previousModel, previous);
  }

  /**
   * {@link #compute(Model, Map, Function, Model, DesiredStatus)} with the outcome of each valid
   * backend's DryRun Invoke: a Backend with checked functions gets a {@value #FUNCTION_READY}
   * condition after {@code CredentialsReady}.
   *
   * @param functionChecks the outcome for one Gateway's backend, or null when it is not checked
   */
  public static DesiredStatus compute(
      Model model,
      Map<String, String> rejections,
      Function<Credentials, StsCheckResult> stsChecks,
      Function<BackendModel, FunctionCheckResult> functionChecks,
      Model previousModel,
      DesiredStatus previous) {
    return compute(model, rejections, stsChecks, functionChecks, previousModel, previous, null);
  }

  /**
   * {@link #compute(Model, Map, Function, Function, Model, DesiredStatus)} knowing what changed
   * between {@code previousModel} and {@code model} (a patched model knows it: {@code
   * IncrementalModelBuilder.changedSince}): only the Backends and HTTPRoutes of {@code changed},
   * the Backends whose credentials or functions are checked (outcomes change outside the model) or
   * were last time, and the Gateways are computed; every other entry is the previous one. A change
   * then costs what it changes, not a walk over 20,000 entries.
   *
   * @param changed the keys of the Backends and HTTPRoutes whose entries in {@code model} may
   *     differ from {@code previousModel}'s, or null when unknown (everything is walked)
   */
  public static DesiredStatus compute(
      Model model,
      Map<String, String> rejections,
      Function<Credentials, StsCheckResult> stsChecks,
      Function<BackendModel, FunctionCheckResult> functionChecks,
      Model previousModel,
      DesiredStatus previous,
      Set<ResourceKey> changed) {
    boolean reuse = previousModel != null && previous != null;
    Map<ResourceKey, List<CheckUse<StsCheckResult>>> stsUses =
        checkUses(model, b -> stsChecks.apply(b.credentials()));
    Map<ResourceKey, List<CheckUse<FunctionCheckResult>>> functionUses =
        checkUses(model, functionChecks);
    Map<ResourceKey, List<Condition>> backends;
    Map<ResourceKey, HTTPRouteStatus> routes;
    if (reuse && changed != null) {
      backends = new HashMap<>(previous.backends());
      Set<ResourceKey> again = new HashSet<>(stsUses.keySet());
      again.addAll(functionUses.keySet());
      previous
          .backends()
          .forEach(
              (k, cs) -> {
                if (cs.size() != 1) {
                  again.add(k); // checked last time: maybe not now
                }
              });
      routes = new HashMap<>(previous.httpRoutes());
      for (ResourceKey k : changed) {
        if ("Backend".equals(k.kind())) {
          again.add(k);
        } else if ("HTTPRoute".equals(k.kind())) {
          List<RouteParentResult> parents = model.routeParents().get(k);
          if (parents == null) {
            routes.remove(k);
          } else {
            routes.put(k, routeStatus(parents, model.generations().getOrDefault(k, 0L)));
          }
        }
      }
      for (ResourceKey k : again) {
        if (!model.backendErrors().containsKey(k)) {
          backends.remove(k);
          continue;
        }
        String error = model.backendErrors().get(k);
        backends.put(
            k,
            backendStatus(
                error,
                model.generations().getOrDefault(k, 0L),
                error == null ? stsUses.get(k) : null,
                error == null ? functionUses.get(k) : null));
      }
    } else {
      backends = walkBackends(model, previousModel, previous, stsUses, functionUses);
      routes = walkRoutes(model, previousModel, previous);
    }
    TreeMap<ResourceKey, GatewayStatus> gateways = new TreeMap<>();
    for (GatewayModel g : model.gateways()) {
      long gen = g.generation();
      List<ListenerStatus> listeners = new ArrayList<>();
      for (ListenerModel l : g.listeners()) {
        List<Condition> cs = new ArrayList<>();
        if (l.unsupportedReason() != null) {
          cs.add(condition("Accepted", false, l.unsupportedReason(), l.message(), gen));
        } else {
          cs.add(condition("Accepted", true, StatusReason.ACCEPTED, "listener is accepted", gen));
        }
        cs.add(
            l.conflictReason() != null
                ? condition("Conflicted", true, l.conflictReason(), l.message(), gen)
                : condition("Conflicted", false, StatusReason.NO_CONFLICTS, "no conflicts", gen));
        cs.add(
            l.unsupportedReason() == StatusReason.INVALID_ROUTE_KINDS
                ? condition(
                    "ResolvedRefs", false, StatusReason.INVALID_ROUTE_KINDS, l.message(), gen)
                : l.refsReason() != null
                    ? condition("ResolvedRefs", false, l.refsReason(), l.refsMessage(), gen)
                    : condition(
                        "ResolvedRefs",
                        true,
                        StatusReason.RESOLVED_REFS,
                        "references resolved",
                        gen));
        // An HTTPS listener none of whose certificates resolved is accepted (its spec is valid)
        // but not programmed: Envoy has nothing to present, so it gets no filter chain.
        cs.add(
            l.programmed()
                ? condition(
                    "Programmed", true, StatusReason.PROGRAMMED, "listener is programmed", gen)
                : condition(
                    "Programmed",
                    false,
                    StatusReason.INVALID,
                    l.usable() ? l.refsMessage() : l.message(),
                    gen));
        listeners.add(
            new ListenerStatusBuilder()
                .withName(l.name())
                .withAttachedRoutes(l.attachedRoutes())
                .withSupportedKinds(
                    new RouteGroupKindBuilder()
                        .withGroup(ModelBuilder.GATEWAY_GROUP)
                        .withKind("HTTPRoute")
                        .build())
                .withConditions(cs)
                .build());
      }
      String rejected = rejections.get(g.nodeGroup());
      String conflict = model.serviceAccountConflicts().get(g.gateway());
      Condition programmed =
          conflict != null
              ? condition("Programmed", false, StatusReason.NO_RESOURCES, conflict, gen)
              : rejected != null
                  ? condition(
                      "Programmed",
                      false,
                      StatusReason.INVALID,
                      "Envoy rejected the configuration: " + rejected,
                      gen)
                  : condition(
                      "Programmed",
                      true,
                      StatusReason.PROGRAMMED,
                      "configuration is served over ADS to "
                          + "Envoys of node group "
                          + g.nodeGroup(),
                      gen);
      gateways.put(
          g.gateway(),
          new GatewayStatusBuilder()
              .withConditions(
                  condition("Accepted", true, StatusReason.ACCEPTED, "Gateway is accepted", gen),
                  programmed)
              .withListeners(listeners)
              .build());
    }
    return new DesiredStatus(backends, routes, gateways);
  }

  /**
   * The conditions of each GatewayParameters a Gateway of {@code model} references ({@code
   * infrastructure.parametersRef}): {@code Accepted=True} (its supported keys shape the proxies),
   * and {@value #UNSUPPORTED_FIELDS}, True with the ignored keys listed when the spec has keys
   * lambdagate does not support yet ({@link GatewayParametersKeys}), False otherwise. A negative
   * polarity condition of its own, like Gateway API's {@code PartiallyInvalid} for routes, so that
   * {@code Accepted} keeps meaning "in use" and {@code kubectl wait
   * --for=condition=UnsupportedFields=False} works. GatewayParameters no Gateway of lambdagate
   * references (kgateway's, say) get nothing.
   */
  public static Map<ResourceKey, List<Condition>> gatewayParameters(
      Model model, ClusterState state) {
    TreeMap<ResourceKey, List<Condition>> out = new TreeMap<>();
    if (model == null || state == null) {
      return out;
    }
    Set<ResourceKey> referenced = new HashSet<>();
    Set<ResourceKey> ours = new HashSet<>();
    model.gateways().forEach(g -> ours.add(g.gateway()));
    for (Gateway g : state.gateways()) {
      ResourceKey key =
          new ResourceKey("Gateway", g.getMetadata().getNamespace(), g.getMetadata().getName());
      if (!ours.contains(key)
          || g.getSpec() == null
          || g.getSpec().getInfrastructure() == null
          || g.getSpec().getInfrastructure().getParametersRef() == null) {
        continue;
      }
      LocalParametersReference ref = g.getSpec().getInfrastructure().getParametersRef();
      if (Backend.GROUP.equals(ref.getGroup()) && "GatewayParameters".equals(ref.getKind())) {
        referenced.add(
            new ResourceKey("GatewayParameters", g.getMetadata().getNamespace(), ref.getName()));
      }
    }
    for (GatewayParameters gp : state.gatewayParameters()) {
      ResourceKey key =
          new ResourceKey(
              "GatewayParameters", gp.getMetadata().getNamespace(), gp.getMetadata().getName());
      if (!referenced.contains(key)) {
        continue;
      }
      long gen = gp.getMetadata().getGeneration() == null ? 0L : gp.getMetadata().getGeneration();
      List<String> ignored = GatewayParametersKeys.unsupported(gp.getSpec());
      if (ignored.isEmpty()) {
        out.put(
            key,
            List.of(
                condition(
                    "Accepted",
                    true,
                    StatusReason.ACCEPTED,
                    "the Gateways' proxies are provisioned from it",
                    gen),
                condition(
                    UNSUPPORTED_FIELDS,
                    false,
                    StatusReason.ALL_FIELDS_SUPPORTED,
                    "lambdagate supports every key of this spec",
                    gen)));
      } else {
        String list = String.join(", ", ignored);
        String message = "lambdagate does not support these keys yet and ignores them: " + list;
        if (message.length() > MAX_MESSAGE) {
          message = message.substring(0, MAX_MESSAGE - 3) + "...";
        }
        out.put(
            key,
            List.of(
                condition(
                    "Accepted",
                    true,
                    StatusReason.ACCEPTED,
                    "the Gateways' proxies are provisioned from it; "
                        + ignored.size()
                        + " ignored key(s), see "
                        + UNSUPPORTED_FIELDS,
                    gen),
                condition(
                    UNSUPPORTED_FIELDS, true, StatusReason.UNSUPPORTED_FIELDS, message, gen)));
      }
    }
    return out;
  }

  static Condition condition(
      String type, boolean status, StatusReason reason, String message, long generation) {
    return condition(type, status ? "True" : "False", reason.value(), message, generation);
  }

  /**
   * @param reason a reason of lambdagate's own (a {@code CredentialsReady} outcome of the sts
   *     package), or a {@link StatusReason#value()}
   */
  static Condition condition(
      String type, String status, String reason, String message, long generation) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .build();
  }

  /** One Gateway's use of a Backend that is checked in the background, and how the check went. */
  private record CheckUse<R>(ResourceKey gateway, R result) {}

  /** Per Backend, each Gateway's use of it with its check's outcome (Backends checked only). */
  private static <R> Map<ResourceKey, List<CheckUse<R>>> checkUses(
      Model model, Function<BackendModel, R> checks) {
    Map<ResourceKey, List<CheckUse<R>>> uses = new HashMap<>();
    for (GatewayModel g : model.gateways()) {
      for (BackendModel b : g.backends()) {
        if (b.source() == null || !b.valid()) {
          continue;
        }
        R r = checks.apply(b);
        if (r != null) {
          uses.computeIfAbsent(b.source(), k -> new ArrayList<>())
              .add(new CheckUse<>(g.gateway(), r));
        }
      }
    }
    return uses;
  }

  /**
   * {@code CredentialsReady}: False when STS refused any Gateway's exchange, Unknown while any is
   * unchecked or STS could not be reached, True when STS issued credentials for all.
   */
  private static Condition credentialsReady(List<CheckUse<StsCheckResult>> uses, long gen) {
    CheckUse<StsCheckResult> worst = worst(uses, u -> rank(u.state()));
    StsCheckResult r = worst.result();
    String status =
        switch (r.state()) {
          case ISSUED -> "True";
          case REJECTED -> "False";
          case UNREACHABLE, PENDING -> "Unknown";
        };
    return condition(CREDENTIALS_READY, status, r.reason(), message(uses, worst, r.message()), gen);
  }

  /**
   * {@value #FUNCTION_READY}: False when Lambda refused any Gateway's DryRun, Unknown while any is
   * unchecked, unanswered or waiting for credentials, True when Lambda accepted all.
   */
  private static Condition functionReady(List<CheckUse<FunctionCheckResult>> uses, long gen) {
    CheckUse<FunctionCheckResult> worst = worst(uses, u -> rank(u.state()));
    FunctionCheckResult r = worst.result();
    String status =
        switch (r.state()) {
          case READY -> "True";
          case FAILED -> "False";
          case UNKNOWN, PENDING -> "Unknown";
        };
    return condition(FUNCTION_READY, status, r.reason(), message(uses, worst, r.message()), gen);
  }

  /** The worst outcome (highest rank; the first Gateway by key among equals). */
  private static <R> CheckUse<R> worst(List<CheckUse<R>> uses, ToIntFunction<R> rank) {
    uses.sort(Comparator.comparing(CheckUse::gateway));
    CheckUse<R> worst = uses.get(0);
    for (CheckUse<R> u : uses) {
      if (rank.applyAsInt(u.result()) > rank.applyAsInt(worst.result())) {
        worst = u;
      }
    }
    return worst;
  }

  /**
   * The worst outcome's message, naming its Gateway when more than one uses the Backend, within the
   * condition message limit.
   */
  private static <R> String message(List<CheckUse<R>> uses, CheckUse<R> worst, String text) {
    String message =
        uses.size() == 1 ? text : "Gateway " + worst.gateway().namespacedName() + ": " + text;
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE - 3) + "...";
    }
    return message;
  }

  private static int rank(FunctionCheckResult.State s) {
    return switch (s) {
      case READY -> 0;
      case PENDING -> 1;
      case UNKNOWN -> 2;
      case FAILED -> 3;
    };
  }

  private static int rank(StsCheckResult.State s) {
    return switch (s) {
      case ISSUED -> 0;
      case PENDING -> 1;
      case UNREACHABLE -> 2;
      case REJECTED -> 3;
    };
  }

  /** Every Backend's conditions, each taken from {@code previous} when its inputs are the same. */
  private static Map<ResourceKey, List<Condition>> walkBackends(
      Model model,
      Model previousModel,
      DesiredStatus previous,
      Map<ResourceKey, List<CheckUse<StsCheckResult>>> stsUses,
      Map<ResourceKey, List<CheckUse<FunctionCheckResult>>> functionUses) {
    boolean reuse = previousModel != null && previous != null;
    TreeMap<ResourceKey, List<Condition>> backends = new TreeMap<>();
    model
        .backendErrors()
        .forEach(
            (k, error) -> {
              long gen = model.generations().getOrDefault(k, 0L);
              if (reuse && !stsUses.containsKey(k) && !functionUses.containsKey(k)) {
                // Without STS checks a Backend's status is its error and generation alone.
                List<Condition> before = previous.backends().get(k);
                if (before != null
                    && before.size() == 1
                    && previousModel.backendErrors().containsKey(k)
                    && Objects.equals(previousModel.backendErrors().get(k), error)
                    && previousModel.generations().getOrDefault(k, 0L) == gen) {
                  backends.put(k, before);
                  return;
                }
              }
              backends.put(
                  k,
                  backendStatus(
                      error,
                      gen,
                      error == null ? stsUses.get(k) : null,
                      error == null ? functionUses.get(k) : null));
            });
    return backends;
  }

  /** One Backend's conditions. */
  private static List<Condition> backendStatus(
      String error,
      long gen,
      List<CheckUse<StsCheckResult>> uses,
      List<CheckUse<FunctionCheckResult>> functions) {
    Condition accepted =
        error == null
            ? condition("Accepted", true, StatusReason.ACCEPTED, "Backend is valid", gen)
            : condition("Accepted", false, StatusReason.INVALID, error, gen);
    List<Condition> cs = new ArrayList<>(3);
    cs.add(accepted);
    if (uses != null) {
      cs.add(credentialsReady(uses, gen));
    }
    if (functions != null) {
      cs.add(functionReady(functions, gen));
    }
    return List.copyOf(cs);
  }

  /** Every HTTPRoute's status, each taken from {@code previous} when its inputs are the same. */
  private static Map<ResourceKey, HTTPRouteStatus> walkRoutes(
      Model model, Model previousModel, DesiredStatus previous) {
    boolean reuse = previousModel != null && previous != null;
    TreeMap<ResourceKey, HTTPRouteStatus> routes = new TreeMap<>();
    model
        .routeParents()
        .forEach(
            (k, parents) -> {
              long gen = model.generations().getOrDefault(k, 0L);
              if (reuse
                  && previous.httpRoutes().containsKey(k)
                  && parents.equals(previousModel.routeParents().get(k))
                  && previousModel.generations().getOrDefault(k, 0L) == gen) {
                routes.put(k, previous.httpRoutes().get(k));
                return;
              }
              routes.put(k, routeStatus(parents, gen));
            });
    return routes;
  }

  /** One HTTPRoute's status: a parent status per parentRef of ours. */
  private static HTTPRouteStatus routeStatus(List<RouteParentResult> parents, long gen) {
    List<RouteParentStatus> ps = new ArrayList<>();
    for (RouteParentResult r : parents) {
      ps.add(
          new RouteParentStatusBuilder()
              .withParentRef(r.parentRef())
              .withControllerName(GatewayOwnership.CONTROLLER_NAME)
              .withConditions(
                  condition("Accepted", r.accepted(), r.acceptedReason(), r.acceptedMessage(), gen),
                  condition(
                      "ResolvedRefs",
                      r.resolvedRefs(),
                      r.resolvedRefsReason(),
                      r.resolvedRefsMessage(),
                      gen))
              .build());
    }
    return new HTTPRouteStatusBuilder().withParents(ps).build();
  }
}
