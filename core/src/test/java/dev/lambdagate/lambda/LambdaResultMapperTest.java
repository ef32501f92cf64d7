package dev.lambdagate.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.config.FilterConfigParser;
import dev.lambdagate.config.LambdaBackend;
import dev.lambdagate.config.LambdaConfig;
import dev.lambdagate.config.PayloadTransformMode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LambdaResultMapperTest {

  private static final String SEED_RESULT =
      "{\"statusCode\":200,\"body\":\"Response from AWS Lambda. Here's the "
          + "request you just sent me: {\\\"key1\\\":\\\"value1\\\",\\\"key2\\\":\\\"value2\\\"}\"}";

  private static final HeaderList LAMBDA_OK =
      HeaderList.of(
          "Content-Type", "application/json",
          "x-amzn-RequestId", "7f2b6c4e-0000-4000-8000-000000000001",
          "X-Amz-Executed-Version", "$LATEST",
          "x-amzn-Remapped-Content-Length", "0");

  @Test
  void noneModeReturnsTheSeedResultUnchanged() {
    HttpResponse response = map(200, LAMBDA_OK, SEED_RESULT, PayloadTransformMode.NONE, 502);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.bodyText()).isEqualTo(SEED_RESULT);
    assertThat(response.headers()).isEqualTo(HeaderList.of("content-type", "application/json"));
  }

  @Test
  void otherModesUnwrapTheResult() {
    HttpResponse response =
        map(200, LAMBDA_OK, SEED_RESULT, PayloadTransformMode.API_GATEWAY_V1, 502);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.bodyText()).startsWith("Response from AWS Lambda.");
  }

  @Test
  void aFunctionErrorGetsTheConfiguredStatusAndKeepsTheErrorBody() {
    String error = "{\"errorMessage\":\"boom\",\"errorType\":\"Error\",\"stackTrace\":[]}";
    HeaderList headers =
        HeaderList.of("Content-Type", "application/json", "X-Amz-Function-Error", "Unhandled");

    for (PayloadTransformMode mode : PayloadTransformMode.values()) {
      HttpResponse response = map(200, headers, error, mode, 502);

      assertThat(response.status()).isEqualTo(502);
      assertThat(response.bodyText()).isEqualTo(error);
      assertThat(response.headers())
          .isEqualTo(
              HeaderList.of(
                  "content-type", "application/json", "x-lambdagate-function-error", "Unhandled"));
    }
    assertThat(map(200, headers, error, PayloadTransformMode.NONE, 200).status()).isEqualTo(200);
    assertThat(map(200, headers, error, PayloadTransformMode.NONE, 500).status()).isEqualTo(500);
  }

  @Test
  void aFunctionThatRanOutOfTimeGets504UnlessLambdasStatusIsKept() {
    HeaderList headers =
        HeaderList.of("Content-Type", "application/json", "X-Amz-Function-Error", "Unhandled");
    // Older runtimes, then the newer Sandbox.Timedout shape.
    String old =
        "{\"errorMessage\":\"2024-01-01T00:00:00.000Z 1b2c Task timed out after 3.00 seconds\"}";
    String sandbox =
        "{\"errorType\":\"Sandbox.Timedout\",\"errorMessage\":\"RequestId: 1b2c Error: Task timed"
            + " out after 3.00 seconds\"}";
    for (String body : new String[] {old, sandbox}) {
      HttpResponse response = map(200, headers, body, PayloadTransformMode.ENVOY, 502);
      assertThat(response.status()).isEqualTo(504);
      assertThat(response.bodyText()).isEqualTo(body);
      assertThat(response.headers().get("x-lambdagate-function-error")).isEqualTo("Unhandled");
      assertThat(map(200, headers, body, PayloadTransformMode.NONE, 500).status()).isEqualTo(504);
      assertThat(map(200, headers, body, PayloadTransformMode.NONE, 200).status()).isEqualTo(200);
    }
    // A function's own error that merely mentions timing out is not Lambda's timeout.
    String own = "{\"errorMessage\":\"upstream timed out\",\"errorType\":\"Error\"}";
    assertThat(map(200, headers, own, PayloadTransformMode.ENVOY, 502).status()).isEqualTo(502);
  }

  @Test
  void asyncAndDryRunAnswerWithoutABody() {
    HttpResponse accepted =
        map(
            202,
            HeaderList.of("x-amzn-RequestId", "r"),
            "",
            PayloadTransformMode.API_GATEWAY_V2,
            502);
    assertThat(accepted.status()).isEqualTo(202);
    assertThat(accepted.body()).isEmpty();
    assertThat(accepted.headers().isEmpty()).isTrue();

    HttpResponse dryRun = map(204, new HeaderList(), "", PayloadTransformMode.NONE, 502);
    assertThat(dryRun.status()).isEqualTo(204);
    assertThat(dryRun.body()).isEmpty();
  }

  @Test
  void throttlingKeepsStatusErrorTypeAndRetryAfterButNotLambdasBody() {
    String body =
        "{\"Reason\":\"CallerRateLimitExceeded\",\"Type\":\"User\",\"message\":\"Rate exceeded\"}";
    HeaderList headers =
        HeaderList.of(
            "Content-Type",
            "application/json",
            "x-amzn-ErrorType",
            "TooManyRequestsException",
            "Retry-After",
            "1",
            "x-amzn-RequestId",
            "r-429",
            "Connection",
            "keep-alive");

    HttpResponse response = map(429, headers, body, PayloadTransformMode.API_GATEWAY_V2, 502);

    assertThat(response.status()).isEqualTo(429);
    assertThat(response.bodyText())
        .isEqualTo("{\"error\":\"lambda_api_error\",\"message\":\"Too Many Requests\"}");
    assertThat(response.headers())
        .isEqualTo(
            HeaderList.of(
                "content-type",
                "application/json",
                "x-amzn-errortype",
                "TooManyRequestsException",
                "retry-after",
                "1",
                "x-amzn-requestid",
                "r-429"));
    assertThat(response.errorCode()).isEqualTo(LambdaResultMapper.LAMBDA_API_ERROR);
    assertThat(response.errorDetail())
        .isEqualTo("Lambda answered 429 TooManyRequestsException: " + body);
  }

  @Test
  void apiErrorsKeepTheirStatusButTheirBodyOnlyReachesTheLog() {
    String notFound =
        "{\"Message\":\"Function not found: arn:aws:lambda:us-east-1:111111111111:function:NAME\","
            + "\"Type\":\"User\"}";
    HttpResponse response =
        map(
            404,
            HeaderList.of("x-amzn-ErrorType", "ResourceNotFoundException"),
            notFound,
            PayloadTransformMode.API_GATEWAY_V1,
            502);
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.bodyText())
        .doesNotContain("111111111111")
        .isEqualTo("{\"error\":\"lambda_api_error\",\"message\":\"Not Found\"}");
    assertThat(response.headers())
        .isEqualTo(
            HeaderList.of(
                "content-type",
                "application/json",
                "x-amzn-errortype",
                "ResourceNotFoundException"));
    assertThat(response.errorDetail())
        .contains("arn:aws:lambda:us-east-1:111111111111:function:NAME");

    String signature =
        "{\"message\":\"The request signature we calculated does not match the signature you provided.\"}";
    HttpResponse forbidden =
        map(
            403,
            HeaderList.of(
                "x-amzn-ErrorType",
                "InvalidSignatureException",
                "Content-Type",
                "application/json"),
            signature,
            PayloadTransformMode.NONE,
            502);
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.bodyText()).doesNotContain("signature");
    assertThat(forbidden.errorDetail()).endsWith(signature);

    // A long message is cut for the log; no body at all is said so.
    byte[] longBody = "x".repeat(5000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(
            LambdaResultMapper.map(500, new HeaderList(), longBody, PayloadTransformMode.NONE, 502)
                .errorDetail())
        .hasSize("Lambda answered 500: ".length() + 512);
    assertThat(
            LambdaResultMapper.map(503, new HeaderList(), null, PayloadTransformMode.NONE, 502)
                .errorDetail())
        .isEqualTo("Lambda answered 503: (no body)");
    assertThat(LambdaResultMapper.isApiError(200)).isFalse();
    assertThat(LambdaResultMapper.isApiError(299)).isFalse();
    assertThat(LambdaResultMapper.isApiError(300)).isTrue();
    assertThat(LambdaResultMapper.isApiError(403)).isTrue();

    assertThat(map(413, new HeaderList(), "{}", PayloadTransformMode.NONE, 502).status())
        .isEqualTo(413);
    assertThat(map(500, new HeaderList(), "{}", PayloadTransformMode.NONE, 502).status())
        .isEqualTo(500);
    assertThat(map(502, new HeaderList(), "{}", PayloadTransformMode.ENVOY, 502).status())
        .isEqualTo(502);
  }

  @Test
  void readsModeAndFunctionErrorStatusFromTheConfig() throws Exception {
    LambdaConfig config =
        ((LambdaBackend)
                FilterConfigParser.parse(
                        ("{\"lambda\":{\"functionName\":\"echo\","
                                + "\"payloadTransformMode\":\"ApiGatewayV2\",\"functionErrorStatus\":500},\"credentials\":"
                                + "{\"accessKeyId\":\"AKID\",\"secretAccessKey\":\"s\"}}")
                            .getBytes(StandardCharsets.UTF_8))
                    .singleBackend())
            .lambda();

    HttpResponse ok =
        LambdaResultMapper.map(config, 200, LAMBDA_OK, "\"hi\"".getBytes(StandardCharsets.UTF_8));
    assertThat(ok.bodyText()).isEqualTo("\"hi\"");
    assertThat(ok.headers()).isEqualTo(HeaderList.of("content-type", "application/json"));

    HttpResponse failed =
        LambdaResultMapper.map(
            config,
            200,
            HeaderList.of("X-Amz-Function-Error", "Handled"),
            "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(failed.status()).isEqualTo(500);
    assertThat(failed.headers().get("x-lambdagate-function-error")).isEqualTo("Handled");
  }

  private static HttpResponse map(
      int status,
      HeaderList headers,
      String body,
      PayloadTransformMode mode,
      int functionErrorStatus) {
    return LambdaResultMapper.map(
        status, headers, body.getBytes(StandardCharsets.UTF_8), mode, functionErrorStatus);
  }
}
