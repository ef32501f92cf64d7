package dev.lambdagate.harness.emulator.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A complete HTTP response, built first and written in one go so that handlers stay plain functions
 * from request to reply.
 *
 * <p>Immutable and thread-safe. Note that {@code com.sun.net.httpserver} rewrites header names to
 * "first letter upper case, rest lower case" on the wire ({@code x-amzn-ErrorType} goes out as
 * {@code X-amzn-errortype}); HTTP header names are case-insensitive, so clients are unaffected.
 */
public record HttpReply(int status, Map<String, List<String>> headers, byte[] body) {

  public HttpReply {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    headers = Collections.unmodifiableMap(copy);
    body = body == null ? new byte[0] : body;
  }

  /** A reply with a UTF-8 text body. */
  public static HttpReply of(int status, Map<String, String> headers, String body) {
    return of(status, headers, body.getBytes(StandardCharsets.UTF_8));
  }

  /** A reply with single-valued headers. */
  public static HttpReply of(int status, Map<String, String> headers, byte[] body) {
    Map<String, List<String>> multi = new LinkedHashMap<>();
    headers.forEach((name, value) -> multi.put(name, List.of(value)));
    return new HttpReply(status, multi, body);
  }

  /** This reply with one more header value. */
  public HttpReply withHeader(String name, String value) {
    Map<String, List<String>> more = new LinkedHashMap<>(headers);
    more.merge(
        name,
        List.of(value),
        (a, b) -> {
          List<String> joined = new ArrayList<>(a);
          joined.addAll(b);
          return joined;
        });
    return new HttpReply(status, more, body);
  }

  /** First value of a header, matched case-insensitively, or null. */
  public String header(String name) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
        return e.getValue().get(0);
      }
    }
    return null;
  }

  /** The body decoded as UTF-8. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** Writes status, headers and body, and closes the exchange. */
  public void writeTo(HttpExchange exchange) throws IOException {
    headers.forEach(
        (name, values) -> values.forEach(v -> exchange.getResponseHeaders().add(name, v)));
    // The JDK server wants -1 for "no body"; 204 must not carry a Content-Length.
    boolean noBody = body.length == 0;
    exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
    if (!noBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
    exchange.close();
  }
}
