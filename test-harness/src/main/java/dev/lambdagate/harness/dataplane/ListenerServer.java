package dev.lambdagate.harness.dataplane;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lambdagate.harness.host.FilterOutcome;
import dev.lambdagate.harness.host.FilterStream;
import dev.lambdagate.harness.host.FilterVm;
import dev.lambdagate.harness.host.HttpMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One LDS listener: an HTTP/1.1 server whose every request goes route match → Wasm filter
 * (request) → router (rewrites, header mutations, upstream) → Wasm filter (response), the
 * order Envoy's HTTP connection manager runs them. Its configuration is swapped atomically;
 * a request keeps the configuration (and VM) it started with.
 */
final class ListenerServer {
  /** What a request runs with; replaced as a whole on every LDS/RDS change. */
  record Active(ListenerConfig config, VmPool vms) {}

  static {
    // The JDK server writes headers and body separately; without TCP_NODELAY every response
    // waits for the client's delayed ACK (~40 ms). Read once, when the server classes load.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive",
      "proxy-connection", "transfer-encoding", "upgrade", "te", "host", "content-length");

  private final EmbeddedDataPlane plane;
  private final HttpServer server;
  private final ExecutorService executor;
  private volatile Active active;

  private ListenerServer(EmbeddedDataPlane plane, HttpServer server, ExecutorService executor,
      Active active) {
    this.plane = plane;
    this.server = server;
    this.executor = executor;
    this.active = active;
  }

