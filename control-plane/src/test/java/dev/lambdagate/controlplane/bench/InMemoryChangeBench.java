package dev.lambdagate.controlplane.bench;

import dev.lambdagate.controlplane.ColdStartWarmup;
import dev.lambdagate.controlplane.ControlPlane;
import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.model.ModelBuilder;
import dev.lambdagate.controlplane.model.ModelOptions;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.translate.TranslatorOptions;
import dev.lambdagate.controlplane.xds.NackListener;
import dev.lambdagate.controlplane.xds.XdsServer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code ControlPlane.onState} per change without the API server, informers or ADS clients: the
 * objects of {@link ControlPlaneBench} (N HTTPRoutes, each with its Backend and Secret) are built
 * in memory and handed over as {@link ClusterState}s in which, as {@code KubeStateSource} hands
 * them, only the changed kind's list is new. It measures the control-plane thread's CPU time, which
 * a machine shared with other builds disturbs less than wall time, split over model, translate,
 * publish and status in the proportions of their wall times. Seconds instead of minutes at 10,000
 * routes, so that two versions of the code can be compared side by side.
 *
 * <p>{@code InMemoryChangeBench N [changes per kind]}; prints one line per kind (route path,
 * Backend field, Secret rotation), each measured twice in turn (the first round warms up).
 */
public final class InMemoryChangeBench {
  private InMemoryChangeBench() {}

