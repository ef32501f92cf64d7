package dev.lambdagate.harness.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.harness.emulator.lambda.FunctionDefinition;
import dev.lambdagate.harness.emulator.lambda.FunctionResult;
import dev.lambdagate.harness.emulator.lambda.StreamingLambdaFunction;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.Message;
import software.amazon.eventstream.MessageDecoder;

/**
 * The emulator's {@code InvokeWithResponseStream} route, read with the AWS SDK's own event-stream
 * decoder: events arrive as the function writes them, buffered functions arrive in pieces, errors
 * end the stream in {@code InvokeComplete}.
 */
class LambdaStreamingTest {
  private final SettableClock clock = SettableClock.at("2026-01-01T12:00:00Z");
  private LambdaEmulator lambda;
  private LambdaClient client;

  @BeforeEach
  void start() throws Exception {
    lambda = LambdaEmulator.start(LambdaEmulatorConfig.builder().clock(clock).build());
    client = new LambdaClient(lambda, clock);
  }

  @AfterEach
  void stop() {
    lambda.close();
  }

  HttpResponse<InputStream> open(String function, Map<String, String> headers, String body) {
    return SignedHttp.open(
        SignedHttp.sign(
            "POST",
            lambda.endpoint(),
            "/2021-11-15/functions/" + function + "/response-streaming-invocations",
            Map.of(),
            headers,
            body.getBytes(StandardCharsets.UTF_8),
            LambdaClient.TEST_KEY,
            lambda.region(),
            "lambda",
            clock.instant()));
  }

  /** Reads events until {@code count} have arrived (or the stream ends). */
  static List<Message> read(InputStream in, MessageDecoder decoder, List<Message> got, int count)
      throws IOException {
    byte[] buffer = new byte[8192];
    while (got.size() < count) {
      int n = in.read(buffer);
      if (n < 0) {
        break;
      }
      decoder.feed(buffer, 0, n);
    }
    return got;
  }

  static String type(Message m) {
    return m.getHeaders().get(":event-type").getString();
  }

  static String text(Message m) {
    return new String(m.getPayload(), StandardCharsets.UTF_8);
  }

  @Test
  void eachWriteArrivesBeforeTheFunctionGoesOn() throws Exception {
    CountDownLatch firstRead = new CountDownLatch(1);
    lambda.register(
        FunctionDefinition.of(
            "ticker",
            (StreamingLambdaFunction)
                (event, context, out) -> {
                  out.contentType("text/plain");
                  out.write("tick ");
                  // The function only goes on once the caller has read the first piece: the
                  // piece must have been sent while the function was still running.
                  if (!firstRead.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the first piece never reached the caller");
                  }
                  out.write("tock");
                }));
    HttpResponse<InputStream> response = open("ticker", Map.of(), "{}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("text/plain");
    assertThat(response.headers().firstValue("X-Amz-Executed-Version")).contains("$LATEST");
    List<Message> got = new ArrayList<>();
    MessageDecoder decoder = new MessageDecoder(got::add);
    try (InputStream in = response.body()) {
      read(in, decoder, got, 1);
      assertThat(got).hasSize(1);
      assertThat(type(got.get(0))).isEqualTo("PayloadChunk");
      assertThat(text(got.get(0))).isEqualTo("tick ");
      firstRead.countDown();
      read(in, decoder, got, 3);
    }
    assertThat(got)
        .extracting(LambdaStreamingTest::type)
        .containsExactly("PayloadChunk", "PayloadChunk", "InvokeComplete");
    assertThat(text(got.get(1))).isEqualTo("tock");
    assertThat(text(got.get(2))).isEqualTo("{}");
  }

  @Test
  void bufferedFunctionArrivesInPiecesAndInvokeBuffersAStreamingOne() throws Exception {
    String big = "x".repeat(100_000);
    lambda.register(FunctionDefinition.of("big", (event, context) -> FunctionResult.ok(big)));
    List<Message> got = new ArrayList<>();
    try (InputStream in = open("big", Map.of(), "{}").body()) {
      read(in, new MessageDecoder(got::add), got, Integer.MAX_VALUE);
    }
    StringBuilder payload = new StringBuilder();
    got.stream().filter(m -> type(m).equals("PayloadChunk")).forEach(m -> payload.append(text(m)));
    assertThat(payload.toString()).isEqualTo(big);
    assertThat(got).hasSizeGreaterThan(2);
    assertThat(type(got.get(got.size() - 1))).isEqualTo("InvokeComplete");

    lambda.register(
        FunctionDefinition.of(
            "pieces",
            (StreamingLambdaFunction)
                (event, context, out) -> {
                  out.write("a");
                  out.write("b");
                }));
    assertThat(SignedHttp.text(client.invoke("pieces", "{}"))).isEqualTo("ab");
  }

  @Test
  void failuresEndTheStreamInInvokeComplete() throws Exception {
    lambda.register(
        FunctionDefinition.of(
            "fails",
            (StreamingLambdaFunction)
                (event, context, out) -> {
                  out.write("partial");
                  throw new IllegalStateException("boom");
                }));
    List<Message> got = new ArrayList<>();
    try (InputStream in = open("fails", Map.of(), "{}").body()) {
      read(in, new MessageDecoder(got::add), got, Integer.MAX_VALUE);
    }
    assertThat(got)
        .extracting(LambdaStreamingTest::type)
        .containsExactly("PayloadChunk", "InvokeComplete");
    assertThat(text(got.get(1))).contains("\"ErrorCode\":\"Unhandled\"").contains("boom");
  }

  @Test
  void eventInvocationIsRefusedAsLambdaDoes() {
    HttpResponse<InputStream> response =
        open("echo", Map.of("X-Amz-Invocation-Type", "Event"), "{}");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("x-amzn-ErrorType"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("ValidationException"));
  }
}
