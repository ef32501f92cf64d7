package dev.lambdagate.controlplane.model;

import dev.lambdagate.controlplane.state.ResourceKey;
import dev.lambdagate.controlplane.state.SortedSearch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The last step of a {@link ModelPatcher} patch, per Gateway: where the moved routes go. Each
 * listener's count of attached routes follows them; a backend no route of the Gateway sends to any
 * more leaves it and one sent to for the first time is resolved and inserted by id (the Gateway's
 * reference counts say which); each moved route's old routes leave their virtual hosts and its new
 * ones are inserted in precedence order by binary search.
 *
 * <p>Stateless: everything it reads and writes is handed to it (the patch under way collects what
 * it writes; the reference counts are the patcher's, updated in place).
 */
final class PlacementPatcher {
  private PlacementPatcher() {}

  /**
   * Applies the moved routes to Gateway {@code gi}: its listeners' counts of attached routes, the
   * backends its routes send to (a backend no route of it sends to any more is dropped, one a route
   * sends to for the first time is resolved), and its virtual hosts, from which each moved route's
   * old routes are removed and into which its new ones are inserted in precedence order. False when
   * that would need a build: an invalid backend dropped or added, a virtual host created without
   * routes or emptied, a tie in precedence.
   */
  static boolean apply(
      Gateway g,
      int gi,
      BackendResolver resolver,
      ModelPatch patch,
      Map<String, BackendModel> known,
      Supplier<Map<String, int[]>> referenceCounts) {
    GatewayModel gm = patch.last.gateways().get(gi);
    int[] attached = new int[gm.listeners().size()];
    Map<String, Integer> referenced = new TreeMap<>();
    // Per port and host: the route keys to take out and the routes to put in.
    Map<Integer, Map<String, Set<ResourceKey>>> out = new TreeMap<>();
    Map<Integer, Map<String, List<RouteModel>>> in = new TreeMap<>();
    boolean touched = false;
    for (ModelPatch.Moved m : patch.moved) {
      boolean was =
          visitAttachments(
              m.oldAttachments(),
              gm,
              attached,
              -1,
              (port, host) ->
                  out.computeIfAbsent(port, k -> new TreeMap<>())
                      .computeIfAbsent(host, k -> new HashSet<>())
                      .add(m.key()));
      boolean is =
          visitAttachments(
              m.attachments(),
              gm,
              attached,
              1,
              (port, host) -> {
                List<RouteModel> into =
                    in.computeIfAbsent(port, k -> new TreeMap<>())
                        .computeIfAbsent(host, k -> new ArrayList<>());
                for (RouteModel r : m.models()) {
                  into.add(ListenerAssembler.withBrokenBackends(r, known));
                }
              });
      if ((was && !countReferences(m.oldModels(), -1, referenced, known))
          || (is && !countReferences(m.models(), 1, referenced, known))) {
        return false;
      }
      touched |= was || is;
    }
    if (!touched) {
      return true;
    }

    countAttached(gi, gm, attached, patch);
    return placeBackends(g, gi, gm, resolver, patch, known, referenced, referenceCounts)
        && placeRoutes(gi, gm, out, in, patch);
  }

  /** The Gateway's listeners with their counts of attached routes moved by {@code attached}. */
  private static void countAttached(int gi, GatewayModel gm, int[] attached, ModelPatch patch) {
    List<ListenerModel> listeners = gm.listeners();
    for (int i = 0; i < attached.length; i++) {
      if (attached[i] != 0) {
        if (listeners == gm.listeners()) {
          listeners = new ArrayList<>(gm.listeners());
        }
        ListenerModel l = listeners.get(i);
        listeners.set(
            i,
            new ListenerModel(
                l.name(),
                l.port(),
                l.protocol(),
                l.hostname(),
                l.conflictReason(),
                l.unsupportedReason(),
                l.message(),
                l.attachedRoutes() + attached[i],
                l.refsReason(),
                l.refsMessage(),
                l.programmed()));
      }
    }
    if (listeners != gm.listeners()) {
      patch.listeners[gi] = List.copyOf(listeners);
    }
  }

  /**
   * The Gateway's backends after the moved routes: those no route sends to any more dropped, those
   * a route sends to for the first time resolved and inserted by id ({@code referenced}: how the
   * moved routes change each backend's count). False when that needs a build.
   */
  private static boolean placeBackends(
      Gateway g,
      int gi,
      GatewayModel gm,
      BackendResolver resolver,
      ModelPatch patch,
      Map<String, BackendModel> known,
      Map<String, Integer> referenced,
      Supplier<Map<String, int[]>> referenceCounts) {
    String gwId = gm.nodeGroup();
    referenced.values().removeIf(v -> v == 0);
    Map<String, int[]> counts = referenced.isEmpty() ? Map.of() : referenceCounts.get();
    List<BackendModel> backends = patch.backends[gi] != null ? patch.backends[gi] : gm.backends();
    List<BackendModel> edited = null;
    for (Map.Entry<String, Integer> e : referenced.entrySet()) {
      String id = e.getKey();
      int[] count = counts.computeIfAbsent(id, k -> new int[1]);
      int before = count[0];
      count[0] += e.getValue();
      if (count[0] < 0) {
        return false; // the counts do not know this route: build
      }
      if (before > 0 && count[0] == 0) {
        BackendModel old = known.get(id);
        if (old == null || !old.valid()) {
          return false;
        }
        if (edited == null) {
          edited = new ArrayList<>(backends);
        }
        int at = indexOf(edited, id);
        if (at < 0) {
          return false;
        }
        edited.remove(at);
        patch.droppedBackends.computeIfAbsent(gwId, k -> new HashSet<>()).add(id);
      } else if (before == 0 && count[0] > 0) {
        String conflict = patch.last.serviceAccountConflicts().get(ModelBuilder.key("Gateway", g));
        BackendModel fresh = resolver.backend(id, g, conflict, null);
        if (!fresh.valid()) {
          return false;
        }
        if (edited == null) {
          edited = new ArrayList<>(backends);
        }
        int at = indexOf(edited, id);
        if (at >= 0) {
          return false;
        }
        edited.add(-at - 1, fresh);
        patch.backendModels.computeIfAbsent(gwId, k -> new HashMap<>()).put(id, fresh);
      }
    }
    if (edited != null) {
      List<BackendModel> list = List.copyOf(edited);
      patch.backends[gi] = list;
      patch.stsClusters[gi] = BackendResolver.stsClusters(list);
    }
    return true;
  }

  /**
   * The Gateway's virtual hosts after the moved routes: the routes of the HTTPRoutes {@code out}
   * names (per port and host) taken out, those {@code in} holds inserted in precedence order, a
   * virtual host for a new host inserted in host order. False when that needs a build: a tie, a
   * host emptied, or routes to take out of a host that is not there.
   */
  private static boolean placeRoutes(
      int gi,
      GatewayModel gm,
      Map<Integer, Map<String, Set<ResourceKey>>> out,
      Map<Integer, Map<String, List<RouteModel>>> in,
      ModelPatch patch) {
    List<PortModel> ports = new ArrayList<>(gm.ports());
    Set<Integer> portNumbers = new TreeSet<>(out.keySet());
    portNumbers.addAll(in.keySet());
    for (int port : portNumbers) {
      int pi = 0;
      while (pi < ports.size() && ports.get(pi).port() != port) {
        pi++;
      }
      if (pi == ports.size()) {
        return false;
      }
      PortModel pm = ports.get(pi);
      List<VirtualHostModel> vhosts = new ArrayList<>(pm.virtualHosts());
      Set<String> hosts = new TreeSet<>(out.getOrDefault(port, Map.of()).keySet());
      hosts.addAll(in.getOrDefault(port, Map.of()).keySet());
      for (String host : hosts) {
        Set<ResourceKey> removed = out.getOrDefault(port, Map.of()).getOrDefault(host, Set.of());
        List<RouteModel> inserted = in.getOrDefault(port, Map.of()).getOrDefault(host, List.of());
        int vi = 0;
        while (vi < vhosts.size() && vhosts.get(vi).name().compareTo(host) < 0) {
          vi++;
        }
        boolean exists = vi < vhosts.size() && vhosts.get(vi).name().equals(host);
        if (!exists && (inserted.isEmpty() || !removed.isEmpty())) {
          return false; // a host with no routes, or routes to remove from a host not there
        }
        List<RouteModel> current = exists ? vhosts.get(vi).routes() : List.of();
        List<RouteModel> swapped = swap(current, removed, inserted);
        if (swapped == null || swapped.isEmpty()) {
          return false; // a tie, or an emptied host (which a route without rules may keep)
        }
        VirtualHostModel vh = new VirtualHostModel(host, List.of(host), swapped);
        if (exists) {
          vhosts.set(vi, vh);
        } else {
          vhosts.add(vi, vh);
        }
      }
      ports.set(pi, new PortModel(pm.id(), pm.port(), vhosts, pm.tls()));
    }
    patch.ports[gi] = ports;
    return true;
  }

  /**
   * Goes through the {@code attachments} of one route to Gateway {@code gm}: adds {@code delta} to
   * the count of each listener they name ({@code attached}, by position) and hands each virtual
   * host they reach (port and host of a programmed listener) to {@code vhost} once. Whether any
   * attachment is to that Gateway.
   */
  private static boolean visitAttachments(
      List<RouteOutcome.Attachment> attachments,
      GatewayModel gm,
      int[] attached,
      int delta,
      BiConsumer<Integer, String> vhost) {
    boolean any = false;
    Set<String> seen = new HashSet<>();
    for (RouteOutcome.Attachment a : attachments) {
      if (!a.gatewayId().equals(gm.nodeGroup())) {
        continue;
      }
      any = true;
      for (int i = 0; i < a.listeners().size(); i++) {
        ListenerModel lm = gm.listeners().get(a.listeners().get(i));
        attached[a.listeners().get(i)] += delta;
        if (!lm.programmed()) {
          continue;
        }
        for (String host : a.hosts().get(i)) {
          if (seen.add(lm.port() + " " + host)) {
            vhost.accept(lm.port(), host);
          }
        }
      }
    }
    return any;
  }

  /**
   * Adds {@code delta} to {@code referenced} for each backend {@code models} send to; false when
   * one of them is a known invalid backend (see {@link #invalid}).
   */
  private static boolean countReferences(
      List<RouteModel> models,
      int delta,
      Map<String, Integer> referenced,
      Map<String, BackendModel> known) {
    for (String id : backendIds(models)) {
      referenced.merge(id, delta, Integer::sum);
      if (invalid(known, id)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether Gateway's backend {@code id} is known and invalid. A moved route sending to one needs a
   * build: whether the Gateway programs an invalid backend, and whether a route answers 500,
   * depends on whether the route has a valid backend beside it, which neither counts nor the moved
   * route alone tell.
   */
  private static boolean invalid(Map<String, BackendModel> known, String id) {
    BackendModel b = known.get(id);
    return b != null && !b.valid();
  }

  /**
   * {@code routes} (in precedence order, strictly) without those of the HTTPRoutes {@code removed},
   * with {@code inserted} put in order; null when one ties with another.
   */
  private static List<RouteModel> swap(
      List<RouteModel> routes, Set<ResourceKey> removed, List<RouteModel> inserted) {
    RouteModel[] kept = new RouteModel[routes.size() + inserted.size()];
    int n = 0;
    for (int i = 0; i < routes.size(); i++) {
      RouteModel r = routes.get(i);
      if (removed.isEmpty() || !removed.contains(r.route())) {
        kept[n++] = r;
      }
    }
    for (RouteModel m : inserted) {
      int at =
          Collections.binarySearch(Arrays.asList(kept).subList(0, n), m, RoutePrecedence.ORDER);
      if (at >= 0) {
        return null; // a tie: the order of insertion would decide, which a build knows
      }
      int lo = -at - 1;
      System.arraycopy(kept, lo, kept, lo + 1, n - lo);
      kept[lo] = m;
      n++;
    }
    return List.of(Arrays.copyOf(kept, n));
  }

  static Set<String> backendIds(List<RouteModel> models) {
    Set<String> ids = new TreeSet<>();
    for (RouteModel m : models) {
      for (RouteModel.WeightedBackend wb : m.backends()) {
        ids.add(wb.backendId());
      }
    }
    return ids;
  }

  /**
   * Position of the backend with {@code id} in {@code backends} (sorted by id), or {@code
   * -(insertion point) - 1}.
   */
  static int indexOf(List<BackendModel> backends, String id) {
    return SortedSearch.indexOf(backends, b -> b.id().compareTo(id));
  }
}
