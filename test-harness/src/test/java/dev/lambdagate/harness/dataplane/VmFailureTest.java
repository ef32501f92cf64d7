package dev.lambdagate.harness.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.runtime.TrapException;
import com.google.protobuf.Any;
import dev.lambdagate.harness.emulator.LambdaEmulator;
import dev.lambdagate.harness.emulator.LambdaEmulatorConfig;
import dev.lambdagate.harness.emulator.lambda.InvocationRecord;
import dev.lambdagate.harness.host.HostClock;
import dev.lambdagate.harness.host.ModuleUnderTest;
import io.envoyproxy.envoy.config.core.v3.BackoffStrategy;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.wasm.v3.Wasm;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.wasm.v3.FailurePolicy;
import io.envoyproxy.envoy.extensions.wasm.v3.ReloadConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A filter VM that traps mid-stream (inside the clock read the filter makes while signing, the
 * test's hook) fails that request with 503 and forwards nothing: the Lambda emulator, which records
 * every request it receives, never sees one without a valid signature. With FAIL_RELOAD a fresh VM
 * serves the next request once the backoff allows; with FAIL_CLOSED the failed VM keeps answering
 * 503 until the configuration changes — Envoy's two policies. The plane speaks state-of-the-world
 * ADS here ({@code api_type: GRPC}), so that client keeps an end-to-end test beside the delta
 * default the other end-to-end tests use.
 */
class VmFailureTest {
  static final String NODE = "vm-failure-node";
  static final String CLUSTER = EmbeddedDataPlaneTest.LAMBDA_CLUSTER;
  static final String ROUTE = EmbeddedDataPlaneTest.ECHO_ROUTE;

  static LambdaEmulator lambda;
  static TestAdsServer ads;
  static EmbeddedDataPlane plane;
  static final AtomicBoolean trap = new AtomicBoolean();
  static final AtomicInteger versions = new AtomicInteger();
  static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** Reloads before the test: the plane (and its module) is shared by the tests. */
  long reloadsBefore;

  static final AtomicInteger tests = new AtomicInteger();
  int testId;

  @BeforeAll
  static void start() throws Exception {
    lambda = LambdaEmulator.start(LambdaEmulatorConfig.builder().build());
    ads = new TestAdsServer().start();
    plane =
        EmbeddedDataPlane.start(
            DataPlaneOptions.of(
                    "127.0.0.1",
                    ads.port(),
                    ads.credentials("default/http"),
                    NODE,
                    "default/http",
                    ModuleUnderTest.path())
                .withBindOverride("127.0.0.1")
                .withBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
                .withAdsApiType(AdsApiType.GRPC)
                .withLog(line -> System.err.println("[dataplane] " + line)));
    plane.useVmClock(
        () -> {
          if (trap.get()) {
            throw new TrapException("test: the VM traps mid-stream");
          }
          return HostClock.SYSTEM.epochNanos();
        });
  }

  @BeforeEach
  void reset() {
    trap.set(false);
    reloadsBefore = plane.vmReloads();
    testId = tests.incrementAndGet();
  }

  @AfterAll
  static void stop() throws Exception {
    plane.close();
    ads.close();
    lambda.close();
  }

  @Test
  void failReloadFailsTheStreamForwardsNothingAndAFreshVmServesTheNextRequest() throws Exception {
    apply(FailurePolicy.FAIL_RELOAD, filterConfig("echo"));
    assertThat(post().statusCode()).isEqualTo(200);
    long seen = lambda.invocations().count();

    trap.set(true);
    HttpResponse<String> failed = post();
    assertThat(failed.statusCode()).isEqualTo(503);
    assertThat(lambda.invocations().count()).as("nothing forwarded").isEqualTo(seen);
    trap.set(false);

    // FAIL_RELOAD: once the base interval (1 s) since the VM's load has passed, the next
    // request starts a fresh VM; until then requests fail closed
    HttpResponse<String> next = postUntil200();
    assertThat(next.body()).isEqualTo(EmbeddedDataPlaneTest.EXPECTED);
    assertThat(plane.vmReloads() - reloadsBefore).isEqualTo(1);
    everyRequestLambdaSawWasSigned();

    // a reloaded VM that fails again at once waits out the backoff: 503 meanwhile
    trap.set(true);
    assertThat(post().statusCode()).isEqualTo(503);
    trap.set(false);
    assertThat(post().statusCode()).as("within the backoff").isEqualTo(503);
    assertThat(postUntil200().statusCode()).isEqualTo(200);
    assertThat(plane.vmReloads() - reloadsBefore).isEqualTo(2);
    assertThat(lambda.invocations().count()).isEqualTo(seen + 2);
    everyRequestLambdaSawWasSigned();
  }

  HttpResponse<String> postUntil200() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    HttpResponse<String> r = post();
    while (r.statusCode() != 200 && System.nanoTime() < deadline) {
      assertThat(r.statusCode()).isEqualTo(503);
      Thread.sleep(100);
      r = post();
    }
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r;
  }

  @Test
  void failClosedKeepsFailingUntilTheConfigurationChanges() throws Exception {
    apply(FailurePolicy.FAIL_CLOSED, filterConfig("echo"));
    assertThat(post().statusCode()).isEqualTo(200);
    long seen = lambda.invocations().count();
    trap.set(true);
    assertThat(post().statusCode()).isEqualTo(503);
    trap.set(false);
    // Waiting is the test: past the reload backoff's base interval (1 s), when FAIL_RELOAD would
    // have started a fresh VM, FAIL_CLOSED still answers 503.
    Thread.sleep(1100);
    assertThat(post().statusCode()).isEqualTo(503);
    assertThat(lambda.invocations().count()).isEqualTo(seen);
    assertThat(plane.vmReloads() - reloadsBefore).isZero();

    String version =
        apply(
            FailurePolicy.FAIL_CLOSED,
            filterConfig("echo")
                .replace(
                    "{\"backends\": {", "{\"backends\": {\"default/x\": {\"error\": \"unused\"},"));
    EmbeddedDataPlaneTest.await(
        plane,
        () -> version.equals(plane.acceptedVersions().get(XdsTranslator.LISTENER_TYPE)),
        "LDS " + version);
    assertThat(post().statusCode()).isEqualTo(200);
    everyRequestLambdaSawWasSigned();
  }

  /**
   * The race a retired listener leaves: a request still reaches it after its VMs were closed. It
   * gets 503 and nothing is forwarded (the client's own Authorization never reaches Lambda).
   */
  @Test
  void aListenerWhoseVmsAreClosedAnswers503AndForwardsNothing() throws Exception {
    apply(FailurePolicy.FAIL_RELOAD, filterConfig("echo"));
    assertThat(post().statusCode()).isEqualTo(200);
    long seen = lambda.invocations().count();
    plane.listenerServer("http").active().vms().retire();
    assertThat(post().statusCode()).isEqualTo(503);
    assertThat(lambda.invocations().count()).isEqualTo(seen);
    everyRequestLambdaSawWasSigned();
    testId = tests.incrementAndGet(); // a new configuration brings new VMs
    apply(FailurePolicy.FAIL_RELOAD, filterConfig("echo"));
    assertThat(post().statusCode()).isEqualTo(200);
  }

  @Test
  void failOpenIsRejected() throws Exception {
    String good = apply(FailurePolicy.FAIL_RELOAD, filterConfig("echo"));
    int before = ads.nacks(XdsTranslator.LISTENER_TYPE).size();
    applyUnchecked(FailurePolicy.FAIL_OPEN, filterConfig("echo"));
    EmbeddedDataPlaneTest.await(
        plane, () -> ads.nacks(XdsTranslator.LISTENER_TYPE).size() > before, "an LDS NACK");
    assertThat(ads.nacks(XdsTranslator.LISTENER_TYPE).get(before).getErrorDetail().getMessage())
        .contains("FAIL_OPEN")
        .contains("unsigned");
    assertThat(plane.acceptedVersions().get(XdsTranslator.LISTENER_TYPE)).isEqualTo(good);
  }

  void everyRequestLambdaSawWasSigned() {
    for (InvocationRecord r : lambda.invocations().all()) {
      assertThat(r.verification().isValid())
          .as(r.rawPath() + " " + r.verification().detail())
          .isTrue();
    }
  }

  /** Unique per test, so each test starts with fresh VMs (a changed plugin configuration). */
  String filterConfig(String function) {
    return "{\"backends\": {\"default/test-"
        + testId
        + "\": {\"error\": \"unused\"},"
        + " \"default/lambda\": {\"lambda\": {\"functionName\": \""
        + function
        + "\", \"region\": \"us-east-1\", \"endpoint\": \""
        + lambda.endpoint()
        + "\"},"
        + " \"credentials\": {\"accessKeyId\": \"AKIDEXAMPLE\","
        + " \"secretAccessKey\": \"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\"}}},"
        + " \"routes\": {\""
        + ROUTE
        + "\": \"default/lambda\"}}";
  }

  String apply(FailurePolicy policy, String json) throws Exception {
    String version = applyUnchecked(policy, json);
    EmbeddedDataPlaneTest.await(
        plane,
        () ->
            version.equals(plane.acceptedVersions().get(XdsTranslator.LISTENER_TYPE))
                && plane.isReady(),
        "snapshot " + version);
    return version;
  }

  String applyUnchecked(FailurePolicy policy, String json) throws Exception {
    HttpFilter wasm = Xds.wasmFilter(json);
    Wasm config = wasm.getTypedConfig().unpack(Wasm.class);
    Wasm withPolicy =
        config.toBuilder()
            .setConfig(
                config.getConfig().toBuilder()
                    .setFailurePolicy(policy)
                    .setReloadConfig(
                        ReloadConfig.newBuilder()
                            .setBackoff(
                                BackoffStrategy.newBuilder()
                                    .setBaseInterval(
                                        com.google.protobuf.Duration.newBuilder().setSeconds(1))
                                    .setMaxInterval(
                                        com.google.protobuf.Duration.newBuilder().setSeconds(4)))))
            .build();
    Listener listener =
        Xds.listener(
            "http",
            EmbeddedDataPlaneTest.ANY_PORT,
            "routes",
            List.of(wasm.toBuilder().setTypedConfig(Any.pack(withPolicy)).build(), Xds.router()));
    RouteConfiguration rc = Xds.routes("routes", List.of(Xds.prefixRoute(ROUTE, "/echo", CLUSTER)));
    String version = "v" + versions.incrementAndGet();
    ads.set(
        "default/http",
        version,
        List.of(Xds.cluster(CLUSTER, "127.0.0.1", lambda.port())),
        List.of(listener),
        List.of(rc));
    return version;
  }

  HttpResponse<String> post() throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + plane.listenerPort("http") + "/echo"))
            .timeout(Duration.ofSeconds(20))
            .header("content-type", "application/json")
            .header("authorization", "Bearer client-token-that-must-never-reach-lambda")
            .POST(HttpRequest.BodyPublishers.ofString(EmbeddedDataPlaneTest.SEED_BODY))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
