package dev.lambdagate.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ErrorResponseTest {

  @Test
  void backendInvalidIs500WithAGenericBodyAndTheControlPlaneMessageAsDetail() {
    HttpResponse response =
        ErrorResponse.backendInvalid("Backend default/broken: Secret default/aws-creds not found");

    assertThat(response.status()).isEqualTo(500);
    assertThat(response.headers()).isEqualTo(HeaderList.of("content-type", "application/json"));
    assertThat(response.bodyText())
        .isEqualTo("{\"error\":\"backend_invalid\"," + "\"message\":\"Internal Server Error\"}");
    assertThat(response.errorCode()).isEqualTo("backend_invalid");
    assertThat(response.errorDetail())
        .isEqualTo("Backend default/broken: Secret default/aws-creds not found");
  }

  @Test
  void withRequestIdAddsTheIdAndKeepsStatusCodeAndDetail() {
    HttpResponse response =
        ErrorResponse.withRequestId(ErrorResponse.lambdaResponseInvalid("why"), "req-1");

    assertThat(response.status()).isEqualTo(502);
    assertThat(response.bodyText())
        .isEqualTo(
            "{\"error\":\"lambda_response_invalid\",\"message\":\"Bad Gateway\",\"requestId\":\"req-1\"}");
    assertThat(response.errorDetail()).isEqualTo("why");
  }

  @Test
  void escapesTheRequestId() {
    assertThat(
            new String(
                ErrorResponse.body("x", "Bad Request", "say \"no\"\n\u2028"),
                StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"error\":\"x\",\"message\":\"Bad Request\",\"requestId\":\"say \\\"no\\\"\\n\\u2028\"}");
  }

  @Test
  void theMessageIsTheReasonPhraseOfTheStatus() {
    assertThat(ErrorResponse.message(413)).isEqualTo("Payload Too Large");
    assertThat(ErrorResponse.message(503)).isEqualTo("Service Unavailable");
    assertThat(ErrorResponse.message(504)).isEqualTo("Gateway Timeout");
    assertThat(ErrorResponse.message(599)).isEqualTo("Server Error");
  }

  @Test
  void aPlainResponseIsNoFilterError() {
    HttpResponse response = new HttpResponse(500, null, null);

    assertThat(response.errorCode()).isNull();
    assertThat(response.errorDetail()).isNull();
  }
}
