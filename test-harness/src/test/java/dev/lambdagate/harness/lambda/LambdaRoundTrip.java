package dev.lambdagate.harness.lambda;

import dev.lambdagate.harness.host.FilterOutcome;
import dev.lambdagate.harness.host.FilterStream;
import dev.lambdagate.harness.host.FilterVm;
import dev.lambdagate.harness.host.HttpMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One request the way Envoy would carry it: through the filter, then (unless the filter answered)
 * over real HTTP to the upstream the rewritten request names, then the upstream's answer back
 * through the filter. Records what went upstream so tests can look at it.
 */
final class LambdaRoundTrip {
  /** Headers java.net.http sets itself and refuses from callers. */
  private static final Set<String> TRANSPORT_HEADERS =
      Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding");

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** What reached the upstream (null when the filter answered itself) and the final answer. */
  record Result(HttpMessage forwarded, FilterOutcome response, boolean answeredByFilter) {
    int status() {
      return response.status();
    }

    String body() {
      return response.message().bodyText();
    }
  }

  private LambdaRoundTrip() {}

  static Result send(FilterVm vm, HttpMessage request) throws Exception {
    return send(vm, request, Map.of());
  }

  static Result send(FilterVm vm, HttpMessage request, Map<List<String>, byte[]> properties)
      throws Exception {
    try (FilterStream stream = vm.openStream(properties)) {
      FilterOutcome out = stream.request(request);
      if (out.localReply()) {
        return new Result(null, out, true);
      }
      HttpMessage forwarded = out.message();
      HttpMessage upstreamAnswer = forward(forwarded);
      return new Result(forwarded, stream.response(upstreamAnswer), false);
    }
  }

  /** Sends {@code message} to {@code http://{:authority}{:path}}, as a router would. */
  static HttpMessage forward(HttpMessage message) throws Exception {
    URI uri = URI.create("http://" + message.header(":authority") + message.header(":path"));
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(20))
            .method(
                message.header(":method"),
                message.body().length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(message.body()));
    for (String[] h : message.headers()) {
      if (!h[0].startsWith(":") && !TRANSPORT_HEADERS.contains(h[0].toLowerCase())) {
        builder.header(h[0], h[1]);
      }
    }
    HttpResponse<byte[]> response =
        CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    List<String[]> headers = new ArrayList<>();
    headers.add(new String[] {":status", Integer.toString(response.statusCode())});
    response
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              if (!name.startsWith(":")) {
                values.forEach(v -> headers.add(new String[] {name.toLowerCase(), v}));
              }
            });
    return new HttpMessage(headers, response.body());
  }
}
