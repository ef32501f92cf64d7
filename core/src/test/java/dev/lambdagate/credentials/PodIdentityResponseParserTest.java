package dev.lambdagate.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PodIdentityResponseParserTest {
  /** The agent's answer, as the container credentials provider of the AWS SDKs reads it. */
  static final String SUCCESS =
      """
      {"AccessKeyId":"ASIAIOSFODNN7EXAMPLE","SecretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY",
       "Token":"IQoJb3JpZ2luX2VjEXAMPLE","AccountId":"123456789012","Expiration":"2026-12-06T20:15:00Z"}
      """;

  static StsResponse parse(int status, String body) {
    return PodIdentityResponseParser.parse(status, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsTheCredentialsAndTheirExpiration() {
    StsResponse response = parse(200, SUCCESS);

    assertThat(response.isSuccess()).isTrue();
    assertThat(response.credentials().credentials().accessKeyId())
        .isEqualTo("ASIAIOSFODNN7EXAMPLE");
    assertThat(response.credentials().credentials().secretAccessKey())
        .isEqualTo("wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY");
    assertThat(response.credentials().credentials().sessionToken())
        .isEqualTo("IQoJb3JpZ2luX2VjEXAMPLE");
    assertThat(response.credentials().expirationMillis())
        .isEqualTo(Instant.parse("2026-12-06T20:15:00Z").toEpochMilli());
  }

  @Test
  void aMissingFieldIsNamed() {
    for (String field : new String[] {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}) {
      String body = SUCCESS.replace("\"" + field + "\"", "\"Other" + field + "\"");
      assertThatThrownBy(() -> parse(200, body))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("agent response has no " + field);
    }
  }

  @Test
  void aFieldOfTheWrongTypeIsNamedWithItsType() {
    assertThatThrownBy(() -> parse(200, SUCCESS.replace("\"2026-12-06T20:15:00Z\"", "1765052100")))
        .hasMessage("agent response has no Expiration string (got number)");
  }

  @Test
  void aBadExpirationIsRefusedWithoutQuotingASecret() {
    assertThatThrownBy(() -> parse(200, SUCCESS.replace("2026-12-06T20:15:00Z", "tomorrow")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("agent response has an invalid Expiration")
        .hasMessageNotContaining("wJalrXUtnFEMI")
        .hasMessageNotContaining("IQoJb3JpZ2lu");
  }

  @Test
  void aSuccessThatIsNotAJsonObjectIsRefused() {
    assertThatThrownBy(() -> parse(200, "<html>ok</html>"))
        .hasMessageStartingWith("agent response is not JSON");
    assertThatThrownBy(() -> parse(200, "[1]"))
        .hasMessage("agent response is array, expected an object");
  }

  @Test
  void anAgentErrorKeepsItsCodeAndMessage() {
    StsResponse response =
        parse(400, "{\"code\":\"InvalidTokenException\",\"message\":\"token audience mismatch\"}");

    assertThat(response.isSuccess()).isFalse();
    assertThat(response.describeError())
        .isEqualTo("InvalidTokenException: token audience mismatch");
  }

  @Test
  void anErrorPageFromSomethingInBetweenIsDescribedByItsStart() {
    StsResponse response = parse(503, "upstream connect error or disconnect/reset before headers");

    assertThat(response.describeError())
        .isEqualTo("HTTP503: upstream connect error or disconnect/reset before headers");
  }
}
