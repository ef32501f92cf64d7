package dev.lambdagate.controlplane;

import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.crd.BackendSpec;
import dev.lambdagate.controlplane.model.Credentials;
import dev.lambdagate.controlplane.model.GatewayOwnership;
import dev.lambdagate.controlplane.model.ModelBuilder;
import dev.lambdagate.controlplane.model.ModelOptions;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.translate.EnvoyTranslator;
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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the whole change path (model, translation, snapshot, status) on a made-up cluster while the
 * informers make their first list, so that the first real build runs compiled code.
 *
 * <p>Why: at 10,000 routes the first build took 4 s of a 6.6 s cold start, of which nearly all was
 * the JIT's interpreter and first compilations (the same build takes about 0.2 s warm); the
 * informers' first list takes seconds of mostly waiting on the API server. Running the same code on
 * the other core in that time moves the compilation out of the critical path.
 *
 * <p>The made-up cluster is private: its own {@link ControlPlane}, translator and unstarted {@link
 * XdsServer}, a fixed token and session source, credentials that are not anyone's. Nothing is
 * published, no status is written, no network is used. {@link #stop} ends it between two rounds
 * (the real first build should not share the CPU with it for longer than a round).
 *
 * <p>Thread-safe: one background thread; {@link #stop} from any thread.
 */
public final class ColdStartWarmup implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ColdStartWarmup.class);
  private static final String NS = "lambdagate-warmup";
  private static final String GATEWAY = "warmup";

  /** The made-up cluster's HTTPRoutes (each with its Backend and Secret). */
  public static final int DEFAULT_ROUTES = 50;

  /**
   * Rounds of a first build and three changes: enough for the JIT's second tier to compile what the
   * first build of a large cluster calls per object.
   */
  public static final int DEFAULT_ROUNDS = 40;

  /**
   * How long the first real build waits for the warm-up's change under way to end, rather than
   * share the CPU with it.
   */
  public static final long STOP_WAIT_MILLIS = 2000;

  private final AtomicBoolean stopped = new AtomicBoolean();
  private final Thread thread;
  private volatile int rounds;
  private volatile ControlPlane lastPlane;

  private ColdStartWarmup(Runnable body) {
    thread = new Thread(body, "cold-start-warmup");
    thread.setDaemon(true);
    thread.setPriority(Thread.MIN_PRIORITY);
  }

  /**
   * Starts warming up in the background.
   *
   * @param routes the made-up cluster's size: HTTPRoutes, each with its Backend and Secret
   * @param maxRounds rounds of a first build and a change of a route, a Backend and a Secret
   */
  public static ColdStartWarmup start(
      ModelOptions modelOptions, TranslatorOptions translatorOptions, int routes, int maxRounds) {
    ColdStartWarmup[] self = new ColdStartWarmup[1];
    self[0] =
        new ColdStartWarmup(() -> self[0].run(modelOptions, translatorOptions, routes, maxRounds));
    self[0].thread.start();
    return self[0];
  }

  /** The made-up control plane of the last round (tests look at what it built). */
  ControlPlane lastPlane() {
    return lastPlane;
  }

  /** Rounds run so far. */
  public int rounds() {
    return rounds;
  }

  /** Waits at most {@code millis} (more than 0) for all its rounds; whether they have run. */
  public boolean awaitFinished(long millis) {
    try {
      thread.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !thread.isAlive();
  }

  /** Stops after the current change; waits for that at most {@code millis} (0: not at all). */
  public void stop(long millis) {
    stopped.set(true);
    if (millis <= 0) {
      return;
    }
    try {
      thread.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop(0);
  }

  private void run(
      ModelOptions modelOptions, TranslatorOptions translatorOptions, int n, int maxRounds) {
    long t0 = System.nanoTime();
    try {
      Credentials.Inline session =
          new Credentials.Inline("ASIAWARMUP", "warmup-session-secret", "warmup-session-token");
      String className =
          modelOptions.gatewayClassNames().isEmpty()
              ? "lambdagate"
              : modelOptions.gatewayClassNames().iterator().next();
      List<GatewayClass> classes = List.of(gatewayClass(className));
      List<Gateway> gateways = List.of(gateway(className));
      List<HTTPRoute> routes = new ArrayList<>(n);
      List<Backend> backends = new ArrayList<>(n);
      List<Secret> secrets = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        routes.add(route(i, "/warmup/" + i));
        backends.add(backend(i, "warmup-" + i));
        secrets.add(secret(i, ""));
      }
      // Each round: a first build from nothing (the path the real first build takes), then one
      // change of each kind (the path every later change takes).
      for (int r = 0; r < maxRounds && !stopped.get(); r++) {
        ControlPlane plane = plane(modelOptions, translatorOptions, session);
        lastPlane = plane;
        plane.onState(state(classes, gateways, routes, backends, secrets));
        for (int c = 0; c < 3 && !stopped.get(); c++) {
          int i = (r * 7919 + c) % n;
          String v = r + "-" + c;
          switch (c) {
            case 0 -> routes.set(i, route(i, "/warmup/" + i + "/" + v));
            case 1 -> backends.set(i, backend(i, "warmup-" + i + "-" + v));
            default -> secrets.set(i, secret(i, v));
          }
          plane.onState(state(classes, gateways, routes, backends, secrets));
        }
        rounds = r + 1;
      }
      LOG.debug(
          "cold-start warm-up: {} routes, {} rounds in {} ms",
          n,
          rounds,
          (System.nanoTime() - t0) / 1_000_000);
    } catch (RuntimeException | LinkageError e) {
      // Only speed is at stake: the real build computes everything itself.
      LOG.debug("cold-start warm-up ended early: {}", e.toString());
    }
  }

  private static ControlPlane plane(
      ModelOptions modelOptions, TranslatorOptions translatorOptions, Credentials.Inline session) {
    ModelBuilder builder =
        new ModelBuilder(
            modelOptions, (ns, sa) -> Optional.of("warmup-web-identity-token"), s -> session);
    XdsServer xds =
        new XdsServer(
            new NackListener() {
              @Override
              public void onNack(String group, String typeUrl, String version, String detail) {}

              @Override
              public void onAck(String group, String typeUrl, String version) {}
            });
    ControlPlane plane =
        new ControlPlane(builder, new EnvoyTranslator(translatorOptions), xds, status -> {});
    plane.logChangesAtDebug();
    return plane;
  }

  private static ClusterState state(
      List<GatewayClass> classes,
      List<Gateway> gateways,
      List<HTTPRoute> routes,
      List<Backend> backends,
      List<Secret> secrets) {
    return new ClusterState(
        classes, gateways, routes, backends, List.of(), secrets, List.of(), List.of());
  }

  private static GatewayClass gatewayClass(String name) {
    return new GatewayClassBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withControllerName(GatewayOwnership.CONTROLLER_NAME)
        .endSpec()
        .build();
  }

  private static Gateway gateway(String className) {
    return new GatewayBuilder()
        .withNewMetadata()
        .withName(GATEWAY)
        .withNamespace(NS)
        .withGeneration(1L)
        .endMetadata()
        .withNewSpec()
        .withGatewayClassName(className)
        .addNewListener()
        .withName("http")
        .withProtocol("HTTP")
        .withPort(8080)
        .endListener()
        .endSpec()
        .build();
  }

  private static String id(int i) {
    return String.format(Locale.ROOT, "%05d", i);
  }

  private static HTTPRoute route(int i, String path) {
    return new HTTPRouteBuilder()
        .withNewMetadata()
        .withName("route-" + id(i))
        .withNamespace(NS)
        .withGeneration(1L)
        .endMetadata()
        .withNewSpec()
        .addNewParentRef()
        .withName(GATEWAY)
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
        .withName("backend-" + id(i))
        .endBackendRef()
        .endRule()
        .endSpec()
        .build();
  }

  private static Backend backend(int i, String function) {
    Backend b = new Backend();
    b.setMetadata(
        new ObjectMetaBuilder()
            .withName("backend-" + id(i))
            .withNamespace(NS)
            .withGeneration(1L)
            .build());
    b.setSpec(
        new BackendSpec(
            "AWS",
            new BackendSpec.AwsBackend(
                "us-east-1",
                "000000000000",
                new BackendSpec.AwsAuth("Secret", new BackendSpec.LocalRef("keys-" + id(i)), null),
                new BackendSpec.AwsLambda(function, null, null, null, null))));
    return b;
  }

  /** Keys of no account, in the shape a Secret holds them. */
  private static Secret secret(int i, String generation) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName("keys-" + id(i))
        .withNamespace(NS)
        .endMetadata()
        // As informers hand Secrets: base64 in data.
        .withData(
            Map.of(
                "accessKey",
                base64("AKIAWARMUP" + id(i)),
                "secretKey",
                base64("warmup-secret-key-" + id(i) + generation)))
        .build();
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
