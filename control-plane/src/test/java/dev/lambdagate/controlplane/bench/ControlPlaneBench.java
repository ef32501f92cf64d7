package dev.lambdagate.controlplane.bench;

import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.lambdagate.controlplane.ControlPlane;
import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.crd.BackendSpec;
import dev.lambdagate.controlplane.kube.KubeStateSource;
import dev.lambdagate.controlplane.kube.MockApi;
import dev.lambdagate.controlplane.model.GatewayModel;
import dev.lambdagate.controlplane.model.GatewayOwnership;
import dev.lambdagate.controlplane.model.Model;
import dev.lambdagate.controlplane.model.ModelBuilder;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.tls.XdsTestTls;
import dev.lambdagate.controlplane.translate.EnvoyResources;
import dev.lambdagate.controlplane.translate.EnvoyTranslator;
import dev.lambdagate.controlplane.translate.FilterConfigWriter;
import dev.lambdagate.controlplane.xds.GatewayNodeGroup;
import dev.lambdagate.controlplane.xds.NackListener;
import dev.lambdagate.controlplane.xds.XdsServer;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
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
import io.grpc.stub.StreamObserver;
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
      int routes, int warmup, int repeats, int changes, Duration coalesce, long pauseMillis) {}

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

  /** Everything measured for one size. */
  public record Result(
      int routes,
      double populateSeconds,
      double syncMillis,
      ControlPlane.Timings cold,
      Map<String, Stats> warm,
      Map<String, Stats> change,
      int unexpectedPushes,
      Map<String, Long> sizes,
      long heapBytes,
      long heapInformersBytes) {}

  private static double ms(long nanos) {
    return nanos / 1e6;
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
      ModelBuilder builder = TestSupport.modelBuilder();
      EnvoyTranslator translator = TestSupport.translator();
      cp[0] = new ControlPlane(builder, translator, xds, status -> {});
      XdsTestTls tls = XdsTestTls.create();
      xds.start(XdsTestTls.loopback(), tls.server);

      BlockingQueue<Long> delivered = new LinkedBlockingQueue<>();
      BlockingQueue<ControlPlane.Timings> timings = new LinkedBlockingQueue<>();
      ArrayBlockingQueue<Boolean> firstGate = new ArrayBlockingQueue<>(1);
      java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
      source = new KubeStateSource(client, null, o.coalesce());
      long s0 = System.nanoTime();
      source.start(
          state -> {
            long t = System.nanoTime();
            if (firstGate.offer(true)) {
              // Hold the first state until the informers' heap is measured.
              try {
                released.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            delivered.add(t);
            cp[0].onState(state);
            timings.add(cp[0].lastTimings());
          });
      firstGate.poll(600, TimeUnit.SECONDS);
      double syncMillis = ms(System.nanoTime() - s0);
      long heapInformers = usedHeapAfterGc() - heap0;
      released.countDown();
      delivered.poll(600, TimeUnit.SECONDS);
      ControlPlane.Timings cold = timings.poll(600, TimeUnit.SECONDS);
      out.printf(
          Locale.ROOT,
          "[%d] informers synced (+coalesce %d ms) in %.0f ms; cold: %s%n",
          o.routes(),
          o.coalesce().toMillis(),
          syncMillis,
          fmt(cold));

      // An Envoy of the Gateway: CDS, LDS, RDS, each ACKed.
      channel =
          XdsTestTls.channelBuilder(xds.port(), tls.ca.issueGatewayClient(GROUP), tls.ca)
              .maxInboundMessageSize(Integer.MAX_VALUE)
              .build();
      AdsClient envoy = new AdsClient(channel);
      Map<String, Long> sizes = new LinkedHashMap<>();
      long c0 = System.nanoTime();
      for (String type : List.of(CDS, LDS, RDS)) {
        envoy.request(type, "", "", type.equals(RDS) ? List.of(GROUP + "/8080") : List.of());
        DiscoveryResponse r = envoy.responses.poll(120, TimeUnit.SECONDS);
        if (r == null || !r.getTypeUrl().equals(type)) {
          throw new IllegalStateException("no " + type + " response: " + r);
        }
        sizes.put(shortType(type) + " response bytes", (long) r.getSerializedSize());
        envoy.ack(r);
      }
      out.printf(
          Locale.ROOT,
          "[%d] initial CDS+LDS+RDS received and ACKed in %.0f ms%n",
          o.routes(),
          ms(System.nanoTime() - c0));
      EnvoyResources res = cp[0].resources().get(GROUP);
      GatewayModel gm = cp[0].model().gateways().get(0);
      sizes.put("listeners", bytes(res.listeners()));
      sizes.put("route configurations", bytes(res.routes()));
      sizes.put("clusters", bytes(res.clusters()));
      sizes.put(
          "filter JSON",
          (long)
              FilterConfigWriter.json(gm).getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
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

      // One HTTPRoute change through the API -> new RDS -> ACK.
      Map<String, List<Double>> change = new LinkedHashMap<>();
      for (String k :
          List.of(
              "to delivery", "model", "translate", "publish", "status", "to response", "to ACK")) {
        change.put(k, new ArrayList<>());
      }
      delivered.clear();
      timings.clear();
      envoy.autoAck = true;
      int unexpected = 0;
      for (int c = 0; c < o.changes(); c++) {
        Thread.sleep(o.pauseMillis());
        String name = routeName(c % o.routes());
        String path = "/r" + (c % o.routes()) + "/v" + c;
        long t0 = System.nanoTime();
        client
            .resources(HTTPRoute.class)
            .inNamespace(NS)
            .withName(name)
            .edit(
                r -> {
                  r.getSpec().getRules().get(0).getMatches().get(0).getPath().setValue(path);
                  return r;
                });
        Long tDelivered = delivered.poll(60, TimeUnit.SECONDS);
        ControlPlane.Timings t = timings.poll(60, TimeUnit.SECONDS);
        DiscoveryResponse r;
        do {
          r = envoy.responses.poll(60, TimeUnit.SECONDS);
          if (r != null && !r.getTypeUrl().equals(RDS)) {
            unexpected++;
          }
        } while (r != null && !r.getTypeUrl().equals(RDS));
        if (r == null || tDelivered == null || t == null) {
          throw new IllegalStateException("change " + c + ": no RDS push");
        }
        long tResponse = envoy.receivedAt.get(r.getNonce());
        String key = RDS + "|" + r.getVersionInfo();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!ackedAt.containsKey(key) && System.nanoTime() < end) {
          Thread.onSpinWait();
        }
        Long tAck = ackedAt.get(key);
        if (tAck == null) {
          throw new IllegalStateException("change " + c + ": no ACK seen");
        }
        change.get("to delivery").add(ms(tDelivered - t0));
        change.get("model").add(ms(t.buildNanos()));
        change.get("translate").add(ms(t.translateNanos()));
        change.get("publish").add(ms(t.publishNanos()));
        change.get("status").add(ms(t.statusNanos()));
        change.get("to response").add(ms(tResponse - t0));
        change.get("to ACK").add(ms(tAck - t0));
      }
      Thread.sleep(200);
      unexpected += envoy.responses.size();
      Map<String, Stats> changeStats = new LinkedHashMap<>();
      change.forEach((k, v) -> changeStats.put(k, Stats.of(v)));
      out.printf(
          Locale.ROOT,
          "[%d] one change -> ACK: %s; other pushes: %d%n",
          o.routes(),
          changeStats,
          unexpected);
      out.printf(Locale.ROOT, "[%d] sizes: %s%n", o.routes(), sizes);
      envoy.closing = true;
      return new Result(
          o.routes(),
          populateSeconds,
          syncMillis,
          cold,
          warmStats,
          changeStats,
          unexpected,
          sizes,
          heap,
          heapInformers);
    } finally {
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
                .withStringData(
                    Map.of(
                        "accessKey",
                        "AKIDEXAMPLE" + id,
                        "secretKey",
                        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLE" + id))
                .build())
        .create();
    Backend b = new Backend();
    b.setMetadata(new ObjectMetaBuilder().withName("be-" + id).withNamespace(NS).build());
    b.setSpec(
        new BackendSpec(
            "AWS",
            new BackendSpec.AwsBackend(
                "us-east-1",
                "123456789012",
                new BackendSpec.AwsAuth("Secret", new BackendSpec.LocalRef("cred-" + id), null),
                new BackendSpec.AwsLambda("fn-" + id, null, null, null, null))));
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

  /** A minimal Envoy: one ADS stream, ACKs on request. */
  static final class AdsClient {
    final BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
    final Map<String, Long> receivedAt = new ConcurrentHashMap<>();
    final StreamObserver<DiscoveryRequest> requests;
    final Node node =
        Node.newBuilder()
            .setId("bench-envoy")
            .setCluster("lambdagate")
            .setMetadata(
                Struct.newBuilder()
                    .putFields(
                        GatewayNodeGroup.METADATA_KEY,
                        Value.newBuilder().setStringValue(GROUP).build()))
            .build();
    volatile boolean autoAck;
    volatile boolean closing;

    AdsClient(ManagedChannel channel) {
      requests =
          AggregatedDiscoveryServiceGrpc.newStub(channel)
              .streamAggregatedResources(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(DiscoveryResponse r) {
                      receivedAt.put(r.getNonce(), System.nanoTime());
                      if (autoAck) {
                        ack(r);
                      }
                      responses.add(r);
                    }

                    @Override
                    public void onError(Throwable t) {
                      if (!closing) {
                        System.err.println("ADS stream failed: " + t);
                      }
                    }

                    @Override
                    public void onCompleted() {}
                  });
    }

    synchronized void request(String type, String version, String nonce, List<String> names) {
      requests.onNext(
          DiscoveryRequest.newBuilder()
              .setNode(node)
              .setTypeUrl(type)
              .setVersionInfo(version)
              .setResponseNonce(nonce)
              .addAllResourceNames(names)
              .build());
    }

    void ack(DiscoveryResponse r) {
      request(
          r.getTypeUrl(),
          r.getVersionInfo(),
          r.getNonce(),
          r.getTypeUrl().equals(RDS) ? List.of(GROUP + "/8080") : List.of());
    }
  }

  /**
   * {@code ControlPlaneBench [routes...] [--repeats N] [--warmup N] [--changes N] [--coalesce-ms N]
   * [--pause-ms N]}; prints the measurements and one Markdown table row per size.
   */
  public static void main(String[] args) throws Exception {
    List<Integer> sizes = new ArrayList<>();
    int repeats = 10;
    int warmup = 3;
    int changes = 20;
    long coalesce = 100;
    long pause = 300;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--repeats" -> repeats = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--changes" -> changes = Integer.parseInt(args[++i]);
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
      results.add(
          run(
              new Options(n, warmup, repeats, changes, Duration.ofMillis(coalesce), pause),
              System.out));
    }
    System.out.println();
    for (Result r : results) {
      System.out.println(row(r));
    }
    System.exit(0);
  }

  /** One Markdown table row. */
  static String row(Result r) {
    Stats warm = r.warm().get("total");
    Stats ack = r.change().get("to ACK");
    return String.format(
        Locale.ROOT,
        "| %,d | %.0f | %.0f (%.0f–%.0f) | %.1f (%.1f–%.1f) | %,d | %,d | %,d | %,d | %.1f |",
        r.routes(),
        ms(r.cold().buildNanos() + r.cold().translateNanos()),
        warm.median(),
        warm.min(),
        warm.max(),
        ack.median(),
        ack.min(),
        ack.max(),
        r.sizes().get("listeners"),
        r.sizes().get("route configurations"),
        r.sizes().get("clusters"),
        r.sizes().get("filter JSON"),
        r.heapBytes() / 1048576.0);
  }
}
