package dev.lambdagate.harness.emulator.sigv4;

import com.sun.net.httpserver.HttpExchange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An HTTP request exactly as it arrived: method, the path and query as sent (still
 * percent-encoded), the headers, and the body bytes. Everything SigV4 verification needs.
 *
 * <p>Immutable and thread-safe (the body array is not copied; treat it as read-only).
 *
 * @param method request method, upper case
 * @param rawPath the path as sent, e.g. {@code /2015-03-31/functions/arn%3Aaws%3A.../invocations}
 * @param rawQuery the query string as sent, without {@code ?}, or null
 * @param headers header name to values, in arrival order; names as the server reported them
 * @param body the body bytes (empty when none)
 */
public record ReceivedRequest(
    String method,
    String rawPath,
    String rawQuery,
    Map<String, List<String>> headers,
    byte[] body) {

  public ReceivedRequest {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    headers = Collections.unmodifiableMap(copy);
    body = body == null ? new byte[0] : body;
  }

  /** Captures what the JDK server received. The body must already have been read. */
  public static ReceivedRequest from(HttpExchange exchange, byte[] body) {
    return new ReceivedRequest(
        exchange.getRequestMethod(),
        exchange.getRequestURI().getRawPath(),
        exchange.getRequestURI().getRawQuery(),
        exchange.getRequestHeaders(),
        body);
  }

  /** All values of a header (case-insensitive name), in arrival order; empty when absent. */
  public List<String> headerValues(String name) {
    List<String> values = new ArrayList<>();
    headers.forEach(
        (key, list) -> {
          if (key.equalsIgnoreCase(name)) {
            values.addAll(list);
          }
        });
    return values;
  }

  /** The first value of a header (case-insensitive name), or null. */
  public String header(String name) {
    List<String> values = headerValues(name);
    return values.isEmpty() ? null : values.get(0);
  }
}
