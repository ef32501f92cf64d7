package dev.lambdagate.controlplane.kube;

import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.crd.GatewayParameters;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.state.SortedSearch;
import dev.lambdagate.controlplane.state.StateSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.SharedInformerFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link StateSource} over fabric8 shared informers: GatewayClass (cluster scope), Gateway,
 * HTTPRoute, ReferenceGrant, Backend, GatewayParameters, Secret and ServiceAccount (all namespaces,
 * or one namespace when configured). After every informer has listed once, each burst of events is
 * coalesced for {@code coalesce} and one {@link ClusterState}, sorted by namespace and name, is
 * delivered from the source's single thread.
 *
 * <p>Secrets are cached (their keys are read by translation) but never logged: events are logged by
 * kind and name only.
 *
 * <p>Each kind's sorted list is kept and changed only where events of that kind changed it: a
 * change of one HTTPRoute replaces that HTTPRoute in the last list, and the Secrets' and Backends'
 * lists are the same instances as before (what the model builder patches from).
 */
public final class KubeStateSource implements StateSource {
  private static final Logger LOG = LoggerFactory.getLogger(KubeStateSource.class);

  private final KubernetesClient client;
  private final String watchNamespace;
  private final Duration coalesce;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final Set<String> warnedKinds = ConcurrentHashMap.newKeySet();
  private volatile boolean synced;
  private volatile boolean closed;
  private volatile ClusterState latest;
  private ScheduledExecutorService executor;
  private SharedInformerFactory clusterFactory;
  private SharedInformerFactory namespacedFactory;
  private Consumer<ClusterState> listener;

  /** Per informer, its last sorted listing. */
  private final Map<SharedIndexInformer<?>, Listing> listings = new ConcurrentHashMap<>();

  /**
   * An informer's last sorted listing and the keys of the objects that changed since: the next
   * listing looks those up in the informer's store and puts them in place by binary search (a
   * change of one HTTPRoute among 10,000 no longer copies and sorts them all). Stale (listed and
   * sorted afresh) before the first listing and after more changes than are worth patching.
   */
  private static final class Listing {
    /** More changed keys than this: list afresh. */
    static final int MAX_CHANGED = 256;

    final AtomicBoolean stale = new AtomicBoolean(true);
    final Set<String> changed = ConcurrentHashMap.newKeySet();
    List<?> items = List.of();

    void changed(HasMetadata o) {
      String ns = o.getMetadata().getNamespace();
      changed.add(ns == null ? o.getMetadata().getName() : ns + "/" + o.getMetadata().getName());
      if (changed.size() > MAX_CHANGED) {
        stale.set(true);
      }
    }
  }

  private SharedIndexInformer<GatewayClass> gatewayClasses;
  private SharedIndexInformer<Gateway> gateways;
  private SharedIndexInformer<HTTPRoute> httpRoutes;
  private SharedIndexInformer<ReferenceGrant> referenceGrants;
  private SharedIndexInformer<Backend> backends;
  private SharedIndexInformer<GatewayParameters> gatewayParameters;
  private SharedIndexInformer<Secret> secrets;
  private SharedIndexInformer<ServiceAccount> serviceAccounts;

  /**
   * @param watchNamespace one namespace to watch, or {@code null} for all
   * @param coalesce quiet time collecting a burst of events before one delivery
   */
  public KubeStateSource(KubernetesClient client, String watchNamespace, Duration coalesce) {
    this.client = client;
    this.watchNamespace = watchNamespace;
    this.coalesce = coalesce;
  }

