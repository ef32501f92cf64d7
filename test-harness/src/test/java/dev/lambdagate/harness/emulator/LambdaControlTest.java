package dev.lambdagate.harness.emulator;

import static dev.lambdagate.harness.emulator.LambdaSignatureTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.harness.emulator.lambda.FunctionDefinition;
import dev.lambdagate.harness.emulator.lambda.FunctionResult;
import dev.lambdagate.harness.emulator.lambda.InvocationRecord;
import dev.lambdagate.harness.emulator.lambda.InvocationType;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What tests steer and observe: throttling, the invocation log, registered functions. */
class LambdaControlTest {

  static final String THROTTLED_BODY =
      "{\"Reason\":\"CallerRateLimitExceeded\",\"Type\":\"User\","
          + "\"message\":\"Rate exceeded\"}";

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

  @Test
  void throttleNextThrottlesExactlyThatMany() {
    lambda.throttle().throttleNext(2);

    for (int i = 0; i < 2; i++) {
      HttpResponse<byte[]> response = client.invoke("echo", "{}");
      assertError(response, 429, "TooManyRequestsException", THROTTLED_BODY);
      assertThat(response.headers().firstValue("Retry-After")).contains("1");
    }
    assertThat(client.invoke("echo", "{}").statusCode()).isEqualTo(200);
  }

  @Test
  void throttleAllUntilSwitchedOff() {
    lambda.throttle().throttleAll();
    assertThat(client.invoke("echo", "{}").statusCode()).isEqualTo(429);
    assertThat(client.invoke("echo", "{}").statusCode()).isEqualTo(429);

    lambda.throttle().off();
    assertThat(client.invoke("echo", "{}").statusCode()).isEqualTo(200);
  }

  @Test
  void throttleFromConfiguration() throws Exception {
    try (LambdaEmulator throttled =
        LambdaEmulator.start(LambdaEmulatorConfig.builder().clock(clock).throttleNext(1).build())) {
      LambdaClient throttledClient = new LambdaClient(throttled, clock);
      assertThat(throttledClient.invoke("echo", "{}").statusCode()).isEqualTo(429);
      assertThat(throttledClient.invoke("echo", "{}").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void logRecordsWhatArrivedAndWhatWasAnswered() {
    client.invoke(
        "echo", Map.of("Qualifier", "live"), Map.of("X-Amz-Client-Context", "e30="), "{\"k\":1}");
    client.credentials(
        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIDEXAMPLE", "x"));
    client.invoke("echo", "{}");

    assertThat(lambda.invocationCount()).isEqualTo(2);
    InvocationRecord first = lambda.invocations().all().get(0);
    assertThat(first.functionName()).isEqualTo("echo");
    assertThat(first.qualifier()).isEqualTo("live");
    assertThat(first.executedVersion()).isEqualTo("1");
    assertThat(first.invocationType()).isEqualTo(InvocationType.REQUEST_RESPONSE);
    assertThat(first.header("x-amz-client-context")).isEqualTo("e30=");
    assertThat(first.header("Authorization"))
        .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/");
    assertThat(first.bodyText()).isEqualTo("{\"k\":1}");
    assertThat(first.verification().isValid()).isTrue();
    assertThat(first.status()).isEqualTo(200);
    InvocationRecord second = lambda.invocations().all().get(1);
    assertThat(second.verification().isValid()).isFalse();
    assertThat(second.errorType()).isEqualTo("InvalidSignatureException");
    assertThat(second.toString()).doesNotContain("Signature=");

    lambda.invocations().clear();
    assertThat(lambda.invocationCount()).isZero();
    assertThat(lambda.invocations().all()).isEmpty();
  }

  @Test
  void registeredFunctionSeesEventAndContext() {
    lambda.register(
        FunctionDefinition.of(
                "teapot",
                (event, context) ->
                    new FunctionResult(
                        200,
                        Map.of("X-Custom", "yes"),
                        ("{\"event\":"
                                + new String(event, StandardCharsets.UTF_8)
                                + ",\"version\":\""
                                + context.executedVersion()
                                + "\"}")
                            .getBytes(StandardCharsets.UTF_8)))
            .withAlias("prod", "1"));

    HttpResponse<byte[]> response = client.invoke("teapot%3Aprod", "[1,2]");

    assertThat(SignedHttp.text(response)).isEqualTo("{\"event\":[1,2],\"version\":\"1\"}");
    assertThat(response.headers().firstValue("X-Custom")).contains("yes");
  }

  @Test
  void exceptionInAFunctionIsAnUnhandledError() {
    lambda.register(
        FunctionDefinition.of(
            "broken",
            (event, context) -> {
              throw new IllegalStateException("no way");
            }));

    HttpResponse<byte[]> response = client.invoke("broken", "{}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Amz-Function-Error")).contains("Unhandled");
    assertThat(SignedHttp.text(response))
        .startsWith("{\"errorMessage\":\"no way\",\"errorType\":\"IllegalStateException\"");
  }

  @Test
  void eventInvocationRunsTheFunctionInTheBackground() throws Exception {
    CompletableFuture<String> seen = new CompletableFuture<>();
    lambda.register(
        FunctionDefinition.of(
            "sink",
            (event, context) -> {
              seen.complete(
                  new String(event, StandardCharsets.UTF_8) + " " + context.invocationType());
              return FunctionResult.ok("null");
            }));

    assertThat(
            client
                .invoke("sink", Map.of(), Map.of("X-Amz-Invocation-Type", "Event"), "{\"x\":1}")
                .statusCode())
        .isEqualTo(202);
    assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo("{\"x\":1} EVENT");
  }

  @Test
  void slowFunctionDoesNotHoldUpOthers() throws Exception {
    CompletableFuture<HttpResponse<byte[]>> slow =
        CompletableFuture.supplyAsync(() -> client.invoke("slow", "{}"));
    long started = System.nanoTime();

    assertThat(client.invoke("echo", "{}").statusCode()).isEqualTo(200);

    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(1500);
    assertThat(slow.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }
}
