package dev.lambdagate.controlplane.sts;

import com.sun.net.httpserver.HttpServer;
import dev.lambdagate.config.Endpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An STS stand-in on a JDK {@link HttpServer}: records each call and answers what it is told to —
 * issued credentials or an error document, in the shapes STS sends ({@code
 * ../shared/reference/aws/sts-assume-role-with-web-identity.md}).
 */
final class FakeSts implements AutoCloseable {

  /** One call as received. */
  record Call(Map<String, String> headers, Map<String, String> form, String body) {
    String action() {
      return form.get("Action");
    }
  }

  /** One answer: HTTP status and body. */
  record Answer(int status, String body) {}

  final List<Call> calls = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private volatile java.util.function.Function<Call, Answer> answers = c -> issued(c, 1);

  FakeSts() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          Map<String, String> headers = new LinkedHashMap<>();
          exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          Map<String, String> form = new LinkedHashMap<>();
          for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
              form.put(
                  pair.substring(0, eq),
                  URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
          }
          Call call = new Call(headers, form, body);
          calls.add(call);
          Answer a = answers.apply(call);
          byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("content-type", "text/xml");
          exchange.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
  }

  Endpoint endpoint() {
    return Endpoint.parse("http://127.0.0.1:" + server.getAddress().getPort());
  }

  void answer(java.util.function.Function<Call, Answer> answers) {
    this.answers = answers;
  }

  /** Credentials for the call's action; the key id ends in {@code n}. */
  static Answer issued(Call call, int n) {
    String action = call.action();
    return new Answer(
        200,
        "<"
            + action
            + "Response xmlns=\"https://sts.amazonaws.com/doc/"
            + "2011-06-15/\"><"
            + action
            + "Result><Credentials>"
            + "<AccessKeyId>ASIAISSUED"
            + n
            + "</AccessKeyId>"
            + "<SecretAccessKey>issued-secret-"
            + n
            + "</SecretAccessKey>"
            + "<SessionToken>issued-session-token-"
            + n
            + "</SessionToken>"
            + "<Expiration>2030-01-01T00:00:00Z</Expiration>"
            + "</Credentials></"
            + action
            + "Result></"
            + action
            + "Response>");
  }

  static Answer error(int status, String code, String message) {
    return new Answer(
        status,
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
            + "<Error><Type>Sender</Type><Code>"
            + code
            + "</Code><Message>"
            + message
            + "</Message></Error><RequestId>00000000-0000-0000-0000-000000000000</RequestId>"
            + "</ErrorResponse>");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
