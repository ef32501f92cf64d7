package dev.lambdagate.controlplane.bench;

import com.google.protobuf.Message;
import dev.lambdagate.controlplane.ColdStartWarmup;
import dev.lambdagate.controlplane.ControlPlane;
import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.crd.BackendSpec;
import dev.lambdagate.controlplane.kube.KubeStateSource;
import dev.lambdagate.controlplane.kube.MockApi;
import dev.lambdagate.controlplane.model.Credentials;
import dev.lambdagate.controlplane.model.GatewayModel;
import dev.lambdagate.controlplane.model.GatewayOwnership;
import dev.lambdagate.controlplane.model.Model;
import dev.lambdagate.controlplane.model.ModelBuilder;
import dev.lambdagate.controlplane.model.ModelOptions;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.tls.XdsTestTls;
import dev.lambdagate.controlplane.translate.EnvoyResources;
import dev.lambdagate.controlplane.translate.EnvoyTranslator;
import dev.lambdagate.controlplane.translate.FilterConfigWriter;
import dev.lambdagate.controlplane.translate.TranslatorOptions;
import dev.lambdagate.controlplane.xds.NackListener;
import dev.lambdagate.controlplane.xds.XdsServer;
import io.envoyproxy.controlplane.cache.Resources;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.grpc.ManagedChannel;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Control-plane benchmark: N HTTPRoutes, each with its own Backend and Secret, attached to one
 * Gateway, created in fabric8's mock API server (CRUD mode) and read through {@link
 * KubeStateSource} (informers) into {@link ControlPlane}, served over ADS (Netty, loopback) to a
 * test ADS client that ACKs like an Envoy.
 *
 * <p>Measures, per size: the cold first translation (first state delivered), the warm full
 * translation (ClusterState → Model → Envoy resources) over repeated runs, the time from one
 * HTTPRoute update through the API to the client's ACK of the new RDS, serialized xDS sizes, and
 * heap held by informers + state + model + snapshot (after GC, minus the heap with only the mock
 * API server populated).
 *
 * <p>Not a test: run it with {@code bench/control-plane.sh} (one JVM per size). The smoke test
 * {@code ControlPlaneBenchSmokeTest} runs the same code with 10 routes in {@code mvn verify}.
 */
public final class ControlPlaneBench {
  static final String NS = "bench";
  static final String GATEWAY = "gw";
  static final String GROUP = NS + "/" + GATEWAY;
  static final String LDS = Resources.V3.LISTENER_TYPE_URL;
  static final String RDS = Resources.V3.ROUTE_TYPE_URL;
  static final String CDS = Resources.V3.CLUSTER_TYPE_URL;

  /** Held so that the level set on it is not lost (java.util.logging keeps loggers weakly). */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  /** What to run. */
  public record Options(
      int routes,
      int warmup,
      int repeats,
      int changes,
      int deltaChanges,
      Duration coalesce,
      long pauseMillis) {}

  /** The changes measured, each made through the API to one object. */
  public enum ChangeKind {
    /** One HTTPRoute's path prefix. */
    ROUTE("route path"),
    /** One Backend's Lambda function name. */
    BACKEND("Backend field"),
    /** One Secret's secret access key (a key rotation). */
    SECRET("Secret rotation");

    final String label;

    ChangeKind(String label) {
      this.label = label;
    }
  }

  /** Summary of a sample, in milliseconds. */
  public record Stats(int n, double min, double median, double p90, double max) {
    static Stats of(List<Double> ms) {
      List<Double> s = new ArrayList<>(ms);
      Collections.sort(s);
      if (s.isEmpty()) {
        return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
      }
      return new Stats(s.size(), s.get(0), pct(s, 50), pct(s, 90), s.get(s.size() - 1));
    }

