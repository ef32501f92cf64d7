package dev.lambdagate.harness.host;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link HttpCallTransport} that maps Envoy cluster names to base URLs (e.g. an emulator's
 * {@code http://127.0.0.1:port}) and performs each call over HTTP/1.1 with the call's timeout. The
 * request goes to the base URL plus {@code :path}; the Host header is the URL's authority, so point
 * the filter's {@code :authority} (e.g. an {@code stsEndpoint}) at the same URL when a signature
 * covers it. Also usable to forward a request the filter let through ({@link #forward}).
 * Thread-safe.
 */
public final class ClusterTransport implements HttpCallTransport {
  /** Headers java.net.http sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED =
      Set.of(
          "host",
          "content-length",
          "connection",
          "expect",
          "upgrade",
          "transfer-encoding",
          "keep-alive");

  private final Map<String, URI> clusters = new ConcurrentHashMap<>();
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** Routes {@code cluster} to {@code baseUrl}; returns this. */
  public ClusterTransport route(String cluster, URI baseUrl) {
    clusters.put(cluster, baseUrl);
    return this;
  }

  /** Removes a route: later calls fail as to an unknown cluster. */
  public void remove(String cluster) {
    clusters.remove(cluster);
  }

  @Override
  public HttpMessage call(String cluster, List<String[]> headers, byte[] body, int timeoutMillis)
      throws Exception {
    URI base = clusters.get(cluster);
    if (base == null) {
      throw new IllegalArgumentException("no upstream cluster '" + cluster + "' in this harness");
    }
    String method = "GET";
    String path = "/";
    HttpRequest.Builder request = HttpRequest.newBuilder();
    for (String[] h : headers) {
      String name = h[0].toLowerCase(Locale.ROOT);
      if (name.equals(":method")) {
        method = h[1];
      } else if (name.equals(":path")) {
        path = h[1];
      } else if (!name.startsWith(":") && !RESTRICTED.contains(name)) {
        request.header(h[0], h[1]);
      }
    }
    String baseText = base.toString();
    if (baseText.endsWith("/")) {
      baseText = baseText.substring(0, baseText.length() - 1);
    }
    request.uri(URI.create(baseText + path));
    request.method(
        method,
        body.length == 0
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    if (timeoutMillis > 0) {
      request.timeout(Duration.ofMillis(timeoutMillis));
    }
    HttpResponse<byte[]> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    List<String[]> out = new ArrayList<>();
    out.add(new String[] {":status", Integer.toString(response.statusCode())});
    response
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              for (String v : values) {
                out.add(new String[] {name.toLowerCase(Locale.ROOT), v});
              }
            });
    return new HttpMessage(out, response.body());
  }

  /** Sends a request the filter let through (its {@code :path} and headers) to {@code cluster}. */
  public HttpMessage forward(String cluster, HttpMessage request) throws Exception {
    return call(cluster, request.headers(), request.body(), 30_000);
  }
}
