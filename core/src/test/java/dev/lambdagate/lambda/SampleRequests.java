package dev.lambdagate.lambda;

import java.nio.charset.StandardCharsets;

/** Requests shared by the event tests. */
final class SampleRequests {

  /** The body the user posts in the Lambda walkthrough. */
  static final String SEED_BODY = "{\"key1\":\"value1\", \"key2\":\"value2\"}";

  /** 2020-03-04T19:03:58.390Z */
  static final EventContext CONTEXT = new EventContext(1583348638390L, "req-1");

  private SampleRequests() {}

  /**
   * A POST with a percent-encoded, repeated and valueless query parameter, a repeated header in two
   * spellings and two Cookie headers.
   */
  static HttpRequest sample() {
    HeaderList headers =
        HeaderList.of(
            "host", "api.example.com:8080",
            "user-agent", "curl/8.5.0",
            "content-type", "application/json",
            "x-multi", "1",
            "X-Multi", "2",
            "cookie", "a=1; b=2",
            "cookie", "c=3");
    return new HttpRequest(
        "POST",
        "/echo/path?name=J%C3%BCrgen&tag=a&tag=b&flag",
        headers,
        SEED_BODY.getBytes(StandardCharsets.UTF_8),
        "203.0.113.9");
  }

  static HttpRequest withBody(String contentType, byte[] body) {
    HeaderList headers = new HeaderList();
    if (contentType != null) {
      headers.add("content-type", contentType);
    }
    return new HttpRequest("PUT", "/upload", headers, body, null);
  }

  /** A text block written over several lines, joined into one line. */
  static String oneLine(String text) {
    return text.replace("\n", "");
  }
}