  @Override
  public synchronized void start(Consumer<ClusterState> listener) {
    if (this.listener != null) {
      throw new IllegalStateException("already started");
    }
    this.listener = Objects.requireNonNull(listener);
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lambdagate-state");
              t.setDaemon(true);
              return t;
            });
    clusterFactory = client.informers();
    namespacedFactory =
        watchNamespace == null
            ? client.informers()
            : client.informers().inNamespace(watchNamespace);
    gatewayClasses = register(clusterFactory, GatewayClass.class);
    gateways = register(namespacedFactory, Gateway.class);
    httpRoutes = register(namespacedFactory, HTTPRoute.class);
    referenceGrants = register(namespacedFactory, ReferenceGrant.class);
    backends = register(namespacedFactory, Backend.class);
    gatewayParameters = register(namespacedFactory, GatewayParameters.class);
    secrets = register(namespacedFactory, Secret.class);
    serviceAccounts = register(namespacedFactory, ServiceAccount.class);
    List<CompletableFuture<Void>> started = new ArrayList<>();
    for (SharedIndexInformer<?> informer :
        List.of(
            gatewayClasses,
            gateways,
            httpRoutes,
            referenceGrants,
            backends,
            gatewayParameters,
            secrets,
            serviceAccounts)) {
      started.add(informer.start().toCompletableFuture());
    }
    CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                LOG.error("informers did not start: {}", e.toString());
                return;
              }
              LOG.info(
                  "initial sync done ({})",
                  watchNamespace == null ? "all namespaces" : "namespace " + watchNamespace);
              synced = true;
              schedule();
            });
  }

  private <T extends HasMetadata> SharedIndexInformer<T> register(
      SharedInformerFactory factory, Class<T> type) {
    SharedIndexInformer<T> informer = factory.sharedIndexInformerFor(type, 0);
    Listing listing = new Listing();
    listings.put(informer, listing);
    informer.exceptionHandler(
        (isStarted, t) -> {
          if (closed) {
            return false;
          }
          if (warnedKinds.add(type.getSimpleName())) {
            // Typically the CRD is not installed yet; keep retrying and say so once.
            LOG.warn(
                "cannot list/watch {} (is its CRD installed?), retrying: {}",
                type.getSimpleName(),
                t.toString());
          }
          return true;
        });
    informer.addEventHandler(
        new ResourceEventHandler<T>() {
          @Override
          public void onAdd(T obj) {
            listing.changed(obj);
            changed("added", obj);
          }

          @Override
          public void onUpdate(T oldObj, T newObj) {
            if (Objects.equals(
                oldObj.getMetadata().getResourceVersion(),
                newObj.getMetadata().getResourceVersion())) {
              return; // resync, nothing changed
            }
            listing.changed(newObj);
            changed("updated", newObj);
          }

          @Override
          public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            listing.changed(obj);
            changed("deleted", obj);
          }
        });
    return informer;
  }

  private void changed(String what, HasMetadata obj) {
    if (LOG.isDebugEnabled()) {
      // Kind and name only: never the content (Secrets).
      LOG.debug(
          "{} {} {}/{}",
          what,
          obj.getKind(),
          obj.getMetadata().getNamespace(),
          obj.getMetadata().getName());
    }
    schedule();
  }

  /**
   * Delivers the current state again after the coalescing delay (for example when a web identity
   * token was renewed and translation must run again). Does nothing before the initial sync.
   */
  public void redeliver() {
    schedule();
  }

  private void schedule() {
    if (!synced || closed) {
      return;
    }
    if (pending.compareAndSet(false, true)) {
      executor.schedule(this::deliver, coalesce.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void deliver() {
    pending.set(false);
    if (closed) {
      return;
    }
    ClusterState state = snapshot();
    latest = state;
    try {
      listener.accept(state);
    } catch (RuntimeException e) {
      LOG.error("state listener failed", e);
    }
  }

  /** The state from the informer caches now; empty before {@link #start}. */
  public ClusterState snapshot() {
    if (gateways == null) {
      return ClusterState.empty();
    }
    return new ClusterState(
        list(gatewayClasses),
        list(gateways),
        list(httpRoutes),
        list(backends),
        list(gatewayParameters),
        list(secrets),
        list(serviceAccounts),
        list(referenceGrants));
  }

  /** The last state delivered, or {@code null} before the first delivery. */
  public ClusterState latest() {
    return latest;
  }

  /**
   * The cached object of one of the watched kinds, or empty when not cached (not watched, not
   * synced, or absent). Callers must not mutate it.
   */
  public <T extends HasMetadata> Optional<T> cached(Class<T> type, String namespace, String name) {
    SharedIndexInformer<?> informer = informerFor(type);
    if (informer == null || !synced) {
      return Optional.empty();
    }
    Object o = informer.getStore().getByKey(namespace == null ? name : namespace + "/" + name);
    return type.isInstance(o) ? Optional.of(type.cast(o)) : Optional.empty();
  }

  private SharedIndexInformer<?> informerFor(Class<?> type) {
    if (type == GatewayClass.class) {
      return gatewayClasses;
    } else if (type == Gateway.class) {
      return gateways;
    } else if (type == HTTPRoute.class) {
      return httpRoutes;
    } else if (type == ReferenceGrant.class) {
      return referenceGrants;
    } else if (type == Backend.class) {
      return backends;
    } else if (type == GatewayParameters.class) {
      return gatewayParameters;
    } else if (type == ServiceAccount.class) {
      return serviceAccounts;
    }
    return null; // Secrets are not handed out here
  }

  /**
   * The informer's objects sorted by namespace and name: the last list with the objects that
   * changed since looked up again (each key is taken off the changed set before its object is read
   * from the store, so an event during it is not lost), or listed afresh when stale; the last list
   * itself when nothing changed.
   */
  @SuppressWarnings("unchecked")
  private <T extends HasMetadata> List<T> list(SharedIndexInformer<T> informer) {
    Listing listing = listings.get(informer);
    synchronized (listing) {
      if (listing.stale.getAndSet(false)) {
        listing.changed.clear();
        List<T> items = new ArrayList<>(informer.getStore().list());
        items.sort(ClusterState.BY_NAMESPACE_AND_NAME);
        listing.items = List.copyOf(items);
      } else if (!listing.changed.isEmpty()) {
        List<T> items = new ArrayList<>((List<T>) listing.items);
        for (java.util.Iterator<String> it = listing.changed.iterator(); it.hasNext(); ) {
          String key = it.next();
          it.remove();
          T now = informer.getStore().getByKey(key);
          int slash = key.indexOf('/');
          int at =
              position(items, slash < 0 ? "" : key.substring(0, slash), key.substring(slash + 1));
          if (now == null) {
            if (at >= 0) {
              items.remove(at);
            }
          } else if (at >= 0) {
            items.set(at, now);
          } else {
            items.add(-at - 1, now);
          }
        }
        listing.items = List.copyOf(items);
      }
      return (List<T>) listing.items;
    }
  }

  /**
   * Where the object {@code namespace/name} is in {@code sorted} ({@link
   * ClusterState#BY_NAMESPACE_AND_NAME}), or {@code -(insertion point) - 1}, as {@link
   * java.util.Collections#binarySearch} answers.
   */
  private static int position(List<? extends HasMetadata> sorted, String namespace, String name) {
    return SortedSearch.indexOf(
        sorted,
        o -> {
          int c = Objects.toString(o.getMetadata().getNamespace(), "").compareTo(namespace);
          return c != 0 ? c : o.getMetadata().getName().compareTo(name);
        });
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (clusterFactory != null) {
      clusterFactory.stopAllRegisteredInformers();
      namespacedFactory.stopAllRegisteredInformers();
    }
    if (executor != null) {
      executor.shutdownNow();
      try {
        // Let a delivery in flight (which may be writing status) end, so that no request is
        // cut off half-way when the client closes next.
        executor.awaitTermination(2, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
