package dev.lambdagate.harness.dataplane;

import dev.lambdagate.harness.host.HttpMessage;
import java.io.IOException;
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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends a request to one endpoint of a cluster over HTTP/1.1 with {@link HttpClient}: TLS when the
 * cluster has an {@code UpstreamTlsContext} (validated against the JVM's trust store), the
 * request's {@code :authority} as {@code Host}. One client per (cluster, TLS, connect timeout).
 */
final class UpstreamClient {
  static {
    // Host is a restricted header in java.net.http; the router must send the :authority the
    // filter chose (SigV4 signs it). Effective only if set before HttpClient's first use.
    if (System.getProperty("jdk.httpclient.allowRestrictedHeaders") == null) {
      System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }
  }

  private static final Set<String> SKIP_REQUEST =
      Set.of(
          "connection",
          "content-length",
          "expect",
          "host",
          "upgrade",
          "keep-alive",
          "transfer-encoding",
          "te",
          "proxy-connection");

  /**
   * Hop-by-hop headers of the upstream's response. {@code content-length} stays, as Envoy keeps it:
   * the filter sees Lambda's length, and a response passed on as it arrives keeps its framing.
   */
  private static final Set<String> SKIP_RESPONSE =
      Set.of("connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection");

  private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> roundRobin = new ConcurrentHashMap<>();

  /** Picks the next endpoint of a cluster (round robin), or null when it has none. */
  ClusterConfig.Endpoint pick(ClusterConfig cluster) {
    if (cluster.endpoints().isEmpty()) {
      return null;
    }
    int i = roundRobin.computeIfAbsent(cluster.name(), k -> new AtomicInteger()).getAndIncrement();
    return cluster.endpoints().get(Math.floorMod(i, cluster.endpoints().size()));
  }

  /**
   * Sends one request; {@code headers} are lower-case, pseudo headers included ({@code :method},
   * {@code :path}, {@code :authority}). The response's headers start with {@code :status}.
   *
   * @throws java.net.http.HttpTimeoutException when the route timeout passes (504)
   * @throws IOException when the endpoint cannot be reached (503)
   */
  HttpMessage send(
      ClusterConfig cluster,
      ClusterConfig.Endpoint endpoint,
      List<String[]> headers,
      byte[] body,
      Duration timeout)
      throws IOException, InterruptedException {
    return open(cluster, endpoint, headers, body, timeout).readAll();
  }

  /**
   * A response whose body is read as it arrives: {@code head} holds {@code :status} and the headers
   * (its body is empty unless {@code body} is null), {@code body} the rest of the stream. The
   * reader closes {@code body}.
   */
  record Answer(HttpMessage head, java.io.InputStream body) {
    /** An answer already whole (a local reply, a direct response). */
    static Answer whole(HttpMessage message) {
      return new Answer(message, null);
    }

    /** The whole response, read to its end. */
    HttpMessage readAll() throws IOException {
      if (body == null) {
        return head;
      }
      try (java.io.InputStream in = body) {
        return new HttpMessage(head.headers(), in.readAllBytes());
      }
    }

    /** Drops the body unread (a try that is retried). */
    void discard() {
      if (body != null) {
        try {
          body.close();
        } catch (IOException e) {
          // the connection goes away anyway
        }
      }
    }
  }

  /** As {@link #send}, the body left to be read as it arrives. */
  Answer open(
      ClusterConfig cluster,
      ClusterConfig.Endpoint endpoint,
      List<String[]> headers,
      byte[] body,
      Duration timeout)
      throws IOException, InterruptedException {
    String method = "GET";
    String path = "/";
    String authority = null;
    for (String[] h : headers) {
      switch (h[0]) {
        case ":method" -> method = h[1];
        case ":path" -> path = h[1];
        case ":authority" -> authority = h[1];
        default -> {}
      }
    }
    String target = (cluster.tls() ? "https://" : "http://") + endpoint + path;
    URI uri;
    try {
      uri = URI.create(target);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid request path '" + path + "'", e);
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .method(
                method,
                body.length == 0 && (method.equals("GET") || method.equals("HEAD"))
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (timeout != null && !timeout.isZero()) {
      request.timeout(timeout);
    }
    for (String[] h : headers) {
      if (h[0].startsWith(":") || SKIP_REQUEST.contains(h[0])) {
        continue;
      }
      request.header(h[0], h[1]);
    }
    String uriAuthority = uri.getRawAuthority();
    if (authority != null && !authority.equalsIgnoreCase(uriAuthority)) {
      try {
        request.setHeader("Host", authority);
      } catch (IllegalArgumentException restricted) {
        // the JVM was started without jdk.httpclient.allowRestrictedHeaders=host: the
        // endpoint's address is sent instead
      }
    }
    HttpResponse<java.io.InputStream> response =
        client(cluster).send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    List<String[]> out = new ArrayList<>();
    out.add(new String[] {":status", Integer.toString(response.statusCode())});
    for (Map.Entry<String, List<String>> e : response.headers().map().entrySet()) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith(":") || SKIP_RESPONSE.contains(name)) {
        continue;
      }
      for (String v : e.getValue()) {
        out.add(new String[] {name, v});
      }
    }
    // No body by the framing (Envoy's codec then delivers the headers with end of stream).
    int status = response.statusCode();
    boolean bodiless =
        status == 204
            || status == 304
            || method.equals("HEAD")
            || response.headers().firstValue("content-length").map("0"::equals).orElse(false);
    if (bodiless) {
      response.body().close();
      return new Answer(new HttpMessage(out, new byte[0]), null);
    }
    return new Answer(new HttpMessage(out, new byte[0]), response.body());
  }

  private HttpClient client(ClusterConfig cluster) {
    String key = cluster.name() + "|" + cluster.tls() + "|" + cluster.connectTimeout();
    return clients.computeIfAbsent(
        key,
        k ->
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(cluster.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
  }
}
