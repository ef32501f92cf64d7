package dev.lambdagate.controlplane.lambda;

import com.sun.net.httpserver.HttpServer;
import dev.lambdagate.config.Endpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A Lambda stand-in on a JDK {@link HttpServer}: records each Invoke as received and answers what
 * it is told to — 204 for an accepted DryRun, or an error in Lambda's shape (HTTP status, {@code
 * x-amzn-ErrorType} header, JSON body with {@code Type} and {@code message}).
 */
final class FakeLambda implements AutoCloseable {

  /** One call as received; header names lower case. */
  record Call(String method, String rawPathAndQuery, Map<String, String> headers, byte[] body) {}

  /** One answer. */
  record Answer(int status, String errorType, String message) {}

  static final Answer ACCEPTED = new Answer(204, null, null);

  final List<Call> calls = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private volatile Function<Call, Answer> answers = c -> ACCEPTED;

  FakeLambda() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          Map<String, String> headers = new LinkedHashMap<>();
          exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
          Call call =
              new Call(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI().getRawPath()
                      + (exchange.getRequestURI().getRawQuery() == null
                          ? ""
                          : "?" + exchange.getRequestURI().getRawQuery()),
                  headers,
                  exchange.getRequestBody().readAllBytes());
          calls.add(call);
          Answer a = answers.apply(call);
          if (a.errorType() == null) {
            exchange.sendResponseHeaders(a.status(), -1);
          } else {
            byte[] bytes =
                ("{\"Type\":\"User\",\"message\":\""
                        + a.message().replace("\\", "\\\\").replace("\"", "\\\"")
                        + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.getResponseHeaders().add("x-amzn-ErrorType", a.errorType());
            exchange.sendResponseHeaders(a.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
          }
          exchange.close();
        });
    server.start();
  }

  void answer(Function<Call, Answer> answers) {
    this.answers = answers;
  }

  static Answer error(int status, String type, String message) {
    return new Answer(status, type, message);
  }

  Endpoint endpoint() {
    return Endpoint.parse("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
