package dev.lambdagate.controlplane.xds;

import dev.lambdagate.controlplane.tls.XdsServerTls;
import dev.lambdagate.controlplane.translate.EnvoyResources;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.server.DefaultExecutorGroup;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The ADS server: one snapshot per Gateway node group in java-control-plane's {@link SimpleCache},
 * behind a {@link NackHoldingWatcher}, over state-of-the-world and incremental (delta) ADS (whose
 * ACKs and NACKs {@link DeltaAckTracker} reports), served only over mutual TLS to clients holding a
 * Gateway's certificate ({@link GatewayAuthInterceptor}: a client gets and can NACK only its own
 * Gateway's configuration). Publishing resources whose version equals the current one does nothing,
 * so an unchanged configuration is never pushed; resources that did not change are not hashed again
 * ({@link IncrementalSnapshots}).
 */
public final class XdsServer implements AutoCloseable {
  /** Level of the line each publish logs. Guarded by this. */
  private Level publishLogLevel = Level.INFO;

  private static final Logger LOG = LoggerFactory.getLogger(XdsServer.class);

  private final SimpleCache<String> cache;
  private final V3DiscoveryServer discovery;
  private final Map<String, String> versions = new ConcurrentHashMap<>();
  private final Map<String, EnvoyResources> current = new ConcurrentHashMap<>();
  private final IncrementalSnapshots snapshots = new IncrementalSnapshots();
  private Server server;
  private ScheduledExecutorService renewal;

  public XdsServer(NackListener nacks) {
    GatewayNodeGroup groups = new GatewayNodeGroup();
    this.cache = new SimpleCache<>(groups);
    this.discovery =
        new V3DiscoveryServer(
            List.of(new DeltaAckTracker(groups, nacks)),
            new NackHoldingWatcher(cache, groups, nacks),
            new DefaultExecutorGroup(),
            new ReusingResourceSerializer());
  }

  /** Thrown when the port is taken. */
  public static final class PortInUseException extends IOException {
    PortInUseException(int port, Throwable cause) {
      super("port " + port + " is already in use", cause);
    }
  }

  private List<BindableService> services() {
    return List.of(
        discovery.getAggregatedDiscoveryServiceImpl(),
        discovery.getListenerDiscoveryServiceImpl(),
        discovery.getRouteDiscoveryServiceImpl(),
        discovery.getClusterDiscoveryServiceImpl(),
        discovery.getEndpointDiscoveryServiceImpl(),
        discovery.getSecretDiscoveryServiceImpl());
  }

  /**
   * Starts serving on {@code address} over TLS with client certificates required ({@code tls});
   * every call goes through {@link GatewayAuthInterceptor}. There is no plaintext or
   * unauthenticated mode. The server certificate is checked for renewal hourly.
   */
  public XdsServer start(InetSocketAddress address, XdsServerTls tls) throws IOException {
    NettyServerBuilder b =
        NettyServerBuilder.forAddress(address, tls.credentials())
            .keepAliveTime(30, TimeUnit.SECONDS)
            .permitKeepAliveTime(10, TimeUnit.SECONDS);
    try {
      start(b);
    } catch (PortInUseException e) {
      throw new PortInUseException(address.getPort(), e.getCause());
    }
    renewal =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "xds-server-certificate");
              t.setDaemon(true);
              return t;
            });
    renewal.scheduleWithFixedDelay(
        () -> {
          try {
            tls.renewIfDue();
          } catch (RuntimeException e) {
            LOG.error("renewing the xDS server certificate failed", e);
          }
        },
        1,
        1,
        TimeUnit.HOURS);
    LOG.info(
        "ADS listening on {}:{} (mutual TLS, client certificates of Gateways only)",
        address.getAddress().getHostAddress(),
        server.getPort());
    return this;
  }

  private void start(ServerBuilder<?> builder) throws IOException {
    GatewayAuthInterceptor auth = new GatewayAuthInterceptor();
    DeltaReconnectRemovals removals = new DeltaReconnectRemovals();
    for (BindableService s : services()) {
      // The last interceptor runs first: authentication before anything reads a message.
      builder.addService(ServerInterceptors.intercept(s, removals, auth));
    }
    try {
      server = builder.build().start();
    } catch (IOException e) {
      for (Throwable c = e; c != null; c = c.getCause()) {
        String m = String.valueOf(c.getMessage());
        if (c instanceof BindException
            || m.contains("already in use")
            || m.startsWith("Failed to bind")) {
          throw new PortInUseException(-1, e);
        }
      }
      throw e;
    }
  }

  public int port() {
    return server.getPort();
  }

  /**
   * Makes {@code resources} the configuration of {@code group}. Returns false (nothing pushed) when
   * the version is the current one.
   */
  /**
   * Logs each publish at debug rather than info: for a server that serves nobody (the cold-start
   * warm-up's), whose publishes an operator must not mistake for a Gateway's.
   */
  public synchronized void logPublishesAtDebug() {
    publishLogLevel = Level.DEBUG;
  }

  public synchronized boolean publish(String group, EnvoyResources resources) {
    String old = versions.put(group, resources.version());
    if (resources.version().equals(old)) {
      return false;
    }
    current.put(group, resources);
    cache.setSnapshot(group, snapshots.snapshot(group, resources));
    LOG.atLevel(publishLogLevel)
        .log(
            "gateway {}: serving version {} ({} listeners, {} route configurations, {} clusters)",
            group,
            resources.version(),
            resources.listeners().size(),
            resources.routes().size(),
            resources.clusters().size());
    return true;
  }

  /** The version served to {@code group}, or null. */
  public String version(String group) {
    return versions.get(group);
  }

  /** The version of one resource type served to {@code group}, or null. */
  public String version(String group, String typeUrl) {
    EnvoyResources r = current.get(group);
    if (r == null) {
      return null;
    }
    return switch (typeUrl) {
      case io.envoyproxy.controlplane.cache.Resources.V3.LISTENER_TYPE_URL -> r.listenersVersion();
      case io.envoyproxy.controlplane.cache.Resources.V3.ROUTE_TYPE_URL -> r.routesVersion();
      case io.envoyproxy.controlplane.cache.Resources.V3.CLUSTER_TYPE_URL,
          io.envoyproxy.controlplane.cache.Resources.V3.ENDPOINT_TYPE_URL ->
          r.clustersVersion();
      default -> r.version();
    };
  }

  public SimpleCache<String> cache() {
    return cache;
  }

  @Override
  public void close() {
    if (renewal != null) {
      renewal.shutdownNow();
    }
    if (server != null) {
      server.shutdown();
      try {
        if (!server.awaitTermination(3, TimeUnit.SECONDS)) {
          server.shutdownNow();
        }
      } catch (InterruptedException e) {
        server.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }
}
