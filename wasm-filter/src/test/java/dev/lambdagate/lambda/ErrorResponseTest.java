package dev.lambdagate.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorResponseTest {

    @Test
    void backendInvalidIs500WithTheControlPlaneMessage() {
        HttpResponse response = ErrorResponse.backendInvalid("Backend default/broken: Secret default/aws-creds not found");

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.headers()).isEqualTo(HeaderList.of("content-type", "application/json"));
        assertThat(response.bodyText()).isEqualTo("{\"error\":\"backend_invalid\","
                + "\"message\":\"Backend default/broken: Secret default/aws-creds not found\"}");
    }

    @Test
    void escapesTheMessage() {
        assertThat(new String(ErrorResponse.body("x", "say \"no\"\n\u2028"), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"error\":\"x\",\"message\":\"say \\\"no\\\"\\n\\u2028\"}");
    }

    @Test
    void lambdaResponseInvalidIs502() {
        HttpResponse response = ErrorResponse.lambdaResponseInvalid("why");

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.bodyText()).isEqualTo("{\"error\":\"lambda_response_invalid\",\"message\":\"why\"}");
    }
}