    private static double pct(List<Double> sorted, int p) {
      int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
      return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "median %.1f ms (min %.1f, p90 %.1f, max %.1f, n=%d)",
          median,
          min,
          p90,
          max,
          n);
    }
  }

  /**
   * The measures of one change kind over one protocol: time statistics (ms) by phase, and the
   * median bytes of resources pushed to the one subscribed client per change, by type (LDS, RDS,
   * CDS).
   */
  public record ChangeResult(Map<String, Stats> times, Map<String, Long> bytes, int unexpected) {}

  /** Everything measured for one size. */
  public record Result(
      int routes,
      double populateSeconds,
      double syncMillis,
      double coldStartMillis,
      ControlPlane.Timings cold,
      Map<String, Stats> warm,
      Map<ChangeKind, ChangeResult> sotw,
      Map<ChangeKind, ChangeResult> delta,
      Map<String, Long> sizes,
      long heapBytes,
      long heapInformersBytes) {

    /** The state-of-the-world route change timings (the measure kept from earlier versions). */
    public Map<String, Stats> change() {
      return sotw.get(ChangeKind.ROUTE).times();
    }

    /** Pushes of another type than RDS seen for a route change. */
    public int unexpectedPushes() {
      return sotw.get(ChangeKind.ROUTE).unexpected();
    }
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  /** What the informers delivered and what the control plane did with it. */
  private static final class Deliveries {
    final BlockingQueue<Long> delivered = new LinkedBlockingQueue<>();
    final BlockingQueue<ControlPlane.Timings> timings = new LinkedBlockingQueue<>();

    void clear() {
      delivered.clear();
      timings.clear();
    }
  }

  public static Result run(Options o, PrintStream out) throws Exception {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    KubernetesClient client = server.createClient();
    KubeStateSource source = null;
    XdsServer xds = null;
    ManagedChannel channel = null;
    BenchAdsClient envoy = null;
    try {
      MockApi.installCrds(client);
      client
          .resource(
              new GatewayClassBuilder()
                  .withNewMetadata()
                  .withName("kgateway")
                  .endMetadata()
                  .withNewSpec()
                  .withControllerName(GatewayOwnership.CONTROLLER_NAME)
                  .endSpec()
                  .build())
          .create();
      client
          .resource(
              new GatewayBuilder()
                  .withNewMetadata()
                  .withName(GATEWAY)
                  .withNamespace(NS)
                  .endMetadata()
                  .withNewSpec()
                  .withGatewayClassName("kgateway")
                  .addNewListener()
                  .withName("http")
                  .withPort(8080)
                  .withProtocol("HTTP")
                  .endListener()
                  .endSpec()
                  .build())
          .create();
      long p0 = System.nanoTime();
      populate(client, o.routes());
      double populateSeconds = (System.nanoTime() - p0) / 1e9;
      out.printf(
          Locale.ROOT,
          "[%d] populated %d Secrets + Backends + HTTPRoutes in %.1f s%n",
          o.routes(),
          o.routes(),
          populateSeconds);

      long heap0 = usedHeapAfterGc();

      // The control plane as KubeMode wires it, with a status sink that computes but writes
      // nothing (status writes are not part of this benchmark).
      Map<String, Long> ackedAt = new ConcurrentHashMap<>();
      ControlPlane[] cp = new ControlPlane[1];
      xds =
          new XdsServer(
              new NackListener() {
                @Override
                public void onNack(String group, String typeUrl, String version, String detail) {
                  cp[0].onNack(group, typeUrl, version, detail);
                }

                @Override
                public void onAck(String group, String typeUrl, String version) {
                  ackedAt.putIfAbsent(typeUrl + "|" + version, System.nanoTime());
                  cp[0].onAck(group, typeUrl, version);
                }
              });
      ModelBuilder builder =
          new ModelBuilder(ModelOptions.defaults(), TestSupport.TOKENS, ControlPlaneBench::session);
      EnvoyTranslator translator = TestSupport.translator();
      cp[0] = new ControlPlane(builder, translator, xds, status -> {});
      XdsTestTls tls = XdsTestTls.create();
      xds.start(XdsTestTls.loopback(), tls.server);

      // An Envoy of the Gateway, connected before the control plane has any configuration (as
      // after a restart of both): CDS, LDS, RDS, each ACKed.
      channel =
          XdsTestTls.channelBuilder(xds.port(), tls.ca.issueGatewayClient(GROUP), tls.ca)
              .maxInboundMessageSize(Integer.MAX_VALUE)
              .build();
      envoy = new SotwAdsClient(channel, GROUP);
      envoy.subscribe(ROUTE_NAME);

      Deliveries d = new Deliveries();
      ArrayBlockingQueue<Boolean> firstGate = new ArrayBlockingQueue<>(1);
      java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
      long[] heldNanos = new long[1];
      source = new KubeStateSource(client, null, o.coalesce());
      long s0 = System.nanoTime();
      // As ControlPlaneMain does in Kubernetes mode (-Dbench.coldStartWarmup=false to compare).
      ColdStartWarmup warmup =
          Boolean.parseBoolean(System.getProperty("bench.coldStartWarmup", "true"))
              ? ColdStartWarmup.start(
                  ModelOptions.defaults(),
                  TranslatorOptions.defaults(),
                  ColdStartWarmup.DEFAULT_ROUTES,
                  ColdStartWarmup.DEFAULT_ROUNDS)
              : null;
      source.start(
          state -> {
            long t = System.nanoTime();
            if (warmup != null) {
              warmup.stop(ColdStartWarmup.STOP_WAIT_MILLIS);
            }
            if (firstGate.offer(true)) {
              // Hold the first state until the informers' heap is measured.
              try {
                released.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              heldNanos[0] = System.nanoTime() - t;
            }
            d.delivered.add(t);
            cp[0].onState(state);
            d.timings.add(cp[0].lastTimings());
          });
      firstGate.poll(600, TimeUnit.SECONDS);
      double syncMillis = ms(System.nanoTime() - s0);
      long heapInformers = usedHeapAfterGc() - heap0;
      released.countDown();
      d.delivered.poll(600, TimeUnit.SECONDS);
      ControlPlane.Timings cold = d.timings.poll(600, TimeUnit.SECONDS);
      long firstPush = awaitAll(envoy, List.of(CDS, LDS, RDS), 120);
      double coldStartMillis = ms(firstPush - s0 - heldNanos[0]);
      out.printf(
          Locale.ROOT,
          "[%d] informers synced (+coalesce %d ms) in %.0f ms (cold-start warm-up: %d rounds); cold:"
              + " %s; cold start to first full push (CDS+LDS+RDS received): %.0f ms%n",
          o.routes(),
          o.coalesce().toMillis(),
          syncMillis,
          warmup == null ? 0 : warmup.rounds(),
          fmt(cold),
          coldStartMillis);
      Map<String, Long> sizes = new LinkedHashMap<>();
      for (String type : List.of(CDS, LDS, RDS)) {
        sizes.put(shortType(type) + " response bytes", envoy.resourceBytes(type));
      }
      EnvoyResources res = cp[0].resources().get(GROUP);
      GatewayModel gm = cp[0].model().gateways().get(0);
      sizes.put("listeners", bytes(res.listeners()));
      sizes.put("route configurations", bytes(res.routes()));
      sizes.put("clusters", bytes(res.clusters()));
      sizes.put(
          "listener filter JSON",
          (long)
              FilterConfigWriter.listenerJson()
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8)
                  .length);
      sizes.put("routes", (long) res.routes().get(0).getVirtualHosts(0).getRoutesCount());
      sizes.put("cluster count", (long) res.clusters().size());

      Thread.sleep(200);
      long heap = usedHeapAfterGc() - heap0;
      out.printf(
          Locale.ROOT,
          "[%d] heap held: %.1f MiB (informers only: %.1f MiB)%n",
          o.routes(),
          heap / 1048576.0,
          heapInformers / 1048576.0);

      // Warm full translation: informer caches -> ClusterState -> Model -> Envoy resources.
      Map<String, List<Double>> warm = new LinkedHashMap<>();
      for (String k : List.of("snapshot", "model", "translate", "of which hashing", "total")) {
        warm.put(k, new ArrayList<>());
      }
      for (int i = 0; i < o.warmup() + o.repeats(); i++) {
        long t0 = System.nanoTime();
        ClusterState state = source.snapshot();
        long t1 = System.nanoTime();
        Model model = builder.build(state);
        long t2 = System.nanoTime();
        EnvoyResources r = null;
        // A new translator: nothing to reuse from an earlier translation (a full translation).
        EnvoyTranslator full = TestSupport.translator();
        for (GatewayModel g : model.gateways()) {
          r = full.translate(g);
        }
        long t3 = System.nanoTime();
        EnvoyResources.of(r.listeners(), r.routes(), r.clusters());
        long t4 = System.nanoTime();
        if (i >= o.warmup()) {
          warm.get("snapshot").add(ms(t1 - t0));
          warm.get("model").add(ms(t2 - t1));
          warm.get("translate").add(ms(t3 - t2));
          warm.get("of which hashing").add(ms(t4 - t3));
          warm.get("total").add(ms(t3 - t0));
        }
      }
      Map<String, Stats> warmStats = new LinkedHashMap<>();
      warm.forEach((k, v) -> warmStats.put(k, Stats.of(v)));
      out.printf(Locale.ROOT, "[%d] warm full translation: %s%n", o.routes(), warmStats);

      // Changes through the API, each to one object, seen by a state-of-the-world client.
      int[] serial = {0};
      envoy.clear(); // the initial push
      Map<ChangeKind, ChangeResult> sotw = new LinkedHashMap<>();
      for (ChangeKind kind : ChangeKind.values()) {
        sotw.put(kind, changes(o, kind, o.changes(), serial, client, xds, d, envoy, ackedAt));
        out.printf(
            Locale.ROOT,
            "[%d] state of the world, %s: %s%n",
            o.routes(),
            kind.label,
            sotw.get(kind));
      }

      // The same changes seen by an incremental (delta ADS) client instead.
      envoy.close();
      channel.shutdownNow();
      channel =
          XdsTestTls.channelBuilder(xds.port(), tls.ca.issueGatewayClient(GROUP), tls.ca)
              .maxInboundMessageSize(Integer.MAX_VALUE)
              .build();
      envoy = new DeltaAdsClient(channel, GROUP);
      long dc0 = System.nanoTime();
      envoy.subscribe(ROUTE_NAME);
      long deltaInitial = awaitAll(envoy, List.of(CDS, LDS, RDS), 120);
      out.printf(
          Locale.ROOT,
          "[%d] delta: initial CDS+LDS+RDS in %.0f ms (%,d + %,d + %,d resource bytes)%n",
          o.routes(),
          ms(deltaInitial - dc0),
          envoy.resourceBytes(CDS),
          envoy.resourceBytes(LDS),
          envoy.resourceBytes(RDS));
      Thread.sleep(200);
      envoy.clear(); // the initial push
      Map<ChangeKind, ChangeResult> delta = new LinkedHashMap<>();
      for (ChangeKind kind : ChangeKind.values()) {
        delta.put(kind, changes(o, kind, o.deltaChanges(), serial, client, xds, d, envoy, ackedAt));
        out.printf(Locale.ROOT, "[%d] delta, %s: %s%n", o.routes(), kind.label, delta.get(kind));
      }
      out.printf(Locale.ROOT, "[%d] sizes: %s%n", o.routes(), sizes);
      return new Result(
          o.routes(),
          populateSeconds,
          syncMillis,
          coldStartMillis,
          cold,
          warmStats,
          sotw,
          delta,
          sizes,
          heap,
          heapInformers);
    } finally {
      if (envoy != null) {
        envoy.closing = true;
      }
      if (channel != null) {
        channel.shutdownNow();
      }
      if (source != null) {
        source.close();
      }
      if (xds != null) {
        xds.close();
      }
      client.close();
      server.destroy();
    }
  }

  /** The name of the Gateway's one route configuration (its port). */
  static final String ROUTE_NAME = GROUP + "/8080";

  /** Waits until {@code envoy} has a response of each type; returns when the last came. */
  private static long awaitAll(BenchAdsClient envoy, List<String> types, int seconds)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < end) {
      long last = 0;
      boolean all = true;
      for (String t : types) {
        BenchAdsClient.Received r = null;
        for (BenchAdsClient.Received x : envoy.received) {
          if (x.typeUrl().equals(t)) {
            r = x;
            break;
          }
        }
        if (r == null) {
          all = false;
          break;
        }
        last = Math.max(last, r.at());
      }
      if (all) {
        return last;
      }
      Thread.sleep(1);
    }
    throw new IllegalStateException("no initial " + types + " within " + seconds + " s");
  }

  /**
   * {@code n} changes of {@code kind}, each to another object, each followed by the pushes it
   * causes: which types' versions changed on the server, until {@code envoy} has each of them and
   * the server saw the ACK of each (state of the world: {@code NackHoldingWatcher}; delta: {@code
   * DeltaAckTracker}).
   */
  private static ChangeResult changes(
      Options o,
      ChangeKind kind,
      int n,
      int[] serial,
      KubernetesClient client,
      XdsServer xds,
      Deliveries d,
      BenchAdsClient envoy,
      Map<String, Long> ackedAt)
      throws Exception {
    Map<String, List<Double>> times = new LinkedHashMap<>();
    for (String k :
        List.of(
            "API write",
            "to delivery",
            "processing",
            "delivery to response sent",
            "model",
            "translate",
            "publish",
            "status",
            "to response",
            "to ACK")) {
      times.put(k, new ArrayList<>());
    }
    Map<String, List<Long>> bytes = new LinkedHashMap<>();
    for (String type : List.of(LDS, RDS, CDS)) {
      bytes.put(shortType(type), new ArrayList<>());
    }
    int unexpected = 0;
    for (int c = 0; c < n; c++) {
      Thread.sleep(o.pauseMillis());
      for (BenchAdsClient.Received late : envoy.received) {
        // pushes that came after the previous change's
        unexpected++;
        System.err.printf(
            Locale.ROOT,
            "%s change: unexpected push %s %s%n",
            kind.label,
            shortType(late.typeUrl()),
            late.version());
      }
      d.clear();
      int k = serial[0]++;
      int i = (int) ((k * 7919L) % o.routes());
      Map<String, String> before = versions(xds);
      Runnable write = prepare(client, kind, i, k);
      long t0 = System.nanoTime();
      write.run();
      long tWritten = System.nanoTime();
      Long tDelivered = d.delivered.poll(60, TimeUnit.SECONDS);
      ControlPlane.Timings t = d.timings.poll(60, TimeUnit.SECONDS);
      if (tDelivered == null || t == null) {
        throw new IllegalStateException(kind.label + " change " + c + ": nothing delivered");
      }
      Map<String, String> after = versions(xds);
      List<String> pushed = new ArrayList<>();
      for (String type : List.of(LDS, RDS, CDS)) {
        if (!java.util.Objects.equals(before.get(type), after.get(type))) {
          pushed.add(type);
        }
      }
      if (kind == ChangeKind.ROUTE) {
        unexpected += pushed.contains(RDS) ? pushed.size() - 1 : pushed.size();
      }
      long tResponse = t0;
      long tAck = t0;
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      for (String type : pushed) {
        BenchAdsClient.Received r;
        while ((r = envoy.find(type, after.get(type))) == null && System.nanoTime() < end) {
          Thread.sleep(0, 100_000);
        }
        if (r == null) {
          throw new IllegalStateException(
              kind.label + " change " + c + ": no " + shortType(type) + " push");
        }
        tResponse = Math.max(tResponse, r.at());
        if (ackedAt != null) {
          String key = type + "|" + after.get(type);
          while (!ackedAt.containsKey(key) && System.nanoTime() < end) {
            Thread.onSpinWait();
          }
          Long a = ackedAt.get(key);
          if (a == null) {
            throw new IllegalStateException(kind.label + " change " + c + ": no ACK seen");
          }
          tAck = Math.max(tAck, a);
        }
      }
      for (String type : List.of(LDS, RDS, CDS)) {
        bytes.get(shortType(type)).add(envoy.resourceBytes(type));
      }
      envoy.clear();
      // The mock API server's own time to take the write (it scans its store): a real API
      // server's is an etcd write; reported apart so that the rest can be read without it.
      times.get("API write").add(ms(tWritten - t0));
      times.get("to delivery").add(ms(tDelivered - t0));
      times
          .get("processing")
          .add(ms(t.buildNanos() + t.translateNanos() + t.publishNanos() + t.statusNanos()));
      // The issue's "processing per change": delivery to response sent. Status is computed after
      // the push (ControlPlane.onState), so it delays the next change, not this one's response.
      times
          .get("delivery to response sent")
          .add(ms(t.buildNanos() + t.translateNanos() + t.publishNanos()));
      times.get("model").add(ms(t.buildNanos()));
      times.get("translate").add(ms(t.translateNanos()));
      times.get("publish").add(ms(t.publishNanos()));
      times.get("status").add(ms(t.statusNanos()));
      if (!pushed.isEmpty()) {
        times.get("to response").add(ms(tResponse - t0));
        if (ackedAt != null) {
          times.get("to ACK").add(ms(tAck - t0));
        }
      }
    }
    Thread.sleep(200);
    unexpected += envoy.received.size();
    envoy.clear();
    Map<String, Stats> stats = new LinkedHashMap<>();
    times.forEach((key, v) -> stats.put(key, Stats.of(v)));
    Map<String, Long> medianBytes = new LinkedHashMap<>();
    bytes.forEach(
        (type, v) -> {
          List<Long> s = new ArrayList<>(v);
          Collections.sort(s);
          medianBytes.put(type, s.isEmpty() ? 0L : s.get((s.size() - 1) / 2));
        });
    return new ChangeResult(stats, medianBytes, unexpected);
  }

  private static Map<String, String> versions(XdsServer xds) {
    Map<String, String> v = new HashMap<>();
    for (String type : List.of(LDS, RDS, CDS)) {
      v.put(type, xds.version(GROUP, type));
    }
    return v;
  }

  /** Makes change number {@code k} of {@code kind} to object {@code i} through the API. */
  /**
   * Reads the object {@code kind} and {@code i} name and changes it in memory; the returned write
   * is the change itself, one request (a PUT of the changed object), as a controller's update or
   * {@code kubectl apply --server-side} is. The read comes before the change is timed: a client's
   * GET of what it is about to change is not part of the change.
   */
  static Runnable prepare(KubernetesClient client, ChangeKind kind, int i, int k) {
    String id = String.format(Locale.ROOT, "%05d", i);
    switch (kind) {
      case ROUTE -> {
        var routes = client.resources(HTTPRoute.class).inNamespace(NS);
        HTTPRoute r = routes.withName(routeName(i)).get();
        r.getSpec().getRules().get(0).getMatches().get(0).getPath().setValue("/r" + i + "/v" + k);
        return () -> routes.resource(r).update();
      }
      case BACKEND -> {
        var backends = client.resources(Backend.class).inNamespace(NS);
        Backend b = backends.withName("be-" + id).get();
        b.setSpec(backendSpec(id, "fn-" + id + "-v" + k));
        return () -> backends.resource(b).update();
      }
      case SECRET -> {
        var secrets = client.secrets().inNamespace(NS);
        Secret s = secrets.withName("cred-" + id).get();
        s.setStringData(secretData(id, "v" + k));
        s.setData(null);
        return () -> secrets.resource(s).update();
      }
      default -> throw new IllegalArgumentException(kind.toString());
    }
  }

  /**
   * The session STS would issue for a Secret's keys, made up at once from the keys (a new key, a
   * new session): so a Secret rotation reaches the filter configuration as in production, without
   * the STS round trip, which is not the control plane's own time. The placeholder of the tests
   * gives one session for every key, and a rotation would change nothing. Sessions are kept by
   * source, as {@code SecretSessions} keeps them (a map lookup per Backend and build): making one
   * up on every call would add the stand-in's own formatting to each build.
   */
  static Credentials.Inline session(Credentials.SecretSession source) {
    return SESSIONS.computeIfAbsent(source.source(), ControlPlaneBench::newSession);
  }

  private static final java.util.concurrent.ConcurrentHashMap<
          Credentials.SecretSession, Credentials.Inline>
      SESSIONS = new java.util.concurrent.ConcurrentHashMap<>();

  private static Credentials.Inline newSession(Credentials.SecretSession source) {
    String id =
        String.format(
            Locale.ROOT,
            "%08X",
            (source.longTerm().accessKeyId() + "/" + source.longTerm().secretAccessKey())
                .hashCode());
    return new Credentials.Inline(
        "ASIABENCH" + id, "bench-session-secret-" + id, "bench-session-token-" + id);
  }

  static BackendSpec backendSpec(String id, String function) {
    return new BackendSpec(
        "AWS",
        new BackendSpec.AwsBackend(
            "us-east-1",
            "123456789012",
            new BackendSpec.AwsAuth("Secret", new BackendSpec.LocalRef("cred-" + id), null),
            new BackendSpec.AwsLambda(function, null, null, null, null)));
  }

  static Map<String, String> secretData(String id, String generation) {
    return Map.of(
        "accessKey",
        "AKIDEXAMPLE" + id,
        "secretKey",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLE" + id + generation);
  }

  static String fmt(ControlPlane.Timings t) {
    return String.format(
        Locale.ROOT,
        "model %.1f ms, translate %.1f ms, publish %.1f ms, " + "status %.1f ms",
        ms(t.buildNanos()),
        ms(t.translateNanos()),
        ms(t.publishNanos()),
        ms(t.statusNanos()));
  }

  static String routeName(int i) {
    return String.format(Locale.ROOT, "route-%05d", i);
  }

  /** N Secrets, Backends (Secret credentials) and HTTPRoutes, created by 4 threads. */
  static void populate(KubernetesClient client, int n) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        final int k = i;
        fs.add(pool.submit(() -> create(client, k)));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static void create(KubernetesClient client, int i) {
    String id = String.format(Locale.ROOT, "%05d", i);
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("cred-" + id)
                .withNamespace(NS)
                .endMetadata()
                .withStringData(secretData(id, ""))
                .build())
        .create();
    Backend b = new Backend();
    b.setMetadata(new ObjectMetaBuilder().withName("be-" + id).withNamespace(NS).build());
    b.setSpec(backendSpec(id, "fn-" + id));
    client.resource(b).create();
    client
        .resource(
            new HTTPRouteBuilder()
                .withNewMetadata()
                .withName(routeName(i))
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .addNewParentRef()
                .withName(GATEWAY)
                .endParentRef()
                .addNewRule()
                .addNewMatch()
                .withNewPath()
                .withType("PathPrefix")
                .withValue("/r" + i)
                .endPath()
                .endMatch()
                .addNewBackendRef()
                .withGroup(Backend.GROUP)
                .withKind("Backend")
                .withName("be-" + id)
                .endBackendRef()
                .endRule()
                .endSpec()
                .build())
        .create();
  }

  static long bytes(List<? extends Message> ms) {
    long n = 0;
    for (Message m : ms) {
      n += m.getSerializedSize();
    }
    return n;
  }

  static String shortType(String typeUrl) {
    return typeUrl.equals(LDS) ? "LDS" : typeUrl.equals(RDS) ? "RDS" : "CDS";
  }

  static long usedHeapAfterGc() throws InterruptedException {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /**
   * {@code ControlPlaneBench [routes...] [--repeats N] [--warmup N] [--changes N] [--delta-changes
   * N] [--coalesce-ms N] [--pause-ms N]}; prints the measurements and, per size, one row of the
   * summary table ({@code S|} prefix) and one row per change kind ({@code C|} prefix). Without
   * {@code --changes}, 20 changes of each kind are made (10 at 10,000 routes and more), and 5 over
   * delta ADS.
   */
  public static void main(String[] args) throws Exception {
    List<Integer> sizes = new ArrayList<>();
    int repeats = 10;
    int warmup = 3;
    int changes = -1;
    int deltaChanges = 5;
    long coalesce = 100;
    long pause = 300;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--repeats" -> repeats = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--changes" -> changes = Integer.parseInt(args[++i]);
        case "--delta-changes" -> deltaChanges = Integer.parseInt(args[++i]);
        case "--coalesce-ms" -> coalesce = Long.parseLong(args[++i]);
        case "--pause-ms" -> pause = Long.parseLong(args[++i]);
        default -> sizes.add(Integer.parseInt(args[i]));
      }
    }
    if (sizes.isEmpty()) {
      sizes = List.of(100, 1000, 10000);
    }
    List<Result> results = new ArrayList<>();
    for (int n : sizes) {
      int perKind = changes > 0 ? changes : n >= 10_000 ? 10 : 20;
      results.add(
          run(
              new Options(
                  n, warmup, repeats, perKind, deltaChanges, Duration.ofMillis(coalesce), pause),
              System.out));
    }
    System.out.println();
    for (Result r : results) {
      System.out.println("S" + row(r));
      for (String line : changeRows(r)) {
        System.out.println("C" + line);
      }
    }
    System.exit(0);
  }

  /** The header of {@link #row}'s table. */
  static final String SUMMARY_HEADER =
      "| routes | cold start to first full push ms | cold first translation ms | warm full"
          + " translation ms, median (min–max) | LDS bytes | RDS bytes | CDS bytes | Listener filter JSON"
          + " bytes | heap MiB |\n"
          + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

  /** One Markdown row of the summary table. */
  static String row(Result r) {
    Stats warm = r.warm().get("total");
    return String.format(
        Locale.ROOT,
        "| %,d | %,.0f | %,.0f | %.0f (%.0f–%.0f) | %,d | %,d | %,d | %,d | %.1f |",
        r.routes(),
        r.coldStartMillis(),
        ms(r.cold().buildNanos() + r.cold().translateNanos()),
        warm.median(),
        warm.min(),
        warm.max(),
        r.sizes().get("listeners"),
        r.sizes().get("route configurations"),
        r.sizes().get("clusters"),
        r.sizes().get("listener filter JSON"),
        r.heapBytes() / 1048576.0);
  }

  /** The header of {@link #changeRows}' table. */
  static final String CHANGE_HEADER =
      "| routes | change | n | processing ms (model / translate / publish / status) |"
          + " delivery→response sent ms, delta | change→ACK ms, median (min–max) | change→ACK"
          + " ms, delta | of which the mock API server's write ms, delta | SotW bytes"
          + " pushed: LDS + RDS + CDS | delta bytes pushed: LDS + RDS + CDS |\n"
          + "|---:|---|---:|---|---:|---|---|---:|---|---|";

  /** One Markdown row per change kind: medians of the state-of-the-world and delta runs. */
  static List<String> changeRows(Result r) {
    List<String> rows = new ArrayList<>();
    for (ChangeKind kind : ChangeKind.values()) {
      ChangeResult s = r.sotw().get(kind);
      ChangeResult d = r.delta().get(kind);
      Map<String, Stats> t = s.times();
      Stats ack = t.get("to ACK");
      rows.add(
          String.format(
              Locale.ROOT,
              "| %,d | %s | %d | %.1f (%.1f / %.1f / %.1f / %.1f) | %.1f | %.0f (%.0f–%.0f) | %s |"
                  + " %s | %s | %s |",
              r.routes(),
              kind.label,
              t.get("processing").n(),
              t.get("processing").median(),
              t.get("model").median(),
              t.get("translate").median(),
              t.get("publish").median(),
              t.get("status").median(),
              (d == null ? s : d).times().get("delivery to response sent").median(),
              ack.median(),
              ack.min(),
              ack.max(),
              d == null
                  ? "–"
                  : String.format(
                      Locale.ROOT,
                      "%.0f (%.0f–%.0f)",
                      d.times().get("to ACK").median(),
                      d.times().get("to ACK").min(),
                      d.times().get("to ACK").max()),
              d == null
                  ? "–"
                  : String.format(Locale.ROOT, "%.0f", d.times().get("API write").median()),
              bytesCell(s.bytes()),
              d == null ? "–" : bytesCell(d.bytes())));
    }
    return rows;
  }

  private static String bytesCell(Map<String, Long> b) {
    long total = b.get("LDS") + b.get("RDS") + b.get("CDS");
    return String.format(
        Locale.ROOT, "%,d = %,d + %,d + %,d", total, b.get("LDS"), b.get("RDS"), b.get("CDS"));
  }
}