  /** Binds and starts serving; a taken port throws {@link java.net.BindException}. */
  static ListenerServer start(EmbeddedDataPlane plane, String bindAddress, Active active)
      throws IOException {
    InetSocketAddress address = new InetSocketAddress(bindAddress, active.config().port());
    HttpServer server = HttpServer.create(address, 128);
    AtomicInteger threads = new AtomicInteger();
    String name = active.config().name();
    ExecutorService executor = Executors.newFixedThreadPool(32, r -> {
      Thread t = new Thread(r, "listener-" + name + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    ListenerServer listener = new ListenerServer(plane, server, executor, active);
    server.createContext("/", listener::handle);
    server.setExecutor(executor);
    server.start();
    return listener;
  }

  int port() {
    return server.getAddress().getPort();
  }

  Active active() {
    return active;
  }

  void swap(Active next) {
    this.active = next;
  }

  /** Stops accepting; requests in flight get up to a second to finish. */
  void stop() {
    server.stop(1);
    executor.shutdown();
  }

  private void handle(HttpExchange exchange) throws IOException {
    long start = System.nanoTime();
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      HttpMessage reply;
      try {
        reply = serve(exchange, body);
      } catch (RuntimeException e) {
        String requestId = exchange.getRequestHeaders().getFirst("x-request-id");
        if (requestId == null || requestId.isEmpty()) {
          requestId = UUID.randomUUID().toString();
        }
        plane.log("listener " + active.config().name() + ": request " + requestId
            + " failed: " + e);
        reply = error(500, "Internal Server Error", requestId);
      }
      write(exchange, reply);
    } finally {
      plane.recordLatency(System.nanoTime() - start);
    }
  }

  private HttpMessage serve(HttpExchange exchange, byte[] body) {
    Active current = active;
    ListenerConfig config = current.config();
    List<String[]> headers = requestHeaders(exchange);
    String path = header(headers, ":path");
    String authority = header(headers, ":authority");
    RouteTable table = config.usesRds() ? plane.routeTable(config.rdsName())
        : config.inlineRoutes();
    if (table == null) {
      return plain(404, ""); // route configuration not received yet: nothing matches
    }
    RouteTable.Request routed = new RouteTable.Request(header(headers, ":method"), path,
        authority, headers);
    RouteTable.Match match = table.match(routed, config.stripAnyHostPort());
    if (match == null) {
      return new HttpMessage(List.<String[]>of(new String[] {":status", "404"}), new byte[0]);
    }
    RouteTable.Route route = match.route();
    RouteTable.WeightedCluster chosen = route.action() instanceof RouteTable.Forward f
        ? f.pick() : null;

    Map<List<String>, byte[]> properties = new HashMap<>();
    properties.put(List.of("xds", "route_name"), VmPool.utf8(route.name()));
    properties.put(List.of("xds", "virtual_host_name"), VmPool.utf8(match.virtualHost().name()));
    properties.put(List.of("xds", "listener_name"), VmPool.utf8(config.name()));
    if (chosen != null) {
      properties.put(List.of("xds", "cluster_name"), VmPool.utf8(chosen.name()));
    }
    InetSocketAddress remote = exchange.getRemoteAddress();
    InetSocketAddress local = exchange.getLocalAddress();
    properties.put(List.of("source", "address"), VmPool.utf8(hostPort(remote)));
    properties.put(List.of("destination", "address"), VmPool.utf8(hostPort(local)));
    properties.put(List.of("request", "id"), VmPool.utf8(header(headers, "x-request-id")));

    VmPool pool = current.vms();
    FilterVm vm = null;
    while (pool != null && (vm = pool.acquire()) == null) {
      pool = active.vms(); // retired between the read and the acquire: use the new one
    }
    if (vm == null) {
      return route(table, match, chosen, new HttpMessage(headers, body));
    }
    try (FilterStream stream = vm.openStream(properties)) {
      long t0 = System.nanoTime();
      FilterOutcome request = stream.request(new HttpMessage(headers, body));
      long t1 = System.nanoTime();
      if (request.localReply()) {
        plane.recordPhases(t1 - t0, 0);
        return request.message();
      }
      HttpMessage upstream = route(table, match, chosen, request.message());
      long t2 = System.nanoTime();
      FilterOutcome response = stream.response(upstream);
      plane.recordPhases(t1 - t0 + System.nanoTime() - t2, t2 - t1);
      return response.message();
    } finally {
      pool.release();
    }
  }

  /** The router: direct response, or rewrite + header mutations + upstream call. */
  private HttpMessage route(RouteTable table, RouteTable.Match match,
      RouteTable.WeightedCluster chosen, HttpMessage request) {
    RouteTable.Route route = match.route();
    if (route.action() instanceof RouteTable.DirectResponse dr) {
      List<String[]> h = new ArrayList<>();
      h.add(new String[] {":status", Integer.toString(dr.status())});
      if (dr.body().length > 0) {
        h.add(new String[] {"content-type", "text/plain"});
      }
      return new HttpMessage(h, dr.body());
    }
    RouteTable.Forward forward = (RouteTable.Forward) route.action();
    ClusterConfig cluster = plane.cluster(chosen.name());
    if (cluster == null) {
      return plain(503, "");  // Envoy: cluster not found (NC)
    }
    ClusterConfig.Endpoint endpoint = plane.upstream().pick(cluster);
    if (endpoint == null) {
      return plain(503, "no healthy upstream");
    }
    List<String[]> headers = new ArrayList<>(request.headers());
    chosen.mutation().applyTo(headers);
    route.mutation().applyTo(headers);
    match.virtualHost().mutation().applyTo(headers);
    table.mutation().applyTo(headers);
    String path = forward.rewritePath(header(headers, ":path"));
    set(headers, ":path", path);
    if (chosen.hostRewriteLiteral() != null) {
      set(headers, ":authority", chosen.hostRewriteLiteral());
    } else if (forward.hostRewriteLiteral() != null) {
      set(headers, ":authority", forward.hostRewriteLiteral());
    } else if (forward.autoHostRewrite()) {
      set(headers, ":authority", endpoint.host());
    }
    try {
      return plane.upstream().send(cluster, endpoint, headers, request.body(),
          forward.timeout());
    } catch (HttpConnectTimeoutException e) {
      return plain(503, "upstream connect error or disconnect/reset before headers. "
          + "reset reason: connection timeout");
    } catch (HttpTimeoutException e) {
      return plain(504, "upstream request timeout");
    } catch (ConnectException e) {
      return plain(503, "upstream connect error or disconnect/reset before headers. "
          + "reset reason: connection failure");
    } catch (IOException e) {
      // Envoy's words, without the exception's (it may name hosts); the cause goes to the log.
      plane.log("request " + header(request.headers(), "x-request-id") + ": upstream "
          + chosen.name() + " failed: " + e);
      return plain(503, "upstream connect error or disconnect/reset before headers. "
          + "reset reason: connection termination");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return plain(503, "upstream request interrupted");
    } catch (IllegalArgumentException e) {
      String requestId = header(request.headers(), "x-request-id");
      plane.log("request " + requestId + ": cannot send upstream: " + e.getMessage());
      return error(400, "Bad Request", requestId);
    }
  }

  private static List<String[]> requestHeaders(HttpExchange exchange) {
    List<String[]> headers = new ArrayList<>();
    headers.add(new String[] {":method", exchange.getRequestMethod()});
    headers.add(new String[] {":scheme", "http"});
    String host = exchange.getRequestHeaders().getFirst("Host");
    headers.add(new String[] {":authority", host == null ? "" : host});
    String rawPath = exchange.getRequestURI().getRawPath();
    String rawQuery = exchange.getRequestURI().getRawQuery();
    headers.add(new String[] {":path", (rawPath == null || rawPath.isEmpty() ? "/" : rawPath)
        + (rawQuery == null ? "" : "?" + rawQuery)});
    boolean hasRequestId = false;
    for (Map.Entry<String, List<String>> e : exchange.getRequestHeaders().entrySet()) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (HOP_BY_HOP.contains(name)) {
        continue;
      }
      hasRequestId |= name.equals("x-request-id");
      for (String v : e.getValue()) {
        headers.add(new String[] {name, v});
      }
    }
    headers.add(new String[] {"x-forwarded-proto", "http"});
    if (!hasRequestId) {
      headers.add(new String[] {"x-request-id", UUID.randomUUID().toString()});
    }
    return headers;
  }

  private static void write(HttpExchange exchange, HttpMessage reply) throws IOException {
    int status = Integer.parseInt(reply.header(":status"));
    for (String[] h : reply.headers()) {
      if (h[0].startsWith(":") || HOP_BY_HOP.contains(h[0].toLowerCase(Locale.ROOT))) {
        continue;
      }
      exchange.getResponseHeaders().add(h[0], h[1]);
    }
    byte[] body = reply.body();
    boolean noBody = body.length == 0 || exchange.getRequestMethod().equals("HEAD")
        || status == 204 || status == 304;
    exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
    if (!noBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /**
   * The data plane's own error for a failure of its own: the shape of the filter's errors
   * ({@code {"error":"data_plane_error","message":reason,"requestId":id}}), the cause only in
   * the log under the same id.
   */
  static HttpMessage error(int status, String reason, String requestId) {
    List<String[]> h = new ArrayList<>();
    h.add(new String[] {":status", Integer.toString(status)});
    h.add(new String[] {"content-type", "application/json"});
    String body = "{\"error\":\"data_plane_error\",\"message\":\"" + reason
        + "\",\"requestId\":\"" + jsonSafe(requestId) + "\"}";
    return new HttpMessage(h, body.getBytes(StandardCharsets.UTF_8));
  }

  /** A request id as it may appear in a JSON string: anything odd is dropped. */
  private static String jsonSafe(String id) {
    StringBuilder out = new StringBuilder();
    for (char c : (id == null ? "" : id).toCharArray()) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.') {
        out.append(c);
      }
    }
    return out.toString();
  }

  static HttpMessage plain(int status, String text) {
    List<String[]> h = new ArrayList<>();
    h.add(new String[] {":status", Integer.toString(status)});
    if (!text.isEmpty()) {
      h.add(new String[] {"content-type", "text/plain"});
    }
    return new HttpMessage(h, text.getBytes(StandardCharsets.UTF_8));
  }

  private static String header(List<String[]> headers, String name) {
    for (String[] h : headers) {
      if (h[0].equals(name)) {
        return h[1];
      }
    }
    return null;
  }

  private static void set(List<String[]> headers, String name, String value) {
    headers.removeIf(h -> h[0].equals(name));
    headers.add(new String[] {name, value});
  }

  private static String hostPort(InetSocketAddress a) {
    if (a == null) {
      return "";
    }
    String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }
}
