package dev.lambdagate.harness.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import dev.lambdagate.harness.RefusingPort;
import dev.lambdagate.harness.emulator.LambdaEmulator;
import dev.lambdagate.harness.emulator.LambdaEmulatorConfig;
import dev.lambdagate.harness.emulator.credentials.CredentialStore;
import dev.lambdagate.harness.host.ModuleUnderTest;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * End to end without Envoy: a java-control-plane ADS server (SimpleCache) configures the embedded
 * data plane exactly as it would configure Envoy; requests go through the real lambdagate.wasm to
 * the Lambda emulator.
 */
class EmbeddedDataPlaneTest {
  static final String NODE = "gateway-test-node";
  static final String GATEWAY = "default/http";
  static final String SEED_BODY = "{\"key1\":\"value1\",\"key2\":\"value2\"}";
  static final String EXPECTED =
      "{\"statusCode\":200,\"body\":\"Response from AWS Lambda. "
          + "Here's the request you just sent me: {\\\"key1\\\":\\\"value1\\\",\\\"key2\\\":"
          + "\\\"value2\\\"}\"}";
  static final String LAMBDA_CLUSTER = "lambdagate|default|lambda";
  static final String ECHO_ROUTE = "default/lambda/rule-0/match-0";

  static LambdaEmulator lambda;
  static TestAdsServer ads;
  static EmbeddedDataPlane plane;

  /**
   * The listener's port in the pushed config: 0, so the data plane binds an ephemeral port (as
   * Envoy does for {@code port_value: 0}); {@link #listenerPort()} reads the one it got.
   */
  static final int ANY_PORT = 0;

  /** The "dead" cluster's endpoint: refuses connections, and no other process can take it. */
  static RefusingPort dead;

  static final AtomicInteger versions = new AtomicInteger();
  static final List<String> log = new ArrayList<>();
  static final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  @BeforeAll
  static void start() throws Exception {
    lambda =
        LambdaEmulator.start(
            LambdaEmulatorConfig.builder().slowDelay(Duration.ofSeconds(3)).build());
    ads = new TestAdsServer().start();
    dead = new RefusingPort();
    plane =
        EmbeddedDataPlane.start(
            DataPlaneOptions.of(
                    "127.0.0.1",
                    ads.port(),
                    ads.credentials(GATEWAY),
                    NODE,
                    GATEWAY,
                    ModuleUnderTest.path())
                .withBindOverride("127.0.0.1")
                .withVmsPerListener(2)
                .withBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
                .withLog(
                    line -> {
                      synchronized (log) {
                        log.add(line);
                      }
                      System.err.println("[dataplane] " + line);
                    }));
  }

  @AfterAll
  static void stop() throws Exception {
    System.err.println(
        "[dataplane] latency through the embedded data plane: " + plane.latencySummary());
    plane.close();
    ads.close();
    lambda.close();
    dead.close();
  }

  @BeforeEach
  void baseConfig() throws Exception {
    String version = apply(baseRoutes(), baseListener());
    await(
        () ->
            version.equals(plane.acceptedVersions().get(XdsTranslator.ROUTE_TYPE))
                && version.equals(plane.acceptedVersions().get(XdsTranslator.LISTENER_TYPE))
                && plane.isReady(),
        "base snapshot " + version + " applied");
  }

  /**
   * Like Envoy with {@code set_node_on_first_message_only}, the node goes only on the first request
   * of each stream; the server fills it in (every test here gets its configuration).
   */
  @Test
  void theNodeGoesOnlyOnTheFirstRequestOfEachStream() {
    List<List<TestAdsServer.Recorded>> streams =
        ads.streams.stream().filter(st -> !st.isEmpty()).toList();
    assertThat(streams).isNotEmpty();
    for (var stream : streams) {
      assertThat(stream.get(0).hasNode()).isTrue();
      assertThat(stream.get(0).getNode().getId()).isEqualTo(NODE);
      assertThat(stream.subList(1, stream.size()))
          .as("later requests of the stream")
          .allSatisfy(r -> assertThat(r.hasNode()).isFalse());
    }
    assertThat(streams.get(0).size()).as("CDS, LDS, RDS and their ACKs").isGreaterThan(3);
  }

  @Test
  void postEchoReturnsTheLambdaResult() throws Exception {
    HttpResponse<String> r = post("/echo", SEED_BODY);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(EXPECTED);
    // what reached Lambda: signed by the filter, the route's backend, the emulator's echo
    assertThat(lambda.invocations().last().toString()).contains("echo");
  }

