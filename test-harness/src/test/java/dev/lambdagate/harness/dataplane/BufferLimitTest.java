package dev.lambdagate.harness.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.UInt32Value;
import dev.lambdagate.controlplane.model.EdgeLimits;
import dev.lambdagate.controlplane.translate.EdgeHardening;
import dev.lambdagate.harness.emulator.LambdaEmulator;
import dev.lambdagate.harness.emulator.LambdaEmulatorConfig;
import dev.lambdagate.harness.emulator.lambda.FunctionDefinition;
import dev.lambdagate.harness.emulator.lambda.FunctionResult;
import dev.lambdagate.harness.emulator.lambda.InvocationRecord;
import dev.lambdagate.harness.host.ModuleUnderTest;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
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
 * Envoy's stream buffer limit, as the embedded data plane enforces it from the listener it is
 * given: without {@code per_connection_buffer_limit_bytes} (Envoy's 1 MiB default) a 2 MB request
 * the filter must buffer is answered 413 and a 2 MB Lambda result the filter holds to unwrap 500,
 * and nothing unsigned reaches Lambda; with the limit the control plane emits (8 MiB) both pass.
 */
class BufferLimitTest {
  static final String NODE = "buffer-limit-node";
  static final String CLUSTER = EmbeddedDataPlaneTest.LAMBDA_CLUSTER;

  /** Over Envoy's 1 MiB default, well under Lambda's 6 MB. */
  static final int TWO_MB = 2_000_003;

  static LambdaEmulator lambda;
  static TestAdsServer ads;
  static EmbeddedDataPlane plane;
  static final AtomicInteger versions = new AtomicInteger();
  static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    lambda = LambdaEmulator.start(LambdaEmulatorConfig.builder().build());
    String big = "{\"statusCode\":200,\"body\":\"" + "b".repeat(TWO_MB) + "\"}";
    lambda.register(FunctionDefinition.of("big", (event, context) -> FunctionResult.ok(big)));
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
                .withLog(line -> System.err.println("[dataplane] " + line)));
  }

  @AfterAll
  static void stop() throws Exception {
    plane.close();
    ads.close();
    lambda.close();
  }

  @Test
  void withoutALimitEnvoysDefaultAnswers413And500AndForwardsNothing() throws Exception {
    apply(null);
    long seen = lambda.invocations().count();
    HttpResponse<String> tooLarge = post("/echo", jsonOf(TWO_MB));
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(tooLarge.body()).isEqualTo("Payload Too Large");
    assertThat(lambda.invocations().count()).as("nothing forwarded").isEqualTo(seen);

    HttpResponse<String> bigResult = post("/big", "{}");
    assertThat(bigResult.statusCode()).isEqualTo(500);
    assertThat(bigResult.body()).isEqualTo("Internal Server Error");
    everyRequestLambdaSawWasSigned();
  }

  @Test
  void theControlPlanesLimitLetsLambdaSizedPayloadsThrough() throws Exception {
    UInt32Value emitted = EdgeHardening.bufferLimit(EdgeLimits.DEFAULTS);
    assertThat(emitted.getValue()).isEqualTo(8 * 1024 * 1024);
    apply(emitted);
    String body = jsonOf(TWO_MB);
    HttpResponse<String> r = post("/echo", body);
    assertThat(r.statusCode())
        .as(r.body().length() > 300 ? r.body().substring(0, 300) : r.body())
        .isEqualTo(200);
    assertThat(r.body()).contains("a".repeat(TWO_MB - 10));
    HttpResponse<String> bigResult = post("/big", "{}");
    assertThat(bigResult.statusCode()).isEqualTo(200);
    assertThat(bigResult.body()).contains("b".repeat(TWO_MB));
    everyRequestLambdaSawWasSigned();
  }

  /** A JSON document of {@code size} bytes (the function's event is the body: it must parse). */
  static String jsonOf(int size) {
    return "{\"k\":\"" + "a".repeat(size - 8) + "\"}";
  }

  static void everyRequestLambdaSawWasSigned() {
    for (InvocationRecord r : lambda.invocations().all()) {
      assertThat(r.verification().isValid()).as(r.rawPath()).isTrue();
    }
  }

  static void apply(UInt32Value limit) throws Exception {
    String backend =
        "{\"lambda\": {\"functionName\": \"%s\", \"region\": \"us-east-1\",%s"
            + " \"endpoint\": \""
            + lambda.endpoint()
            + "\"}, \"credentials\": {\"accessKeyId\":"
            + " \"AKIDEXAMPLE\", \"secretAccessKey\": \"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\"}}";
    String json =
        "{\"backends\": {\"default/echo\": "
            + backend.formatted("echo", "")
            + ", \"default/big\": "
            // A transform mode: the filter holds the result to unwrap it (None passes it on).
            + backend.formatted("big", " \"payloadTransformMode\": \"ApiGatewayV2\",")
            + "}, \"routes\": {"
            + "\"echo\": \"default/echo\", \"big\": \"default/big\"}}";
    Listener listener =
        Xds.listener(
            "http",
            EmbeddedDataPlaneTest.ANY_PORT,
            "routes",
            List.of(Xds.wasmFilter(json), Xds.router()));
    if (limit != null) {
      listener = listener.toBuilder().setPerConnectionBufferLimitBytes(limit).build();
    }
    RouteConfiguration rc =
        Xds.routes(
            "routes",
            List.of(
                Xds.prefixRoute("echo", "/echo", CLUSTER),
                Xds.prefixRoute("big", "/big", CLUSTER)));
    String version = "v" + versions.incrementAndGet();
    ads.set(
        "default/http",
        version,
        List.of(Xds.cluster(CLUSTER, "127.0.0.1", lambda.port())),
        List.of(listener),
        List.of(rc));
    EmbeddedDataPlaneTest.await(
        plane,
        () ->
            version.equals(plane.acceptedVersions().get(XdsTranslator.LISTENER_TYPE))
                && plane.isReady(),
        "snapshot " + version);
  }

  static HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plane.listenerPort("http") + path))
            .timeout(Duration.ofSeconds(60))
            .header("content-type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
