package dev.lambdagate.controlplane.kube;

import dev.lambdagate.controlplane.model.GatewayOwnership;
import dev.lambdagate.controlplane.provision.GatewayProvisioner;
import dev.lambdagate.controlplane.provision.TokenRequestTokenSource;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.state.StateSource;
import dev.lambdagate.controlplane.state.WebIdentityTokenSource;
import dev.lambdagate.controlplane.status.DesiredStatus;
import dev.lambdagate.controlplane.status.StatusSink;
import dev.lambdagate.controlplane.tls.CertificateAuthority;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes mode of the control plane, wired: informers ({@link #stateSource()}), status
 * subresource writes ({@link #statusSink()}), proxy provisioning, IRSA tokens ({@link
 * #tokenSource()}), leader election on a {@code Lease} in the control plane's namespace, and the
 * xDS CA ({@link #xdsCa()}, Secret {@value XdsCaSecret#NAME}) that the ADS server trusts and the
 * provisioner issues the proxies' client certificates with.
 *
 * <p>Every replica watches, translates and serves xDS; only the leader writes status and
 * provisions. Status published while not leading is remembered and written when leadership is
 * gained. Leader work runs on one thread of its own, latest input wins, so neither the state thread
 * nor the translation thread waits on API writes.
 *
 * <p>Use: {@code KubeMode k = KubeMode.create(client, options); k.start();
 * k.stateSource().start(state -> { ...translate, push xDS, k.statusSink().publish(status) });} and
 * translate with {@code k.tokenSource()}; {@code k.close()} on shutdown. When a token is renewed
 * the last state is delivered again so that translation pushes the new token.
 */
public final class KubeMode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubeMode.class);

  private final KubernetesClient client;
  private final KubeModeOptions options;
  private final KubeStateSource source;
  private final KubeStatusWriter writer;
  private final GatewayProvisioner provisioner;
  private final TokenRequestTokenSource tokens;
  private final ExecutorService leaderWork;
  private final AtomicBoolean provisionPending = new AtomicBoolean();
  private final AtomicBoolean statusPending = new AtomicBoolean();
  private final StateSource stateSource = new WrappedSource();
  private final StatusSink statusSink = this::publishStatus;
  private volatile boolean leader;
  private volatile boolean closed;
  private volatile String currentLeader;
  private volatile ClusterState latestState;
  private volatile DesiredStatus latestStatus;
  private volatile CompletableFuture<?> election;

  private final CertificateAuthority xdsCa;
  private final ScheduledExecutorService certificateCheck;

  private KubeMode(KubernetesClient client, KubeModeOptions options, CertificateAuthority ca) {
    this.client = client;
    this.options = options;
    this.xdsCa = ca;
    this.source = new KubeStateSource(client, options.watchNamespace(), options.coalesce());
    this.writer = new KubeStatusWriter(client, this::cached, java.time.Clock.systemUTC());
    this.provisioner = new GatewayProvisioner(client, options, ca);
    this.tokens = new TokenRequestTokenSource(client, Duration.ofHours(1), source::redeliver);
    this.leaderWork =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "lambdagate-leader");
              t.setDaemon(true);
              return t;
            });
    this.certificateCheck =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lambdagate-xds-certificates");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Wires the Kubernetes mode. Reads (or, on the first replica, creates) the xDS CA in the Secret
   * {@value XdsCaSecret#NAME} of the control plane's namespace; nothing else talks to the API
   * server before {@link #start()}.
   */
  public static KubeMode create(KubernetesClient client, KubeModeOptions options) {
    Objects.requireNonNull(client);
    Objects.requireNonNull(options);
    return new KubeMode(
        client,
        options,
        XdsCaSecret.loadOrCreate(client, options.namespace(), java.time.Clock.systemUTC()));
  }

  /** The xDS CA shared by all replicas: the ADS server's trust root and issuer. */
  public CertificateAuthority xdsCa() {
    return xdsCa;
  }

  /** Informer-backed source: deliveries also drive provisioning (leader) and IRSA tokens. */
  public StateSource stateSource() {
    return stateSource;
  }

  /** Writes status to the API server while this replica leads; otherwise only remembers it. */
  public StatusSink statusSink() {
    return statusSink;
  }

  /** Web identity tokens of the provisioned proxies' ServiceAccounts (TokenRequest API). */
  public WebIdentityTokenSource tokenSource() {
    return tokens;
  }

  /** Whether this replica holds the Lease now. */
  public boolean isLeader() {
    return leader;
  }

  /** The identity of the current leader as last seen, or {@code null}. */
  public String currentLeader() {
    return currentLeader;
  }

  public KubeModeOptions options() {
    return options;
  }

  /** The status writer (its counters), for tests and metrics. */
  public KubeStatusWriter statusWriter() {
    return writer;
  }

  /** The provisioner (its counters), for tests and metrics. */
  public GatewayProvisioner provisioner() {
    return provisioner;
  }

  /** Joins the leader election. Call once; the state source is started separately. */
  public synchronized void start() {
    if (election != null) {
      throw new IllegalStateException("already started");
    }
    campaign();
    // Gateway client certificates are re-issued by provisioning when due: look hourly even
    // when nothing in the cluster changes.
    certificateCheck.scheduleWithFixedDelay(
        this::scheduleProvision, 1, 1, java.util.concurrent.TimeUnit.HOURS);
  }

  private synchronized void campaign() {
    if (closed) {
      return;
    }
    var config =
        new LeaderElectionConfigBuilder()
            .withName(options.leaseName())
            .withLock(new LeaseLock(options.namespace(), options.leaseName(), options.identity()))
            .withLeaseDuration(options.leaseDuration())
            .withRenewDeadline(options.renewDeadline())
            .withRetryPeriod(options.retryPeriod())
            .withReleaseOnCancel(true)
            .withLeaderCallbacks(
                new LeaderCallbacks(
                    this::startedLeading, this::stoppedLeading, id -> currentLeader = id))
            .build();
    CompletableFuture<?> f = client.leaderElector().withConfig(config).build().start();
    election = f;
    // fabric8's elector ends when leadership is lost: stand again unless closing.
    f.whenComplete(
        (v, e) -> {
          if (!closed) {
            LOG.info(
                "leader election round ended ({}), standing again",
                e == null ? "leadership lost" : e.toString());
            CompletableFuture.runAsync(
                this::campaign,
                CompletableFuture.delayedExecutor(
                    options.retryPeriod().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
          }
        });
  }

  private void startedLeading() {
    LOG.info("{} is the leader: writing status and provisioning", options.identity());
    leader = true;
    scheduleProvision();
    scheduleStatus();
  }

  private void stoppedLeading() {
    if (leader) {
      LOG.info("{} stopped leading", options.identity());
    }
    leader = false;
  }

  private void onState(ClusterState state) {
    latestState = state;
    // Tokens only for the accounts lambdagate created for its own Gateways' proxies.
    tokens.track(GatewayOwnership.proxyServiceAccounts(state, options.gatewayClassNames()));
    scheduleProvision();
  }

  private void scheduleProvision() {
    if (!options.provision() || !leader || closed || latestState == null) {
      return;
    }
    if (provisionPending.compareAndSet(false, true)) {
      leaderWork.execute(
          () -> {
            provisionPending.set(false);
            ClusterState state = latestState;
            if (leader && !closed) {
              try {
                provisioner.reconcile(state);
              } catch (RuntimeException e) {
                LOG.error("provisioning failed", e);
              }
            }
          });
    }
  }

  private void publishStatus(DesiredStatus status) {
    latestStatus = status;
    scheduleStatus();
  }

  private void scheduleStatus() {
    if (!leader || closed || latestStatus == null) {
      return;
    }
    if (statusPending.compareAndSet(false, true)) {
      leaderWork.execute(
          () -> {
            statusPending.set(false);
            DesiredStatus status = latestStatus;
            if (leader && !closed) {
              try {
                writer.publish(status);
              } catch (RuntimeException e) {
                LOG.error("writing status failed", e);
              }
            }
          });
    }
  }

  /** The informer's copy of an object (status comparison), or the server's when not cached. */
  private <T extends HasMetadata> T cached(Class<T> type, String namespace, String name) {
    return source
        .cached(type, namespace, name)
        .orElseGet(() -> client.resources(type).inNamespace(namespace).withName(name).get());
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    // Leader work ends before the Lease is released: a status or provisioning write still in
    // flight after the release could land after, and over, the next leader's.
    certificateCheck.shutdownNow();
    leaderWork.shutdownNow();
    try {
      leaderWork.awaitTermination(2, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    source.close();
    tokens.close();
    CompletableFuture<?> f = election;
    if (f != null) {
      f.cancel(true); // releases the Lease (releaseOnCancel)
    }
    leader = false;
  }

  private final class WrappedSource implements StateSource {
    @Override
    public void start(Consumer<ClusterState> listener) {
      Objects.requireNonNull(listener);
      source.start(
          state -> {
            onState(state);
            listener.accept(state);
          });
    }

    @Override
    public void close() {
      source.close();
    }
  }
}