  /**
   * The admin {@code /stats}: the filter's metrics with Envoy's {@code wasmcustom.} prefix, sorted,
   * each name summed over the listener's two VMs (requests are spread over them).
   */
  @Test
  void statsSumTheFiltersMetricsOverTheVms() throws Exception {
    String rq2xx = "lambdagate.backend.default/lambda.rq_2xx";
    long before = plane.metrics().value(rq2xx);
    long samplesBefore = plane.metrics().histogram("lambdagate.filter_time_us").count();
    for (int i = 0; i < 6; i++) {
      assertThat(post("/echo", SEED_BODY).statusCode()).isEqualTo(200);
    }
    assertThat(plane.metrics().value(rq2xx) - before).isEqualTo(6);
    assertThat(plane.metrics().histogram("lambdagate.filter_time_us").count() - samplesBefore)
        .isEqualTo(6);
    String stats = plane.stats();
    assertThat(stats)
        .contains("wasmcustom." + rq2xx + ": " + plane.metrics().value(rq2xx) + "\n")
        .containsPattern("(?m)^wasmcustom\\.lambdagate\\.filter_time_us: count=\\d+ sum=\\d+");
    List<String> names = stats.lines().map(l -> l.substring(0, l.indexOf(": "))).toList();
    assertThat(names)
        .isSorted()
        .allSatisfy(n -> assertThat(n).startsWith("wasmcustom.lambdagate."));
  }

  @Test
  void aSnapshotUpdateAddsARouteLive() throws Exception {
    assertThat(post("/v2/echo", SEED_BODY).statusCode()).isEqualTo(404);
    List<Route> routes = new ArrayList<>(baseRoutes());
    routes.add(0, Xds.prefixRoute("default/lambda2/rule-0/match-0", "/v2/echo", LAMBDA_CLUSTER));
    String version = apply(routes, baseListener());
    await(
        () -> version.equals(plane.acceptedVersions().get(XdsTranslator.ROUTE_TYPE)),
        "RDS " + version);
    HttpResponse<String> r = post("/v2/echo", SEED_BODY);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(EXPECTED);
  }

  @Test
  void aNackedSnapshotKeepsTheOldConfigServing() throws Exception {
    String good = plane.acceptedVersions().get(XdsTranslator.LISTENER_TYPE);
    int nacksBefore = ads.nacks(XdsTranslator.LISTENER_TYPE).size();
    HttpFilter cors =
        HttpFilter.newBuilder()
            .setName("envoy.filters.http.cors")
            .setTypedConfig(Any.pack(Cors.getDefaultInstance()))
            .build();
    Listener bad =
        Xds.listener(
            "http",
            ANY_PORT,
            "http-routes",
            List.of(cors, Xds.wasmFilter(filterConfig()), Xds.router()));
    String version = apply(baseRoutes(), bad);
    await(() -> ads.nacks(XdsTranslator.LISTENER_TYPE).size() > nacksBefore, "an LDS NACK");
    var nack = ads.nacks(XdsTranslator.LISTENER_TYPE).get(nacksBefore);
    assertThat(nack.getErrorDetail().getMessage())
        .contains("unsupported http filter type")
        .contains("envoy.extensions.filters.http.cors.v3.Cors");
    // State of the world NACKs with the last accepted version; delta pairs by nonce alone.
    assertThat(nack.getVersionInfo()).isEqualTo(nack.delta() ? "" : good);
    assertThat(nack.delta()).isEqualTo(plane.adsApiType() == AdsApiType.DELTA_GRPC);
    assertThat(nack.getResponseNonce()).isNotEmpty();
    assertThat(plane.acceptedVersions().get(XdsTranslator.LISTENER_TYPE)).isEqualTo(good);
    assertThat(plane.lastRejections().get(XdsTranslator.LISTENER_TYPE)).contains("cors");
    HttpResponse<String> r = post("/echo", SEED_BODY);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(EXPECTED);
    // A state-of-the-world server re-sends the rejected snapshot at once (the re-NACKs stay slow);
    // a delta one does not re-send it. Waiting is the test: a data plane re-NACKing without
    // backoff would NACK hundreds of times in 1.5 s.
    Thread.sleep(1500);
    assertThat(ads.nacks(XdsTranslator.LISTENER_TYPE).size() - nacksBefore).isLessThan(5);
    assertThat(version).isNotEqualTo(good);
  }

  @Test
  void aFilterConfigTheFilterRejectsIsNackedWithItsMessage() throws Exception {
    int nacksBefore = ads.nacks(XdsTranslator.LISTENER_TYPE).size();
    Listener bad =
        Xds.listener(
            "http",
            ANY_PORT,
            "http-routes",
            List.of(Xds.wasmFilter("{\"lambda\": {\"region\": 5}}"), Xds.router()));
    apply(baseRoutes(), bad);
    await(() -> ads.nacks(XdsTranslator.LISTENER_TYPE).size() > nacksBefore, "an LDS NACK");
    assertThat(
            ads.nacks(XdsTranslator.LISTENER_TYPE).get(nacksBefore).getErrorDetail().getMessage())
        .contains("the filter rejected its configuration")
        .contains("lambdagate: config:");
    assertThat(post("/echo", SEED_BODY).body()).isEqualTo(EXPECTED);
  }

