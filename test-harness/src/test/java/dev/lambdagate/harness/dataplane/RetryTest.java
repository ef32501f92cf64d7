package dev.lambdagate.harness.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.model.LambdaRetry;
import dev.lambdagate.controlplane.translate.EnvoyTranslator;
import dev.lambdagate.harness.emulator.LambdaEmulator;
import dev.lambdagate.harness.emulator.LambdaEmulatorConfig;
import dev.lambdagate.harness.host.ModuleUnderTest;
import io.envoyproxy.envoy.config.route.v3.Route;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The retry policy the control plane emits for a Backend's {@code spec.aws.lambda.retry}, applied
 * by the embedded data plane's router as Envoy's does, with the real filter signing and the Lambda
 * emulator throttling: a throttled Invoke is tried again and the client sees the function's answer;
 * past the attempts the client sees the last throttle; without a policy the first one.
 */
class RetryTest {
  static final String CLUSTER = EmbeddedDataPlaneTest.LAMBDA_CLUSTER;

  static LambdaEmulator lambda;
  static TestAdsServer ads;
  static EmbeddedDataPlane plane;
  static final AtomicInteger versions = new AtomicInteger();
  static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

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
                    "retry-node",
                    "default/http",
                    ModuleUnderTest.path())
                .withBindOverride("127.0.0.1")
                .withLog(line -> System.err.println("[dataplane] " + line)));
    LambdaRetry twoRetries = new LambdaRetry(2, LambdaRetry.DEFAULT_STATUS_CODES, 1, 10);
    Route retried = Xds.prefixRoute("retried", "/retried", CLUSTER);
    retried =
        retried.toBuilder()
            .setRoute(
                retried.getRoute().toBuilder()
                    .setRetryPolicy(EnvoyTranslator.retryPolicy(twoRetries)))
            .build();
    String backend =
        "{\"lambda\": {\"functionName\": \"echo\", \"region\": \"us-east-1\", \"endpoint\": \""
            + lambda.endpoint()
            + "\"}, \"credentials\": {\"accessKeyId\": \"AKIDEXAMPLE\", \"secretAccessKey\":"
            + " \"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\"}}";
    String json =
        "{\"backends\": {\"default/echo\": "
            + backend
            + "}, \"routes\": {\"retried\": \"default/echo\", \"once\": \"default/echo\"}}";
    String version = "v" + versions.incrementAndGet();
    ads.set(
        "default/http",
        version,
        List.of(Xds.cluster(CLUSTER, "127.0.0.1", lambda.port())),
        List.of(
            Xds.listener(
                "http",
                EmbeddedDataPlaneTest.ANY_PORT,
                "routes",
                List.of(Xds.wasmFilter(json), Xds.router()))),
        List.of(Xds.routes("routes", List.of(retried, Xds.prefixRoute("once", "/once", CLUSTER)))));
    EmbeddedDataPlaneTest.await(
        plane,
        () ->
            version.equals(plane.acceptedVersions().get(XdsTranslator.ROUTE_TYPE))
                && plane.isReady(),
        "snapshot " + version);
  }

  @AfterAll
  static void stop() throws Exception {
    plane.close();
    ads.close();
    lambda.close();
  }

  @Test
  void aThrottledInvokeIsRetriedAndTheClientSeesTheFunctionsAnswer() throws Exception {
    long before = lambda.invocations().count();
    lambda.throttle().throttleNext(2);
    HttpResponse<String> r = post("/retried", "{\"n\":1}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("the request you just sent me");
    assertThat(lambda.throttle().remaining()).as("both throttles were used").isZero();
    assertThat(lambda.invocations().count() - before)
        .as("three signed tries reached Lambda: two throttled, one ran")
        .isEqualTo(3);
    lambda
        .invocations()
        .all()
        .forEach(i -> assertThat(i.verification().isValid()).as(i.rawPath()).isTrue());
  }

  @Test
  void pastTheAttemptsTheClientSeesTheLastThrottle() throws Exception {
    lambda.throttle().throttleNext(3);
    HttpResponse<String> r = post("/retried", "{}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
    assertThat(lambda.throttle().remaining()).as("first try and two retries").isZero();
  }

  @Test
  void withoutAPolicyTheFirstThrottleIsTheAnswer() throws Exception {
    lambda.throttle().throttleNext(2);
    HttpResponse<String> r = post("/once", "{}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
    assertThat(lambda.throttle().remaining()).as("one try").isEqualTo(1);
    lambda.throttle().off();
  }

  static HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plane.listenerPort("http") + path))
            .timeout(Duration.ofSeconds(30))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