  public static void main(String[] args) {
    int n = Integer.parseInt(args[0]);
    int changes = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    List<HTTPRoute> routes = new ArrayList<>();
    List<Backend> backends = new ArrayList<>();
    List<Secret> secrets = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = id(i);
      secrets.add(secret(id, ""));
      backends.add(backend(id, "fn-" + id));
      routes.add(route(i, "/r" + i));
    }
    List<GatewayClass> classes =
        List.of(
            new GatewayClassBuilder()
                .withNewMetadata()
                .withName("kgateway")
                .endMetadata()
                .withNewSpec()
                .withControllerName("lambdagate.dev/gateway-controller")
                .endSpec()
                .build());
    List<Gateway> gateways =
        List.of(
            new GatewayBuilder()
                .withNewMetadata()
                .withName(ControlPlaneBench.GATEWAY)
                .withNamespace(ControlPlaneBench.NS)
                .endMetadata()
                .withNewSpec()
                .withGatewayClassName("kgateway")
                .addNewListener()
                .withName("http")
                .withProtocol("HTTP")
                .withPort(8080)
                .endListener()
                .endSpec()
                .build());
    ModelBuilder builder =
        new ModelBuilder(ModelOptions.defaults(), TestSupport.TOKENS, ControlPlaneBench::session);
    XdsServer xds =
        new XdsServer(
            new NackListener() {
              @Override
              public void onNack(String group, String typeUrl, String version, String detail) {}

              @Override
              public void onAck(String group, String typeUrl, String version) {}
            });
    ControlPlane cp = new ControlPlane(builder, TestSupport.translator(), xds, status -> {});
    List<HTTPRoute> r = List.copyOf(routes);
    List<Backend> b = List.copyOf(backends);
    List<Secret> s = List.copyOf(secrets);
    // -Dbench.coldStartWarmupMillis=N: the warm-up ControlPlaneMain runs while informers list,
    // given N ms (the time informers took to list this many objects from the mock API server).
    long warmupMillis = Long.getLong("bench.coldStartWarmupMillis", 0L);
    if (warmupMillis > 0) {
      ColdStartWarmup w =
          ColdStartWarmup.start(
              ModelOptions.defaults(),
              TranslatorOptions.defaults(),
              Integer.getInteger("bench.warmupRoutes", ColdStartWarmup.DEFAULT_ROUTES),
              Integer.getInteger("bench.warmupRounds", ColdStartWarmup.DEFAULT_ROUNDS));
      boolean finished = w.awaitFinished(warmupMillis);
      // As ControlPlaneMain does: the first real build waits for the change under way.
      w.stop(ColdStartWarmup.STOP_WAIT_MILLIS);
      System.out.printf(
          Locale.ROOT,
          "cold-start warm-up: %d changes in %d ms (%s)%n",
          w.rounds(),
          warmupMillis,
          finished ? "finished" : "stopped");
    }
    long cold0 = System.nanoTime();
    cp.onState(new ClusterState(classes, gateways, r, b, List.of(), s, List.of(), List.of()));
    ControlPlane.Timings cold = cp.lastTimings();
    System.out.printf(
        Locale.ROOT,
        "cold first onState: %.0f ms wall (model %.0f / translate %.0f / publish %.0f / status"
            + " %.0f)%n",
        (System.nanoTime() - cold0) / 1e6,
        cold.buildNanos() / 1e6,
        cold.translateNanos() / 1e6,
        cold.publishNanos() / 1e6,
        cold.statusNanos() / 1e6);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    com.sun.management.ThreadMXBean allocated = (com.sun.management.ThreadMXBean) threads;
    Random rnd = new Random(1);
    for (int round = 0; round < 2; round++) {
      for (String kind :
          List.of("route path", "Backend field", "Secret rotation", "route deleted or created")) {
        double[][] t = new double[7][changes];
        HTTPRoute gone = null;
        int goneAt = -1;
        for (int c = 0; c < changes; c++) {
          int i = rnd.nextInt(n - 1);
          String id = id(i);
          String v = "v" + round + "-" + c;
          switch (kind) {
            case "route path" -> {
              // As the API server does, a spec change bumps metadata.generation.
              routes.set(i, route(i, "/r" + i + "/" + v, 2L + round * changes + c));
              r = List.copyOf(routes);
            }
            case "Backend field" -> {
              backends.set(i, backend(id, "fn-" + id + "-" + v, 2L + round * changes + c));
              b = List.copyOf(backends);
            }
            case "Secret rotation" -> {
              secrets.set(i, secret(id, v));
              s = List.copyOf(secrets);
            }
            default -> {
              // Every other change deletes a route (its Backend then serves no route), the next
              // creates it again.
              if (gone == null) {
                goneAt = i;
                gone = routes.remove(i);
              } else {
                routes.add(goneAt, gone);
                gone = null;
              }
              r = List.copyOf(routes);
            }
          }
          ClusterState state =
              new ClusterState(classes, gateways, r, b, List.of(), s, List.of(), List.of());
          long cpu0 = threads.getCurrentThreadCpuTime();
          long alloc0 = allocated.getCurrentThreadAllocatedBytes();
          cp.onState(state);
          double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6;
          // Unlike time, what a change allocates does not depend on the machine's load.
          t[6][c] = (allocated.getCurrentThreadAllocatedBytes() - alloc0) / 1e6;
          ControlPlane.Timings w = cp.lastTimings();
          double wall =
              w.buildNanos() + w.translateNanos() + w.publishNanos() + w.statusNanos() + 1e-9;
          t[0][c] = cpu;
          t[1][c] = cpu * w.buildNanos() / wall;
          t[2][c] = cpu * w.translateNanos() / wall;
          t[3][c] = cpu * w.publishNanos() / wall;
          t[4][c] = cpu * w.statusNanos() / wall;
          t[5][c] = t[1][c] + t[2][c] + t[3][c];
        }
        System.out.printf(
            Locale.ROOT,
            "%s%s: CPU ms, median of %d: onState %.1f (model %.1f / translate %.1f / publish %.1f"
                + " / status %.1f); to response sent %.1f; allocated MB %.1f%n",
            round == 0 ? "warm-up, " : "",
            kind,
            changes,
            median(t[0]),
            median(t[1]),
            median(t[2]),
            median(t[3]),
            median(t[4]),
            median(t[5]),
            median(t[6]));
      }
    }
    System.exit(0);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[(s.length - 1) / 2];
  }

  private static String id(int i) {
    return String.format(Locale.ROOT, "%05d", i);
  }

  private static Secret secret(String id, String generation) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName("cred-" + id)
        .withNamespace(ControlPlaneBench.NS)
        .endMetadata()
        .withStringData(ControlPlaneBench.secretData(id, generation))
        .build();
  }

  private static Backend backend(String id, String function) {
    return backend(id, function, 1);
  }

  private static Backend backend(String id, String function, long generation) {
    Backend b = new Backend();
    b.setMetadata(
        new ObjectMetaBuilder()
            .withName("be-" + id)
            .withNamespace(ControlPlaneBench.NS)
            .withGeneration(generation)
            .build());
    b.setSpec(ControlPlaneBench.backendSpec(id, function));
    return b;
  }

  private static HTTPRoute route(int i, String path) {
    return route(i, path, 1);
  }

  private static HTTPRoute route(int i, String path, long generation) {
    return new HTTPRouteBuilder()
        .withNewMetadata()
        .withName(ControlPlaneBench.routeName(i))
        .withNamespace(ControlPlaneBench.NS)
        .withGeneration(generation)
        .withCreationTimestamp("2026-01-01T00:00:0" + (i % 10) + "Z")
        .endMetadata()
        .withNewSpec()
        .addNewParentRef()
        .withName(ControlPlaneBench.GATEWAY)
        .endParentRef()
        .addNewRule()
        .addNewMatch()
        .withNewPath()
        .withType("PathPrefix")
        .withValue(path)
        .endPath()
        .endMatch()
        .addNewBackendRef()
        .withGroup(Backend.GROUP)
        .withKind("Backend")
        .withName("be-" + id(i))
        .endBackendRef()
        .endRule()
        .endSpec()
        .build();
  }
}