  @Test
  void changingTheFilterConfigUnderLoadFailsNoRequest() throws Exception {
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicInteger done = new AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean running =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    List<Thread> clients = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      Thread c =
          new Thread(
              () -> {
                while (running.get()) {
                  try {
                    HttpResponse<String> r = post("/echo", SEED_BODY);
                    if (r.statusCode() != 200 || !r.body().equals(EXPECTED)) {
                      failures.add(r.statusCode() + " " + r.body());
                    }
                    done.incrementAndGet();
                  } catch (Exception e) {
                    failures.add(e.toString());
                  }
                }
              });
      c.start();
      clients.add(c);
    }
    for (int i = 0; i < 3; i++) {
      String extra = ", \"default/extra-" + i + "\": {\"error\": \"unused\"}";
      String json =
          filterConfig()
              .replaceFirst(
                  "\\{\"backends\": \\{",
                  "{\"backends\": {\"default/x" + i + "\": {\"error\": \"unused\"},");
      Listener changed =
          Xds.listener(
              "http", ANY_PORT, "http-routes", List.of(Xds.wasmFilter(json), Xds.router()));
      String version = apply(baseRoutes(), changed);
      await(
          () -> version.equals(plane.acceptedVersions().get(XdsTranslator.LISTENER_TYPE)),
          "LDS " + version + extra);
      int doneAtChange = done.get();
      await(() -> done.get() >= doneAtChange + 6, "6 requests served under LDS " + version);
    }
    running.set(false);
    for (Thread c : clients) {
      c.join(30_000);
    }
    assertThat(failures).isEmpty();
    assertThat(done.get()).isGreaterThan(10);
  }

  @Test
  void noRouteIs404() throws Exception {
    long invocationsBefore = lambda.invocations().count();
    HttpResponse<String> r = post("/nothing-here", SEED_BODY);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEmpty();
    // A request no route matches never reaches the filter, so Lambda is not called.
    assertThat(lambda.invocations().count()).isEqualTo(invocationsBefore);
  }

  @Test
  void directResponseAndHeaderMatch() throws Exception {
    assertThat(get("/healthz", null).body()).isEqualTo("ok");
    HttpResponse<String> variant = get("/anything", "b");
    assertThat(variant.statusCode()).isEqualTo(200);
    assertThat(variant.body()).isEqualTo("variant b");
    assertThat(get("/anything", "c").statusCode()).isEqualTo(404);
  }

  @Test
  void upstreamTimeoutIs504AndConnectFailureIs503() throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> slow = post("/slow", SEED_BODY);
    assertThat(slow.statusCode()).isEqualTo(504);
    // The router's local reply passes back through the filter's response path, as in Envoy, and
    // the filter answers any non-2xx Invoke status with its generic lambda_api_error body.
    assertThat(slow.body())
        .startsWith("{\"error\":\"lambda_api_error\",\"message\":\"Gateway Timeout\"");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    HttpResponse<String> dead = post("/dead", SEED_BODY);
    assertThat(dead.statusCode()).isEqualTo(503);
    assertThat(dead.body()).startsWith("upstream connect error");
  }

  @Test
  void whenTheControlPlaneGoesAwayTheLastConfigKeepsServing() throws Exception {
    ads.stop();
    await(() -> !plane.connected(), "the ADS stream to end");
    HttpResponse<String> r = post("/echo", SEED_BODY);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(EXPECTED);
    // it comes back: the data plane reconnects and takes new snapshots again
    ads.start();
    List<Route> routes = new ArrayList<>(baseRoutes());
    routes.add(0, Xds.prefixRoute("default/back/rule-0/match-0", "/back", LAMBDA_CLUSTER));
    String version = apply(routes, baseListener());
    await(
        () -> version.equals(plane.acceptedVersions().get(XdsTranslator.ROUTE_TYPE)),
        "RDS " + version + " after reconnecting");
    assertThat(post("/back", SEED_BODY).body()).isEqualTo(EXPECTED);
  }

  @Test
  void aListenerOnATakenPortIsNackedWithAClearError() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      int nacksBefore = ads.nacks(XdsTranslator.LISTENER_TYPE).size();
      Listener second =
          Xds.listener("second", taken.getLocalPort(), "http-routes", List.of(Xds.router()));
      apply(baseRoutes(), baseListener(), second);
      await(() -> ads.nacks(XdsTranslator.LISTENER_TYPE).size() > nacksBefore, "an LDS NACK");
      assertThat(
              ads.nacks(XdsTranslator.LISTENER_TYPE).get(nacksBefore).getErrorDetail().getMessage())
          .contains("listener 'second': cannot bind 127.0.0.1:" + taken.getLocalPort());
      assertThat(post("/echo", SEED_BODY).body()).isEqualTo(EXPECTED);
    }
  }

  @Test
  void latencyOfOneHundredRequests() throws Exception {
    post("/echo", SEED_BODY);
    long start = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      assertThat(post("/echo", SEED_BODY).statusCode()).isEqualTo(200);
    }
    long micros = (System.nanoTime() - start) / 100 / 1000;
    System.err.println(
        "[dataplane] POST /echo through ADS-configured embedded data plane, "
            + "wasm filter, Lambda emulator: mean "
            + micros
            + " us per request (100 sequential)");
  }

  // ------------------------------------------------------------------------------ helpers

  static String filterConfig() {
    String backend =
        "{\"lambda\": {\"functionName\": \"%s\", \"region\": \"us-east-1\","
            + " \"endpoint\": \""
            + lambda.endpoint()
            + "\"},"
            + " \"credentials\": {\"accessKeyId\": \""
            + CredentialStore.TEST_ACCESS_KEY_ID
            + "\","
            + " \"secretAccessKey\": \""
            + CredentialStore.TEST_SECRET_ACCESS_KEY
            + "\"}}";
    return "{\"backends\": {\"default/lambda\": "
        + backend.formatted("echo")
        + ", \"default/slow\": "
        + backend.formatted("slow")
        + "},"
        + " \"routes\": {\""
        + ECHO_ROUTE
        + "\": \"default/lambda\","
        + " \"default/lambda2/rule-0/match-0\": \"default/lambda\","
        + " \"default/back/rule-0/match-0\": \"default/lambda\","
        + " \"slow-route\": \"default/slow\"},"
        + " \"clusters\": {\""
        + LAMBDA_CLUSTER
        + "\": \"default/lambda\"}}";
  }

  static Listener baseListener() {
    return Xds.listener(
        "http", ANY_PORT, "http-routes", List.of(Xds.wasmFilter(filterConfig()), Xds.router()));
  }

  static List<Route> baseRoutes() {
    Route variant =
        Route.newBuilder()
            .setName("variant-b")
            .setMatch(
                io.envoyproxy.envoy.config.route.v3.RouteMatch.newBuilder()
                    .setPrefix("/")
                    .addHeaders(HeaderMatcher.newBuilder().setName("x-variant").setExactMatch("b")))
            .setDirectResponse(
                io.envoyproxy.envoy.config.route.v3.DirectResponseAction.newBuilder()
                    .setStatus(200)
                    .setBody(
                        io.envoyproxy.envoy.config.core.v3.DataSource.newBuilder()
                            .setInlineString("variant b")))
            .build();
    return List.of(
        Xds.directRoute("healthz", "/healthz", 200, "ok"),
        Xds.prefixRoute(ECHO_ROUTE, "/echo", LAMBDA_CLUSTER),
        Xds.withTimeout(Xds.prefixRoute("slow-route", "/slow", LAMBDA_CLUSTER), 500),
        Xds.prefixRoute("dead-route", "/dead", "dead"),
        variant);
  }

  static String apply(List<Route> routes, Listener... listeners) {
    String version = "v" + versions.incrementAndGet();
    List<Cluster> clusters =
        List.of(
            Xds.cluster(LAMBDA_CLUSTER, "127.0.0.1", lambda.port()),
            Xds.cluster("dead", "127.0.0.1", dead.port()));
    RouteConfiguration rc = Xds.routes("http-routes", routes);
    ads.set(GATEWAY, version, clusters, List.of(listeners), List.of(rc));
    return version;
  }

  static HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listenerPort() + path))
            .timeout(Duration.ofSeconds(20))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(String path, String variant) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listenerPort() + path))
            .timeout(Duration.ofSeconds(20));
    if (variant != null) {
      b.header("x-variant", variant);
    }
    return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    await(plane, condition, what);
  }

  static void await(EmbeddedDataPlane plane, BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError(
        "timed out waiting for "
            + what
            + "; versions "
            + plane.acceptedVersions()
            + ", rejections "
            + plane.lastRejections());
  }

  /** The port the data plane bound for the "http" listener. */
  static int listenerPort() {
    int port = plane.listenerPort("http");
    assertThat(port).as("listener http is bound").isPositive();
    return port;
  }
}
