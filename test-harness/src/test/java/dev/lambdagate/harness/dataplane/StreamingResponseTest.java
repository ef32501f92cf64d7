package dev.lambdagate.harness.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.lambdagate.harness.emulator.LambdaEmulator;
import dev.lambdagate.harness.emulator.LambdaEmulatorConfig;
import dev.lambdagate.harness.emulator.lambda.FunctionDefinition;
import dev.lambdagate.harness.emulator.lambda.InvocationRecord;
import dev.lambdagate.harness.emulator.lambda.StreamingLambdaFunction;
import dev.lambdagate.harness.host.ModuleUnderTest;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * Streaming mode end to end in the embedded data plane: the filter calls the Lambda emulator's
 * {@code InvokeWithResponseStream}, whose frames come from the AWS SDK's own event-stream encoder,
 * and the client reads the decoded body while the function still runs. The listener keeps Envoy's
 * default 1 MiB buffer limit: a 20 MB stream passing proves nothing is buffered.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class StreamingResponseTest {
  static final String NODE = "streaming-node";
  static final String CLUSTER = EmbeddedDataPlaneTest.LAMBDA_CLUSTER;
  static final String BROKEN_CLUSTER = "broken-stream";
  static final int TWENTY_MB = 20 * 1024 * 1024;
  static final int PIECE = 64 * 1024;

  static LambdaEmulator lambda;
  static HttpServer brokenLambda;
  static TestAdsServer ads;
  static EmbeddedDataPlane plane;
  static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** Released by the test once the client has the first chunk; the gated function waits on it. */
  static volatile CountDownLatch clientHasFirstChunk = new CountDownLatch(1);

  /** Counted down by the gated function after its last write. */
  static volatile CountDownLatch functionFinished = new CountDownLatch(1);

  @BeforeAll
  static void start() throws Exception {
    lambda = LambdaEmulator.start(LambdaEmulatorConfig.builder().build());
    lambda.register(
        FunctionDefinition.of(
            "gated",
            (StreamingLambdaFunction)
                (event, context, out) -> {
                  out.writePrelude(
                      "{\"statusCode\":201,\"headers\":{\"x-from\":\"prelude\","
                          + "\"content-type\":\"text/plain\"},\"cookies\":[\"a=1\"]}");
                  out.write("first chunk;");
                  if (!clientHasFirstChunk.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the client never got the first chunk");
                  }
                  out.write("last chunk");
                  functionFinished.countDown();
                }));
    lambda.register(
        FunctionDefinition.of(
            "fails-midway",
            (StreamingLambdaFunction)
                (event, context, out) -> {
                  out.contentType("text/plain");
                  out.write("partial ");
                  throw new IllegalStateException("the function broke after its first chunk");
                }));
    lambda.register(
        FunctionDefinition.of(
            "twenty-mb",
            (StreamingLambdaFunction)
                (event, context, out) -> {
                  out.contentType("application/octet-stream");
                  for (int at = 0; at < TWENTY_MB; at += PIECE) {
                    out.write(pattern(at, PIECE));
                  }
                }));
    brokenLambda = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    brokenLambda.createContext("/", StreamingResponseTest::answerWithBadChecksum);
    brokenLambda.start();
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
    apply();
  }

  @AfterAll
  static void stop() throws Exception {
    if (plane != null) {
      plane.close();
    }
    if (ads != null) {
      ads.close();
    }
    if (brokenLambda != null) {
      brokenLambda.stop(0);
    }
    if (lambda != null) {
      lambda.close();
    }
  }

  @Test
  void theClientReadsTheFirstChunkBeforeTheFunctionHasFinished() throws Exception {
    clientHasFirstChunk = new CountDownLatch(1);
    functionFinished = new CountDownLatch(1);
    long sent = System.nanoTime();
    HttpResponse<InputStream> response = post("/gated", "{}");
    // Status and headers come from the HTTP-integration prelude, before the body.
    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.headers().firstValue("x-from")).contains("prelude");
    assertThat(response.headers().firstValue("content-type")).contains("text/plain");
    assertThat(response.headers().allValues("set-cookie")).containsExactly("a=1");
    assertThat(response.headers().firstValue("content-length")).isEmpty();
    try (InputStream body = response.body()) {
      String first = readExactly(body, "first chunk;".length());
      long firstByteNanos = System.nanoTime() - sent;
      assertThat(first).isEqualTo("first chunk;");
      // The function is still blocked before its last write: it cannot have finished.
      assertThat(functionFinished.getCount()).as("the function is still running").isEqualTo(1);
      clientHasFirstChunk.countDown();
      assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("last chunk");
      assertThat(functionFinished.await(10, TimeUnit.SECONDS)).isTrue();
      System.out.printf(
          "StreamingResponseTest time to first byte (embedded data plane, Chicory): %.1f ms%n",
          firstByteNanos / 1e6);
    }
    InvocationRecord call = lambda.invocations().all().get(lambda.invocations().all().size() - 1);
    assertThat(call.rawPath()).contains("/response-streaming-invocations");
    assertThat(call.verification().isValid()).isTrue();
  }

  @Test
  void aFunctionErrorAfterTheHeadResetsTheClientsConnection() throws Exception {
    long resetsBefore = resets("default/fails");
    HttpResponse<InputStream> response = post("/fails", "{}");
    assertThat(response.statusCode()).isEqualTo(200);
    try (InputStream body = response.body()) {
      // The bytes before the failure arrive; then the body breaks off instead of ending.
      assertThatThrownBy(body::readAllBytes).isInstanceOf(IOException.class);
    }
    assertThat(resets("default/fails")).isEqualTo(resetsBefore + 1);
  }

  @Test
  void aChecksumErrorAfterTheHeadResetsTheClientsConnection() throws Exception {
    long resetsBefore = resets("default/broken");
    HttpResponse<InputStream> response = post("/broken", "{}");
    assertThat(response.statusCode()).isEqualTo(200);
    try (InputStream body = response.body()) {
      assertThatThrownBy(body::readAllBytes).isInstanceOf(IOException.class);
    }
    assertThat(resets("default/broken")).isEqualTo(resetsBefore + 1);
  }

  @Test
  void twentyMegabytesPassWithTheFiltersMemoryUnchanged() throws Exception {
    // A first stream lets the VM reach its working size (buffers that grow once and stay).
    assertThat(drain(post("/twenty", "{}"))).isEqualTo(TWENTY_MB);
    int[] pagesBefore = plane.vmMemoryPages("http");
    long sent = System.nanoTime();
    HttpResponse<InputStream> response = post("/twenty", "{}");
    long headNanos = System.nanoTime() - sent;
    MessageDigest received = MessageDigest.getInstance("SHA-256");
    long total = 0;
    try (InputStream body = response.body()) {
      byte[] buffer = new byte[PIECE];
      for (int n; (n = body.read(buffer)) >= 0; ) {
        received.update(buffer, 0, n);
        total += n;
      }
    }
    long allNanos = System.nanoTime() - sent;
    int[] pagesAfter = plane.vmMemoryPages("http");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(total).isEqualTo(TWENTY_MB);
    MessageDigest expected = MessageDigest.getInstance("SHA-256");
    for (int at = 0; at < TWENTY_MB; at += PIECE) {
      expected.update(pattern(at, PIECE));
    }
    assertThat(received.digest()).isEqualTo(expected.digest());
    assertThat(pagesAfter).as("Wasm memory pages per VM").isEqualTo(pagesBefore);
    System.out.printf(
        "StreamingResponseTest 20 MiB stream (embedded data plane, Chicory): head after %.1f ms,"
            + " whole body %.0f ms (%.1f MB/s), VM memory %s pages before and after%n",
        headNanos / 1e6,
        allNanos / 1e6,
        TWENTY_MB / (allNanos / 1e9) / 1e6,
        Arrays.toString(pagesAfter));
  }

  static long resets(String backend) {
    return plane.metrics().value("lambdagate.backend." + backend + ".stream_reset");
  }

  /** Deterministic bytes of the 20 MB body: each piece differs. */
  static byte[] pattern(int at, int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) ((at + i) * 31 + (at >>> 16));
    }
    return b;
  }

  static long drain(HttpResponse<InputStream> response) throws IOException {
    try (InputStream in = response.body()) {
      return in.transferTo(OutputStream.nullOutputStream());
    }
  }

  static String readExactly(InputStream in, int length) throws IOException {
    byte[] b = in.readNBytes(length);
    return new String(b, StandardCharsets.UTF_8);
  }

  /**
   * A stand-in for Lambda whose stream breaks: one good {@code PayloadChunk}, then an event whose
   * message checksum is wrong (encoded by the AWS SDK's codec, then one payload byte flipped).
   */
  static void answerWithBadChecksum(com.sun.net.httpserver.HttpExchange exchange)
      throws IOException {
    exchange.getRequestBody().readAllBytes();
    exchange.getResponseHeaders().set("Content-Type", "text/plain");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(event("good bytes ".getBytes(StandardCharsets.UTF_8)));
      out.flush();
      byte[] bad = event("bad bytes".getBytes(StandardCharsets.UTF_8));
      bad[bad.length - 6] ^= 0x01;
      out.write(bad);
      out.flush();
    }
  }

  static byte[] event(byte[] payload) throws IOException {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":event-type", HeaderValue.fromString("PayloadChunk"));
    headers.put(":content-type", HeaderValue.fromString("application/octet-stream"));
    headers.put(":message-type", HeaderValue.fromString("event"));
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    new Message(headers, payload).encode(b);
    return b.toByteArray();
  }

  static void apply() throws Exception {
    String credentials =
        ", \"credentials\": {\"accessKeyId\": \"AKIDEXAMPLE\","
            + " \"secretAccessKey\": \"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\"}}";
    String streaming =
        "{\"lambda\": {\"functionName\": \"%s\", \"region\": \"us-east-1\","
            + " \"responseMode\": \"Streaming\", \"endpoint\": \"%s\"}"
            + credentials;
    String broken = "http://127.0.0.1:" + brokenLambda.getAddress().getPort();
    String json =
        "{\"backends\": {"
            + "\"default/gated\": "
            + streaming.formatted("gated", lambda.endpoint())
            + ", \"default/fails\": "
            + streaming.formatted("fails-midway", lambda.endpoint())
            + ", \"default/twenty\": "
            + streaming.formatted("twenty-mb", lambda.endpoint())
            + ", \"default/broken\": "
            + streaming.formatted("broken", broken)
            + "}, \"routes\": {\"gated\": \"default/gated\", \"fails\": \"default/fails\","
            + " \"twenty\": \"default/twenty\", \"broken\": \"default/broken\"}}";
    Listener listener =
        Xds.listener(
            "http",
            EmbeddedDataPlaneTest.ANY_PORT,
            "routes",
            List.of(Xds.wasmFilter(json), Xds.router()));
    RouteConfiguration rc =
        Xds.routes(
            "routes",
            List.of(
                Xds.prefixRoute("gated", "/gated", CLUSTER),
                Xds.prefixRoute("fails", "/fails", CLUSTER),
                Xds.prefixRoute("twenty", "/twenty", CLUSTER),
                Xds.prefixRoute("broken", "/broken", BROKEN_CLUSTER)));
    ads.set(
        "default/http",
        "v1",
        List.of(
            Xds.cluster(CLUSTER, "127.0.0.1", lambda.port()),
            Xds.cluster(BROKEN_CLUSTER, "127.0.0.1", brokenLambda.getAddress().getPort())),
        List.of(listener),
        List.of(rc));
    EmbeddedDataPlaneTest.await(
        plane,
        () -> "v1".equals(plane.acceptedVersions().get(XdsTranslator.LISTENER_TYPE)),
        "snapshot v1");
    EmbeddedDataPlaneTest.await(plane, plane::isReady, "ready");
  }

  static HttpResponse<InputStream> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plane.listenerPort("http") + path))
            .timeout(Duration.ofSeconds(60))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofInputStream());
  }
}
