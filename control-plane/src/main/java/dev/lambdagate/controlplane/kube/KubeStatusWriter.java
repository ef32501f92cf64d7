package dev.lambdagate.controlplane.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.crd.ConditionsStatus;
import dev.lambdagate.controlplane.crd.GatewayParameters;
import dev.lambdagate.controlplane.model.GatewayOwnership;
import dev.lambdagate.controlplane.state.ResourceKey;
import dev.lambdagate.controlplane.status.DesiredStatus;
import dev.lambdagate.controlplane.status.StatusSink;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link StatusSink} writing to the status subresources of Backends, GatewayParameters, Gateways
 * and HTTPRoutes.
 *
 * <ul>
 *   <li>Writes an object only when its status differs from what the server (or the informer cache
 *       standing in for it) holds, comparing without {@code lastTransitionTime}.
 *   <li>A condition whose {@code status} did not change keeps its old {@code lastTransitionTime}; a
 *       new or flipped condition gets the desired time or now.
 *   <li>HTTPRoute: only parent entries whose {@code controllerName} is {@link
 *       GatewayOwnership#CONTROLLER_NAME} are replaced; other controllers' entries stay.
 *   <li>A 409 Conflict re-reads the object from the server and re-applies (5 attempts).
 *   <li>An object whose desired status is the one it last reconciled (equal, usually the same
 *       instance: {@code StatusComputer} reuses what did not change) and whose {@code
 *       resourceVersion} is still the one it left the object at is skipped without being read into
 *       JSON and compared: a change then costs the objects it changed, not all 20,000 of 10,000
 *       routes and their Backends. Anyone else's write changes the {@code resourceVersion} and
 *       brings the comparison back.
 * </ul>
 *
 * <p>{@link #publish} is called from one thread at a time.
 */
public final class KubeStatusWriter implements StatusSink {
  private static final Logger LOG = LoggerFactory.getLogger(KubeStatusWriter.class);
  private static final int ATTEMPTS = 5;

  /** metav1.Condition's {@code message} limit, which the API server enforces. */
  static final int MAX_MESSAGE = 32768;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Where current objects are read from before comparing (an informer cache, or the API). */
  public interface Lookup {
    /** The object, or {@code null} when unknown. Callers do not mutate it. */
    <T extends HasMetadata> T get(Class<T> type, String namespace, String name);
  }

  private final KubernetesClient client;
  private final KubernetesSerialization serialization;
  private final Lookup lookup;
  private final Clock clock;
  private final String controllerName;
  private final AtomicInteger writes = new AtomicInteger();
  private final AtomicInteger conflicts = new AtomicInteger();
  private final AtomicInteger compared = new AtomicInteger();

  /** What {@link #publish} last reconciled an object to (a published status's objects only). */
  private record Reconciled(Object desired, String resourceVersion) {}

  private final Map<Class<?>, Map<ResourceKey, Reconciled>> reconciled =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Reads current objects from the API server. */
  public KubeStatusWriter(KubernetesClient client) {
    this(client, null, Clock.systemUTC());
  }

  /**
   * @param lookup where to read current objects first ({@code null}: the API server); on a conflict
   *     the object is always re-read from the server
   */
  public KubeStatusWriter(KubernetesClient client, Lookup lookup, Clock clock) {
    this.client = client;
    this.serialization = client.getKubernetesSerialization();
    this.lookup = lookup != null ? lookup : this::fromServer;
    this.clock = clock;
    this.controllerName = GatewayOwnership.CONTROLLER_NAME;
  }

  /** Status writes that reached the server (for tests and metrics). */
  public int writes() {
    return writes.get();
  }

  /**
   * Objects read and compared with their desired status (the others were skipped as reconciled
   * already), for tests and metrics.
   */
  public int compared() {
    return compared.get();
  }

  /** 409 Conflicts met and retried. */
  public int conflicts() {
    return conflicts.get();
  }

  @Override
  public void publish(DesiredStatus status) {
    // Forget objects whose status is no longer published (they may come back changed).
    reconciledOf(Backend.class).keySet().retainAll(status.backends().keySet());
    reconciledOf(GatewayParameters.class).keySet().retainAll(status.gatewayParameters().keySet());
    reconciledOf(Gateway.class).keySet().retainAll(status.gateways().keySet());
    reconciledOf(HTTPRoute.class).keySet().retainAll(status.httpRoutes().keySet());
    writeConditions(Backend.class, status.backends());
    writeConditions(GatewayParameters.class, status.gatewayParameters());
    for (Map.Entry<ResourceKey, GatewayStatus> e : new TreeMap<>(status.gateways()).entrySet()) {
      GatewayStatus desired = e.getValue();
      write(
          Gateway.class,
          e.getKey(),
          desired,
          current -> {
            GatewayStatus old = current.getStatus();
            GatewayStatus next = copy(desired, GatewayStatus.class);
            next.setConditions(
                carry(old == null ? null : old.getConditions(), next.getConditions()));
            if (next.getListeners() != null) {
              for (ListenerStatus listener : next.getListeners()) {
                ListenerStatus before =
                    old == null || old.getListeners() == null
                        ? null
                        : old.getListeners().stream()
                            .filter(l -> Objects.equals(l.getName(), listener.getName()))
                            .findFirst()
                            .orElse(null);
                listener.setConditions(
                    carry(
                        before == null ? null : before.getConditions(), listener.getConditions()));
              }
            }
            if (same(old, next)) {
              return false;
            }
            current.setStatus(next);
            return true;
          });
    }
    for (Map.Entry<ResourceKey, HTTPRouteStatus> e :
        new TreeMap<>(status.httpRoutes()).entrySet()) {
      HTTPRouteStatus desired = e.getValue();
      write(
          HTTPRoute.class,
          e.getKey(),
          desired,
          current -> {
            HTTPRouteStatus old = current.getStatus();
            List<RouteParentStatus> oldParents =
                old == null || old.getParents() == null ? List.of() : old.getParents();
            List<RouteParentStatus> parents = new ArrayList<>();
            for (RouteParentStatus p : oldParents) {
              if (!controllerName.equals(p.getControllerName())) {
                parents.add(p); // another controller's entry: left as it is
              }
            }
            List<RouteParentStatus> ours =
                desired.getParents() == null
                    ? List.of()
                    : copy(desired, HTTPRouteStatus.class).getParents();
            for (RouteParentStatus p : ours) {
              if (p.getControllerName() == null) {
                p.setControllerName(controllerName);
              }
              RouteParentStatus before =
                  oldParents.stream()
                      .filter(
                          o ->
                              controllerName.equals(o.getControllerName())
                                  && Objects.equals(o.getParentRef(), p.getParentRef()))
                      .findFirst()
                      .orElse(null);
              p.setConditions(
                  carry(before == null ? null : before.getConditions(), p.getConditions()));
              parents.add(p);
            }
            HTTPRouteStatus next =
                old == null ? new HTTPRouteStatus() : copy(old, HTTPRouteStatus.class);
            next.setParents(parents);
            if (same(old, next)) {
              return false;
            }
            current.setStatus(next);
            return true;
          });
    }
  }

  /**
   * Writes the conditions of a custom resource whose status is only conditions (Backend,
   * GatewayParameters), carrying each unchanged condition's transition time.
   */
  private <T extends CustomResource<?, ConditionsStatus>> void writeConditions(
      Class<T> type, Map<ResourceKey, List<Condition>> conditions) {
    for (Map.Entry<ResourceKey, List<Condition>> e : new TreeMap<>(conditions).entrySet()) {
      List<Condition> desired = e.getValue();
      write(
          type,
          e.getKey(),
          desired,
          current -> {
            List<Condition> old =
                current.getStatus() == null ? null : current.getStatus().conditions();
            List<Condition> next = carry(old, desired);
            if (same(old, next)) {
              return false;
            }
            current.setStatus(new ConditionsStatus(next));
            return true;
          });
    }
  }

  private Map<ResourceKey, Reconciled> reconciledOf(Class<?> type) {
    return reconciled.computeIfAbsent(type, t -> new java.util.concurrent.ConcurrentHashMap<>());
  }

  /**
   * Reads the object, lets {@code mutate} set its status to {@code desired} (returning false when
   * nothing needs writing), and writes the status subresource, re-reading on conflict; skips it
   * when it was reconciled to {@code desired} and has not changed since.
   */
  private <T extends HasMetadata> void write(
      Class<T> type, ResourceKey key, Object desired, Function<T, Boolean> mutate) {
    Map<ResourceKey, Reconciled> done = reconciledOf(type);
    Reconciled last = done.remove(key);
    T cached = lookup.get(type, key.namespace(), key.name());
    if (cached != null
        && last != null
        && Objects.equals(last.desired(), desired)
        && Objects.equals(last.resourceVersion(), cached.getMetadata().getResourceVersion())) {
      done.put(key, last);
      return;
    }
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      T current =
          attempt == 1 && cached != null ? cached : fromServer(type, key.namespace(), key.name());
      if (current == null) {
        LOG.debug("{} is gone, status not written", key);
        return;
      }
      compared.incrementAndGet();
      current = serialization.clone(current); // never mutate a cached object
      if (!mutate.apply(current)) {
        done.put(key, new Reconciled(desired, current.getMetadata().getResourceVersion()));
        return;
      }
      try {
        T written = client.resource(current).updateStatus();
        writes.incrementAndGet();
        LOG.info("status written: {}", key);
        if (written != null) {
          done.put(key, new Reconciled(desired, written.getMetadata().getResourceVersion()));
        }
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409 && attempt < ATTEMPTS) {
          conflicts.incrementAndGet();
          LOG.debug("conflict writing status of {}, re-reading", key);
          continue;
        }
        if (e.getCode() == 404) {
          LOG.debug("{} is gone, status not written", key);
          return;
        }
        LOG.warn("status of {} not written: {} {}", key, e.getCode(), e.getMessage());
        return;
      }
    }
  }

  private <T extends HasMetadata> T fromServer(Class<T> type, String namespace, String name) {
    return client.resources(type).inNamespace(namespace).withName(name).get();
  }

  /**
   * The desired conditions (copied) with {@code lastTransitionTime} carried over from the old
   * condition of the same type when its status is unchanged, else the desired time or now; a
   * message longer than the API server accepts is cut to {@link #MAX_MESSAGE}.
   */
  List<Condition> carry(List<Condition> old, List<Condition> desired) {
    if (desired == null) {
      return null;
    }
    String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    List<Condition> out = new ArrayList<>();
    for (Condition d : desired) {
      Condition c = copy(d, Condition.class);
      if (c.getMessage() != null && c.getMessage().length() > MAX_MESSAGE) {
        // The API server refuses the whole write for one message over its limit.
        c.setMessage(c.getMessage().substring(0, MAX_MESSAGE - 3) + "...");
      }
      Condition before =
          old == null
              ? null
              : old.stream()
                  .filter(o -> Objects.equals(o.getType(), c.getType()))
                  .findFirst()
                  .orElse(null);
      if (before != null
          && Objects.equals(before.getStatus(), c.getStatus())
          && before.getLastTransitionTime() != null) {
        c.setLastTransitionTime(before.getLastTransitionTime());
      } else if (c.getLastTransitionTime() == null) {
        c.setLastTransitionTime(now);
      }
      out.add(c);
    }
    return out;
  }

  private <T> T copy(T value, Class<T> type) {
    return serialization.unmarshal(serialization.asJson(value), type);
  }

  /** Equal once {@code lastTransitionTime}, nulls and empty lists/maps are removed. */
  boolean same(Object a, Object b) {
    return normalize(tree(a)).equals(normalize(tree(b)));
  }

  private JsonNode tree(Object value) {
    if (value == null) {
      return MAPPER.createObjectNode();
    }
    try {
      return MAPPER.readTree(serialization.asJson(value));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode normalize(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.remove("lastTransitionTime");
      Iterator<Map.Entry<String, JsonNode>> it = object.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = normalize(e.getValue());
        if (v.isNull() || (v.isContainerNode() && v.isEmpty())) {
          it.remove();
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (JsonNode v : array) {
        normalize(v);
      }
    }
    return node;
  }
}
