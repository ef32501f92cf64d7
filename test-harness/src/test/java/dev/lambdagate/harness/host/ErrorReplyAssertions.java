package dev.lambdagate.harness.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Checks the filter's error replies: the client gets exactly {@code {"error":code,"message":reason
 * phrase,"requestId":id}} and the details are in the log on a line naming the same request id.
 */
public final class ErrorReplyAssertions {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ErrorReplyAssertions() {}

  /** Asserts the body's shape and returns its request id. */
  public static String assertGenericError(String body, String code, String message) {
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + body, e);
    }
    List<String> fields = new ArrayList<>();
    json.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).as(body).containsExactly("error", "message", "requestId");
    assertThat(json.path("error").asText()).as(body).isEqualTo(code);
    assertThat(json.path("message").asText()).as(body).isEqualTo(message);
    String requestId = json.path("requestId").asText();
    assertThat(requestId).as(body).isNotBlank().matches("[A-Za-z0-9._-]{1,128}");
    return requestId;
  }

  /** Asserts that one log line names {@code requestId} and holds every one of {@code details}. */
  public static void assertLoggedWith(Collection<String> log, String requestId, String... details) {
    assertThat(log)
        .as("log lines")
        .anySatisfy(
            line -> {
              assertThat(line).contains("request " + requestId + ":");
              for (String d : details) {
                assertThat(line).contains(d);
              }
            });
  }
}
