package dev.lambdagate.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.lambdagate.config.PayloadTransformMode;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the unwrapping of a function's result into an HTTP response (Envoy, ApiGatewayV1 and
 * ApiGatewayV2 modes). Properties: it never throws; the status is 100-599; header names are
 * lower-case HTTP tokens, never pseudo headers, hop-by-hop headers or {@code content-length};
 * values carry no CR, LF or NUL (a function must not be able to split the response).
 */
@Timeout(10) // seconds per input: a parser must not hang
class ResponseUnwrapperFuzzTest {
  static final PayloadTransformMode[] MODES = {
    PayloadTransformMode.ENVOY,
    PayloadTransformMode.API_GATEWAY_V1,
    PayloadTransformMode.API_GATEWAY_V2
  };

  @FuzzTest
  @DictionaryEntries({
    "\"statusCode\"",
    "\"status_code\"",
    "\"headers\"",
    "\"multiValueHeaders\"",
    "\"cookies\"",
    "\"body\"",
    "\"isBase64Encoded\"",
    "\"is_base64_encoded\"",
    "true",
    "\"content-type\"",
    "\"set-cookie\"",
    "\\r\\n",
    "\\u0000",
    "\"200\""
  })
  void unwrap(FuzzedDataProvider data) {
    PayloadTransformMode mode = data.pickValue(MODES);
    HttpResponse response = ResponseUnwrapper.unwrap(mode, data.consumeRemainingAsBytes());
    assertThat(response.status()).isBetween(100, 599);
    HeaderList headers = response.headers();
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i);
      String value = headers.value(i);
      assertThat(name)
          .isNotEmpty()
          .matches("[a-z0-9!#$%&'*+.^_`|~-]+")
          .isNotIn("content-length", "connection", "keep-alive", "transfer-encoding", "upgrade");
      assertThat(value).doesNotContain("\r", "\n", "\u0000");
    }
    assertThat(response.body()).isNotNull();
  }
}
