package dev.lambdagate.harness.dataplane;

import dev.lambdagate.harness.host.HostClock;
import dev.lambdagate.harness.host.HostMetrics;
import dev.lambdagate.harness.host.HttpCallTransport;
import dev.lambdagate.harness.host.HttpMessage;
import dev.lambdagate.harness.host.WasmFilter;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedded data plane: what Envoy would be, for the subset of xDS lambdagate's control plane
 * emits, when no Envoy can run. An {@link AdsClient} (delta or state of the world, as {@link
 * DataPlaneOptions#adsApiType()} says) feeds it CDS, LDS and RDS; each listener is an HTTP/1.1
 * server running {@code lambdagate.wasm} in proxy-wasm-java-host.
 *
 * <pre>{@code
 * try (EmbeddedDataPlane plane = EmbeddedDataPlane.start(DataPlaneOptions.of(
 *         "127.0.0.1", 18000, XdsClientCredentials.inDirectory(gatewayDir), "gateway-1",
 *         "default/http", Path.of("lambdagate.wasm")))) {
 *   plane.awaitReady(Duration.ofSeconds(30));
 *   ... requests to the listeners' ports ...
 * }
 * }</pre>
 *
 * <p>Thread-safety: configuration is applied on the ADS client's thread under this object's lock;
 * requests read immutable snapshots through volatile fields and never take that lock.
 */
public final class EmbeddedDataPlane implements AutoCloseable {
  private final DataPlaneOptions options;
  private final WasmFilter filter;
  private final String wasmSha256;
  private final UpstreamClient upstream = new UpstreamClient();
  private final AdsClient ads;
  private final Map<String, ListenerServer> listeners = new LinkedHashMap<>();
  private volatile Map<String, ClusterConfig> clusters = Map.of();
  private volatile Map<String, RouteTable> routeTables = Map.of();
  private volatile Map<String, ListenerConfig> listenerConfigs = Map.of();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong latencyNanos = new AtomicLong();
  private final AtomicLong filtered = new AtomicLong();
  private final AtomicLong filterNanos = new AtomicLong();
  private final AtomicLong upstreamNanos = new AtomicLong();
  private final AtomicLong vmReloads = new AtomicLong();

  /** The plugin's metrics, from every VM of every listener: one stat per name, as in Envoy. */
  private final HostMetrics metrics = new HostMetrics();

  private boolean closed;

  /** The clock VMs read; tests replace it to make a VM fail mid-stream (see useVmClock). */
  private volatile HostClock vmClock = HostClock.SYSTEM;

  private EmbeddedDataPlane(DataPlaneOptions options) throws IOException {
    this.options = options;
    this.filter = WasmFilter.load(options.wasm());
    this.wasmSha256 = sha256(Files.readAllBytes(options.wasm()));
    this.ads = AdsClient.create(options, this);
  }

  /** Loads the module and connects to the control plane (in the background). */
  public static EmbeddedDataPlane start(DataPlaneOptions options) throws IOException {
    EmbeddedDataPlane plane = new EmbeddedDataPlane(options);
    plane.log("loaded " + options.wasm() + " (sha256 " + plane.wasmSha256 + ")");
    try {
      plane.ads.start();
    } catch (IOException | RuntimeException e) {
      plane.close();
      throw e;
    }
    return plane;
  }

  /** Waits until a listener serves with all its routes; false on timeout. */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (isReady()) {
        return true;
      }
      Thread.sleep(20);
    }
    return isReady();
  }

  /** At least one listener, and every RDS name the listeners use received. */
  public boolean isReady() {
    Map<String, ListenerConfig> ls = listenerConfigs;
    if (ls.isEmpty()) {
      return false;
    }
    for (ListenerConfig l : ls.values()) {
      if (l.usesRds() && !routeTables.containsKey(l.rdsName())) {
        return false;
      }
    }
    return true;
  }

  /** The bound port of a listener (by LDS name), or -1. */
  public synchronized int listenerPort(String name) {
    ListenerServer s = listeners.get(name);
    return s == null ? -1 : s.port();
  }

  /** Pages of linear memory of each VM of a listener (see {@link VmPool#memoryPages}). */
  int[] vmMemoryPages(String listener) {
    ListenerServer server = listenerServer(listener);
    VmPool pool = server == null ? null : server.active().vms();
    return pool == null ? new int[0] : pool.memoryPages();
  }

  /** The server of a listener (by LDS name), or null; for tests in this package. */
  synchronized ListenerServer listenerServer(String name) {
    return listeners.get(name);
  }

  /** Names of the listeners being served. */
  public synchronized Set<String> listenerNames() {
    return new LinkedHashSet<>(listeners.keySet());
  }

  /** The last accepted version per type URL (empty before the first ACK). */
  public Map<String, String> acceptedVersions() {
    return ads.acceptedVersions();
  }

  /** The last NACK's error_detail per type URL (absent when the last response was ACKed). */
  public Map<String, String> lastRejections() {
    return ads.lastRejections();
  }

  /** The ADS protocol spoken (the bootstrap's {@code ads_config.api_type}). */
  public AdsApiType adsApiType() {
    return options.adsApiType();
  }

  /** Whether the ADS stream is currently open. */
  public boolean connected() {
    return ads.connected();
  }

  /** Requests served and their mean latency in microseconds (for measurements). */
  public String latencySummary() {
    long n = requests.get();
    long f = filtered.get();
    return n
        + " requests, mean "
        + (n == 0 ? 0 : latencyNanos.get() / n / 1000)
        + " us"
        + (f == 0
            ? ""
            : "; of which Wasm filter "
                + filterNanos.get() / f / 1000
                + " us, upstream "
                + upstreamNanos.get() / f / 1000
                + " us (mean over "
                + f
                + " filtered requests)");
  }

  /**
   * The filter's metrics as Envoy's admin {@code /stats} prints them (served on the data plane's
   * admin {@code /stats}): one {@code wasmcustom.<name>: <value>} line per metric, sorted; a
   * histogram as {@code count=N sum=S min=A max=B} (Envoy prints quantiles instead). Every VM's
   * updates of a name add up, as Envoy's stats do across worker threads; they outlive VM reloads
   * and configuration changes.
   */
  public String stats() {
    return metrics.envoyText();
  }

  /** The filter's metrics, for tests and tools (see {@link #stats}). */
  public HostMetrics metrics() {
    return metrics;
  }

  /** A one-line-per-resource view of what is being served (the admin /config_dump). */
  public synchronized String describe() {
    StringBuilder b = new StringBuilder();
    b.append("ads: ").append(options.adsApiType()).append('\n');
    b.append("versions: ").append(new TreeMap<>(acceptedVersions())).append('\n');
    for (ListenerServer s : listeners.values()) {
      ListenerConfig c = s.active().config();
      b.append("listener ")
          .append(c.name())
          .append(" port ")
          .append(s.port())
          .append(c.usesRds() ? " rds " + c.rdsName() : " inline routes")
          .append(c.wasm() == null ? " (no wasm)" : " wasm")
          .append(c.secure() ? " tls chains " + c.tls().chains().size() : "")
          .append('\n');
    }
    for (RouteTable t : routeTables.values()) {
      b.append("route_config ").append(t.name()).append(": ");
      List<String> names = new ArrayList<>();
      for (RouteTable.VirtualHost vh : t.virtualHosts()) {
        for (RouteTable.Route r : vh.routes()) {
          names.add(r.name());
        }
      }
      b.append(names).append('\n');
    }
    for (ClusterConfig c : clusters.values()) {
      b.append("cluster ")
          .append(c.name())
          .append(' ')
          .append(c.endpoints())
          .append(c.tls() ? " tls sni=" + c.sni() : " plain")
          .append('\n');
    }
    return b.toString();
  }

  /**
   * The clock of the VMs started from now on. A test hook: a clock that throws a Chicory {@code
   * TrapException} makes the filter trap inside a host call, exactly as a Wasm trap would, so a
   * test can fail a VM mid-stream.
   */
  void useVmClock(HostClock clock) {
    vmClock = clock;
  }

  /** Failed VMs replaced (FAIL_RELOAD) since the start, over all listeners. */
  long vmReloads() {
    return vmReloads.get();
  }

  // ------------------------------------------------------------- applied by the AdsClient

  synchronized void applyClusters(Map<String, ClusterConfig> next) {
    clusters = Map.copyOf(next);
  }

  synchronized void applyRoutes(Map<String, RouteTable> next) {
    routeTables = Map.copyOf(next);
  }

  /** The RDS names the current listeners reference. */
  synchronized Set<String> routeNamesInUse() {
    Set<String> names = new java.util.TreeSet<>();
    for (ListenerConfig l : listenerConfigs.values()) {
      if (l.usesRds()) {
        names.add(l.rdsName());
      }
    }
    return names;
  }

  /**
   * Applies a full LDS state: starts the VMs and binds the ports of new or changed listeners first;
   * only when all of that worked are the listeners swapped (else everything new is undone and the
   * update rejected, the old listeners untouched).
   */
  synchronized void applyListeners(Map<String, ListenerConfig> next) throws XdsRejectedException {
    if (closed) {
      return;
    }
    Map<String, VmPool> newPools = new HashMap<>();
    Map<String, ListenerServer> newServers = new HashMap<>();
    try {
      for (ListenerConfig c : next.values()) {
        ListenerServer existing = listeners.get(c.name());
        WasmPluginConfig wasm = c.wasm();
        VmPool pool = null;
        if (wasm != null) {
          if (!wasm.codeSha256().isEmpty() && !wasm.codeSha256().equals(wasmSha256)) {
            throw new XdsRejectedException(
                "listener '"
                    + c.name()
                    + "': Wasm code "
                    + wasm.codeSource()
                    + " has sha256 "
                    + wasm.codeSha256()
                    + " but the local "
                    + "module "
                    + options.wasm()
                    + " has "
                    + wasmSha256);
          }
          VmPool old = existing == null ? null : existing.active().vms();
          if (old != null && old.config().equals(wasm)) {
            pool = old;
          } else {
            pool =
                VmPool.start(
                    filter,
                    wasm,
                    options.vmsPerListener(),
                    callouts(),
                    vmClock,
                    options.log(),
                    vmReloads::incrementAndGet,
                    metrics);
            newPools.put(c.name(), pool);
          }
        }
        if (existing == null
            || existing.active().config().port() != c.port()
            || !existing.active().config().bindAddress().equals(c.bindAddress())) {
          String bind = options.bindOverride() != null ? options.bindOverride() : c.bindAddress();
          try {
            newServers.put(
                c.name(), ListenerServer.start(this, bind, new ListenerServer.Active(c, pool)));
          } catch (BindException e) {
            throw new XdsRejectedException(
                "listener '"
                    + c.name()
                    + "': cannot bind "
                    + bind
                    + ":"
                    + c.port()
                    + ": "
                    + e.getMessage(),
                e);
          } catch (IOException e) {
            throw new XdsRejectedException(
                "listener '" + c.name() + "': cannot listen on " + bind + ":" + c.port() + ": " + e,
                e);
          }
        }
      }
    } catch (XdsRejectedException | RuntimeException e) {
      newServers.values().forEach(ListenerServer::stop);
      newPools.values().forEach(VmPool::retire);
      throw e;
    }
    // commit
    List<VmPool> retired = new ArrayList<>();
    for (Map.Entry<String, ListenerServer> e : new ArrayList<>(listeners.entrySet())) {
      ListenerConfig c = next.get(e.getKey());
      ListenerServer s = e.getValue();
      if (c == null || newServers.containsKey(e.getKey())) {
        s.stop();
        listeners.remove(e.getKey());
        VmPool old = s.active().vms();
        if (old != null && (c == null || newPools.containsKey(c.name()))) {
          retired.add(old);
        }
        log("listener " + e.getKey() + " on port " + s.port() + " removed");
      }
    }
    for (ListenerConfig c : next.values()) {
      ListenerServer created = newServers.get(c.name());
      if (created != null) {
        listeners.put(c.name(), created);
        log(
            "listener "
                + c.name()
                + " serving on port "
                + created.port()
                + (c.usesRds() ? " (routes from RDS '" + c.rdsName() + "')" : " (inline routes)"));
      } else {
        ListenerServer s = listeners.get(c.name());
        VmPool old = s.active().vms();
        VmPool pool = newPools.containsKey(c.name()) ? newPools.get(c.name()) : old;
        s.swap(new ListenerServer.Active(c, pool));
        if (old != null && old != pool) {
          retired.add(old);
        }
      }
    }
    retired.forEach(VmPool::retire);
    listenerConfigs = Map.copyOf(next);
  }

  // --------------------------------------------------------------------- used by requests

  ClusterConfig cluster(String name) {
    return clusters.get(name);
  }

  RouteTable routeTable(String name) {
    return routeTables.get(name);
  }

  UpstreamClient upstream() {
    return upstream;
  }

  void recordPhases(long filterTime, long upstreamTime) {
    filtered.incrementAndGet();
    filterNanos.addAndGet(filterTime);
    upstreamNanos.addAndGet(upstreamTime);
  }

  void recordLatency(long nanos) {
    requests.incrementAndGet();
    latencyNanos.addAndGet(nanos);
  }

  void log(String line) {
    options.log().accept(line);
  }

  /** The filter's call-outs ({@code proxy_http_call}) go to CDS clusters, as in Envoy. */
  private HttpCallTransport callouts() {
    return (clusterName, headers, body, timeoutMillis) -> {
      ClusterConfig c = clusters.get(clusterName);
      if (c == null) {
        throw new IllegalArgumentException("no cluster '" + clusterName + "'");
      }
      ClusterConfig.Endpoint endpoint = upstream.pick(c);
      if (endpoint == null) {
        throw new IOException("cluster '" + clusterName + "' has no endpoints");
      }
      List<String[]> lower = new ArrayList<>();
      for (String[] h : headers) {
        lower.add(new String[] {h[0].toLowerCase(java.util.Locale.ROOT), h[1]});
      }
      HttpMessage response =
          upstream.send(c, endpoint, lower, body, Duration.ofMillis(Math.max(1, timeoutMillis)));
      return response;
    };
  }

  /** Stops the ADS client and every listener. Idempotent. */
  @Override
  public void close() {
    ads.close();
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      for (ListenerServer s : listeners.values()) {
        s.stop();
        if (s.active().vms() != null) {
          s.active().vms().retire();
        }
      }
      listeners.clear();
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
