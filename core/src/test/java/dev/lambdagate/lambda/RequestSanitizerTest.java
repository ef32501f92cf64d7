package dev.lambdagate.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestSanitizerTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "authorization",
        "Authorization",
        "x-amz-invocation-type",
        "X-Amz-Invocation-Type",
        "x-amz-client-context",
        "x-amz-log-type",
        "x-amz-security-token",
        "x-amz-date",
        "x-amz-content-sha256",
        "x-amz-tenant-id",
        "X-AMZ-ANYTHING",
        "connection",
        "keep-alive",
        "proxy-connection",
        "transfer-encoding",
        "te",
        "trailer",
        "upgrade",
        "proxy-authorization",
        "Proxy-Authenticate",
        "content-length",
        "host"
      })
  void removes(String name) {
    assertThat(RequestSanitizer.isRemoved(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "content-type",
        "user-agent",
        "accept",
        "cookie",
        "x-amzn-trace-id",
        "x-amz",
        "x-request-id",
        "authorization-info",
        "tea"
      })
  void keeps(String name) {
    assertThat(RequestSanitizer.isRemoved(name)).isFalse();
  }

  @Test
  void aClientCannotChooseHowTheFunctionIsInvoked() {
    HeaderList incoming =
        HeaderList.of(
            "host", "gateway.example.com",
            "content-type", "application/json",
            "X-Amz-Invocation-Type", "Event",
            "X-Amz-Client-Context", "eyJjdXN0b20iOnt9fQ==",
            "X-Amz-Log-Type", "Tail",
            "Authorization", "AWS4-HMAC-SHA256 Credential=STOLEN/...",
            "X-Amz-Security-Token", "stolen",
            "content-length", "35",
            "user-agent", "curl/8.5.0",
            "connection", "keep-alive, X-Secret-Hop",
            "x-secret-hop", "1",
            "accept", "*/*");

    HeaderList kept = RequestSanitizer.sanitize(incoming);

    assertThat(kept)
        .isEqualTo(
            HeaderList.of(
                "content-type", "application/json",
                "user-agent", "curl/8.5.0",
                "accept", "*/*"));
  }

  @Test
  void keepsEverythingWhenNothingIsForbidden() {
    HeaderList incoming = HeaderList.of("a", "1", "b", "2", "a", "3");

    assertThat(RequestSanitizer.sanitize(incoming)).isEqualTo(incoming);
  }

  @Test
  void headersNamedByTheConnectionHeaderAreRemovedByName() {
    assertThat(RequestSanitizer.isRemoved("x-secret", "keep-alive, X-Secret")).isTrue();
    assertThat(RequestSanitizer.isRemoved("x-other", "keep-alive, x-secret")).isFalse();
    assertThat(RequestSanitizer.isRemoved("x-other", null)).isFalse();
    assertThat(RequestSanitizer.isRemoved("x-amz-log-type", null)).isTrue();
  }
}
