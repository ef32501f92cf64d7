package dev.lambdagate.harness.dataplane;

import dev.lambdagate.harness.host.FilterOutcome;
import dev.lambdagate.harness.host.FilterStream;
import dev.lambdagate.harness.host.FilterVm;
import dev.lambdagate.harness.host.HttpMessage;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One LDS listener: an HTTP/1.1 server whose every request goes route match → Wasm filter (request)
 * → router (rewrites, header mutations, upstream) → Wasm filter (response), the order Envoy's HTTP
 * connection manager runs them. Its configuration is swapped atomically; a request keeps the
 * configuration (and VM) it started with.
 */
final class ListenerServer {
  /** What a request runs with; replaced as a whole on every LDS/RDS change. */
  record Active(ListenerConfig config, VmPool vms) {}

  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "transfer-encoding",
          "upgrade",
          "te",
          "host",
          "content-length");

  private final EmbeddedDataPlane plane;
  private Http1Server server;
  private volatile Active active;

  private ListenerServer(EmbeddedDataPlane plane, Active active) {
    this.plane = plane;
    this.active = active;
  }

  /** Binds and starts serving; a taken port throws {@link java.net.BindException}. */
  static ListenerServer start(EmbeddedDataPlane plane, String bindAddress, Active active)
      throws IOException {
    InetSocketAddress address = new InetSocketAddress(bindAddress, active.config().port());
    ListenerServer listener = new ListenerServer(plane, active);
    listener.server =
        Http1Server.start(
            address,
            active.config().name(),
            listener::headLimits,
            () -> listener.active.config().tls(),
            listener::handle);
    return listener;
  }

  /**
   * How the codec bounds a request head: {@code request_headers_timeout}, and a head larger than
   * {@code max_request_headers_kb} (plus room for the request line) is not read further.
   */
  private Http1Server.HeadLimits headLimits() {
    RequestLimits l = active.config().limits();
    return new Http1Server.HeadLimits(
        l.requestHeadersTimeout(), l.maxRequestHeadersBytes() + 16 * 1024);
  }

  int port() {
    return server.port();
  }

  Active active() {
    return active;
  }

  void swap(Active next) {
    this.active = next;
  }

  /** Stops accepting; requests in flight get up to a second to finish. */
  void stop() {
    server.stop();
  }

  private Http1Server.Response handle(Http1Server.Request exchange) {
    long start = System.nanoTime();
    try {
      HttpMessage reply;
      Http1Server.BodyStream rest = null;
      boolean close = false;
      try {
        Active current = active;
        RequestGate.Verdict verdict =
            RequestGate.check(requestHeaders(exchange), current.config().limits());
        if (verdict.reply() != null) {
          RequestGate.ReplyAndClose r = verdict.reply();
          reply = plain(r.status(), r.body());
          if (r.location() != null) {
            List<String[]> h = new ArrayList<>(reply.headers());
            h.add(new String[] {"location", r.location()});
            reply = new HttpMessage(h, reply.body());
          }
          close = r.close(); // Envoy closes an HTTP/1 connection after a codec error's reply
        } else {
          Served served = serve(exchange, current, verdict.headers(), exchange.body());
          reply = served.message();
          rest = served.rest();
        }
      } catch (RuntimeException e) {
        String requestId = requestId(exchange.headers());
        plane.log(
            "listener " + active.config().name() + ": request " + requestId + " failed: " + e);
        reply = error(500, "Internal Server Error", requestId);
      }
      return write(reply, close, rest);
    } finally {
      plane.recordLatency(System.nanoTime() - start);
    }
  }

  private Served serve(
      Http1Server.Request exchange, Active current, List<String[]> headers, byte[] body) {
    ListenerConfig config = current.config();
    String path = header(headers, ":path");
    String authority = header(headers, ":authority");
    RouteTable table =
        config.usesRds() ? plane.routeTable(config.rdsName()) : config.inlineRoutes();
    if (table == null) {
      return Served.of(plain(404, "")); // route configuration not received yet: nothing matches
    }
    RouteTable.Request routed =
        new RouteTable.Request(header(headers, ":method"), path, authority, headers);
    RouteTable.Match match = table.match(routed, config.stripAnyHostPort());
    if (match == null) {
      return Served.of(
          new HttpMessage(List.<String[]>of(new String[] {":status", "404"}), new byte[0]));
    }
    RouteTable.Route route = match.route();
    RouteTable.WeightedCluster chosen =
        route.action() instanceof RouteTable.Forward f ? f.pick() : null;

    if (config.wasm() == null) {
      return Served.of(route(table, match, chosen, new HttpMessage(headers, body)));
    }
    // The Wasm filter buffers the whole body (it signs it): over the stream's buffer limit
    // Envoy answers 413 itself, before the filter has the end of the stream.
    if (body.length > config.bufferLimitBytes()) {
      return Served.of(plain(413, "Payload Too Large"));
    }
    Map<List<String>, byte[]> properties =
        filterProperties(
            route.metadataProperties(),
            route.name(),
            match.virtualHost().name(),
            config.name(),
            chosen == null ? null : chosen.name(),
            chosen == null ? null : plane.cluster(chosen.name()),
            exchange.remote(),
            exchange.local(),
            header(headers, "x-request-id"));

    // A listener with a Wasm filter never forwards a request the filter has not passed: no VM
    // (the listener is going away) or a failed VM answers 503, as Envoy's failStream does.
    VmPool pool = current.vms();
    VmPool.Lease lease = null;
    for (int attempt = 0; attempt < 3 && pool != null && lease == null; attempt++) {
      lease = pool.acquire();
      if (lease == null) {
        VmPool latest = active.vms(); // retired between the read and the acquire
        pool = latest == pool ? null : latest;
      }
    }
    if (lease == null) {
      return Served.of(plain(503, ""));
    }
    boolean failed = false;
    Served served = null;
    try {
      if (lease.vm() == null) {
        return Served.of(plain(503, "")); // the slot's VM failed and is not (yet) replaced
      }
      served =
          filtered(
              lease.vm(),
              properties,
              table,
              match,
              chosen,
              headers,
              body,
              config.bufferLimitBytes());
      return served;
    } catch (FilterFailure e) {
      failed = true;
      plane.log("listener " + config.name() + ": the Wasm filter failed: " + e.getCause());
      return Served.of(plain(503, ""));
    } finally {
      if (served != null && served.rest() instanceof StreamedBody streamed) {
        // The body still flows through the VM: the lease goes back when it has ended.
        VmPool releasing = pool;
        VmPool.Lease leased = lease;
        streamed.onClose(vmFailed -> releasing.release(leased, vmFailed));
      } else {
        pool.release(lease, failed);
      }
    }
  }

  /**
   * The properties a stream's {@code proxy_get_property} answers, keyed by path (looked up by exact
   * path, as Envoy's Wasm host resolves them). {@code clusterName} is the route's chosen cluster
   * (null for none) and {@code cluster} its CDS configuration (null when CDS has no such cluster):
   * Envoy resolves {@code xds.cluster_metadata} for that cluster at request-header time (the
   * connection manager set the cluster info when it picked the route), so its {@code
   * filter_metadata} strings are here as {@code xds.cluster_metadata.filter_metadata.<ns>.<key>}.
   * The matched route's metadata strings ({@code routeMetadata}) are here too, as {@code
   * xds.route_metadata.filter_metadata.<ns>.<key>}: Envoy resolves the route at the same point.
   */
  static Map<List<String>, byte[]> filterProperties(
      Map<List<String>, byte[]> routeMetadata,
      String routeName,
      String virtualHostName,
      String listenerName,
      String clusterName,
      ClusterConfig cluster,
      InetSocketAddress remote,
      InetSocketAddress local,
      String requestId) {
    Map<List<String>, byte[]> properties = new HashMap<>();
    properties.put(List.of("xds", "route_name"), VmPool.utf8(routeName));
    properties.putAll(routeMetadata);
    properties.put(List.of("xds", "virtual_host_name"), VmPool.utf8(virtualHostName));
    properties.put(List.of("xds", "listener_name"), VmPool.utf8(listenerName));
    if (clusterName != null) {
      properties.put(List.of("xds", "cluster_name"), VmPool.utf8(clusterName));
      if (cluster != null) {
        properties.putAll(cluster.metadataProperties());
      }
    }
    properties.put(List.of("source", "address"), VmPool.utf8(hostPort(remote)));
    properties.put(List.of("destination", "address"), VmPool.utf8(hostPort(local)));
    properties.put(List.of("request", "id"), VmPool.utf8(requestId));
    return properties;
  }

  /** A VM failed (trapped, or the host failed inside a callback) while running a stream. */
  private static final class FilterFailure extends Exception {
    FilterFailure(RuntimeException cause) {
      super(cause);
    }
  }

  /**
   * What a request is answered with: {@code message} (its body whole, or only the start of it) and,
   * for a response still flowing through the filter, {@code rest}, which writes the remainder.
   */
  record Served(HttpMessage message, Http1Server.BodyStream rest) {
    static Served of(HttpMessage message) {
      return new Served(message, null);
    }
  }

  /** Bytes read from the upstream at a time: Envoy's codec hands a filter similar pieces. */
  private static final int UPSTREAM_PIECE = 16 * 1024;

  /**
   * The stream through the filter: request phase, router, response phase. The response goes through
   * the filter as Envoy passes it: headers (end of stream when there is no body), then each piece
   * of the body as it arrives from the upstream, and whatever the filter lets through leaves for
   * the client at once (see {@link StreamedBody}). While the filter holds the response
   * (StopIterationAndBuffer), what it holds is bounded by the buffer limit: over it Envoy answers
   * 500 itself while the headers are held, and resets the stream once they have gone.
   */
  private Served filtered(
      FilterVm vm,
      Map<List<String>, byte[]> properties,
      RouteTable table,
      RouteTable.Match match,
      RouteTable.WeightedCluster chosen,
      List<String[]> headers,
      byte[] body,
      long bufferLimit)
      throws FilterFailure {
    FilterStream stream;
    try {
      stream = vm.openStream(properties);
    } catch (RuntimeException e) {
      throw new FilterFailure(e);
    }
    boolean healthy = false;
    boolean handedOff = false;
    UpstreamClient.Answer upstream = null;
    try {
      long t0 = System.nanoTime();
      FilterOutcome request;
      try {
        request = stream.request(new HttpMessage(headers, body));
      } catch (RuntimeException e) {
        throw new FilterFailure(e);
      }
      long t1 = System.nanoTime();
      if (request.localReply()) {
        plane.recordPhases(t1 - t0, 0);
        healthy = true;
        return Served.of(request.message());
      }
      upstream = routeAnswer(table, match, chosen, request.message());
      long t2 = System.nanoTime();
      java.io.InputStream in = upstream.body();
      UpstreamBody upstreamBody = in == null ? null : new UpstreamBody(in, upstream.head());
      byte[] whole = upstream.head().body();
      ResponseStart start = new ResponseStart();
      try {
        start.take(
            stream.responseHeaders(upstream.head().headers(), in == null && whole.length == 0));
        if (in == null && whole.length > 0 && start.open()) {
          start.take(stream.responseBody(whole, true));
        }
        // Until the head leaves the filter, each piece goes in as it arrives.
        while (in != null && start.head == null && start.open()) {
          if (start.last.held() > bufferLimit) {
            healthy = true;
            return Served.of(plain(500, "Internal Server Error"));
          }
          byte[] piece = upstreamBody.next();
          start.take(stream.responseBody(piece, upstreamBody.ended));
        }
      } catch (IOException e) {
        // The upstream went away before the head left: Envoy's 503 for a reset upstream.
        healthy = true;
        return Served.of(
            plain(
                503,
                "upstream connect error or disconnect/reset before headers. "
                    + "reset reason: connection termination"));
      } catch (RuntimeException e) {
        throw new FilterFailure(e);
      }
      plane.recordPhases(t1 - t0 + System.nanoTime() - t2, t2 - t1);
      healthy = true;
      if (start.last.reset() || start.head == null) {
        // Reset before any response (or held at the end with nothing pending): Envoy closes the
        // stream; this HTTP/1.1 server answers 503 and closes the connection.
        plane.log("listener: the filter reset a stream before its response headers");
        return Served.of(plain(503, ""));
      }
      HttpMessage head = new HttpMessage(start.head.headers(), start.body.toByteArray());
      if (start.last.end() || in == null) {
        return Served.of(head);
      }
      handedOff = true;
      return new Served(head, new StreamedBody(stream, upstream, upstreamBody, bufferLimit));
    } finally {
      if (!handedOff) {
        if (upstream != null) {
          upstream.discard();
        }
        try {
          stream.close();
        } catch (RuntimeException e) {
          if (healthy) {
            plane.log("listener: closing a filter stream failed: " + e);
          }
        }
      }
    }
  }

  /** The response's steps through the filter until its head has left it. */
  private static final class ResponseStart {
    FilterStream.ResponseStep last;
    HttpMessage head;
    final java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();

    void take(FilterStream.ResponseStep step) {
      last = step;
      if (step.head() != null) {
        head = step.head();
      }
      body.writeBytes(step.body());
    }

    /** Whether more of the response may still go through the filter. */
    boolean open() {
      return !last.end() && !last.reset();
    }
  }

  /**
   * The upstream's body as Envoy's codec delivers it: piece by piece, the last one marked as the
   * end of stream when the framing says so ({@code content-length} reached) or the upstream closed.
   */
  private static final class UpstreamBody {
    private final java.io.InputStream in;
    private long remaining;
    boolean ended;

    UpstreamBody(java.io.InputStream in, HttpMessage head) {
      this.in = in;
      String length = head.header("content-length");
      long parsed = -1;
      try {
        parsed = length == null ? -1 : Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        parsed = -1;
      }
      this.remaining = parsed;
    }

    /** The next piece (possibly empty at the end); {@link #ended} once it was the last. */
    byte[] next() throws IOException {
      if (remaining == 0) {
        ended = true;
        return new byte[0];
      }
      byte[] piece = readPiece(in);
      if (piece == null) {
        if (remaining > 0) {
          throw new IOException("the upstream closed before its content-length");
        }
        ended = true;
        return new byte[0];
      }
      if (remaining > 0) {
        remaining -= piece.length;
        ended = remaining <= 0;
      }
      return piece;
    }
  }

  /** The next piece the upstream has (blocking until some arrives), or null at its end. */
  private static byte[] readPiece(java.io.InputStream in) throws IOException {
    byte[] buffer = new byte[UPSTREAM_PIECE];
    int n = in.read(buffer);
    if (n < 0) {
      return null;
    }
    return n == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, n);
  }

  /**
   * The rest of a response whose head has left the filter: each upstream piece goes through the
   * filter's body callback and what it lets through goes to the client at once. The filter closing
   * the stream, a VM failure, the upstream breaking off, or the held bytes passing the buffer limit
   * reset the client's connection, as Envoy resets the stream once the headers have gone. Closing
   * ends the filter stream and gives the VM back ({@link #onClose}).
   *
   * <p>Used by the connection's thread only.
   */
  private final class StreamedBody implements Http1Server.BodyStream {
    private final FilterStream stream;
    private final UpstreamClient.Answer upstream;
    private final UpstreamBody body;
    private final long bufferLimit;
    private java.util.function.Consumer<Boolean> release = vmFailed -> {};
    private boolean vmFailed;
    private boolean closed;

    StreamedBody(
        FilterStream stream, UpstreamClient.Answer upstream, UpstreamBody body, long bufferLimit) {
      this.stream = stream;
      this.upstream = upstream;
      this.body = body;
      this.bufferLimit = bufferLimit;
    }

    /** What closing does with the VM's lease: {@code true} when the VM failed. */
    void onClose(java.util.function.Consumer<Boolean> release) {
      this.release = release;
    }

    @Override
    public void writeTo(Http1Server.ChunkSink out) throws IOException {
      while (true) {
        byte[] piece;
        try {
          piece = body.next();
        } catch (IOException e) {
          throw new Http1Server.ResetStream("the upstream broke off mid-body: " + e);
        }
        FilterStream.ResponseStep step;
        try {
          step = stream.responseBody(piece, body.ended);
        } catch (RuntimeException e) {
          vmFailed = true;
          plane.log("listener: the Wasm filter failed mid-response: " + e);
          throw new Http1Server.ResetStream("the Wasm filter failed");
        }
        if (step.reset() || step.localReply()) {
          throw new Http1Server.ResetStream("the filter closed the stream");
        }
        if (step.held() > bufferLimit) {
          throw new Http1Server.ResetStream("the filter held more than the buffer limit");
        }
        if (step.end()) {
          // Done (its metrics recorded) before the client can see the last byte.
          closeFilterStream();
        }
        out.write(step.body());
        if (step.end()) {
          return;
        }
      }
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      upstream.discard();
      closeFilterStream();
      release.accept(vmFailed);
    }

    private boolean streamClosed;

    private void closeFilterStream() {
      if (streamClosed) {
        return;
      }
      streamClosed = true;
      try {
        stream.close();
      } catch (RuntimeException e) {
        vmFailed = true;
        plane.log("listener: closing a filter stream failed: " + e);
      }
    }
  }

  /** The router, the upstream's body read whole (no Wasm filter to stream it through). */
  private HttpMessage route(
      RouteTable table,
      RouteTable.Match match,
      RouteTable.WeightedCluster chosen,
      HttpMessage request) {
    UpstreamClient.Answer answer = routeAnswer(table, match, chosen, request);
    try {
      return answer.readAll();
    } catch (IOException e) {
      plane.log(
          "request " + header(request.headers(), "x-request-id") + ": upstream body failed: " + e);
      return plain(503, "upstream reset after headers");
    }
  }

  /**
   * The router: direct response, or rewrite + header mutations + upstream call; an upstream's body
   * is left to be read as it arrives.
   */
  private UpstreamClient.Answer routeAnswer(
      RouteTable table,
      RouteTable.Match match,
      RouteTable.WeightedCluster chosen,
      HttpMessage request) {
    RouteTable.Route route = match.route();
    if (route.action() instanceof RouteTable.Redirect redirect) {
      // Envoy's router: the Location, no body.
      List<String[]> h = new ArrayList<>();
      h.add(new String[] {":status", Integer.toString(redirect.status())});
      h.add(
          new String[] {
            "location",
            redirect.location(
                header(request.headers(), ":path"),
                header(request.headers(), ":authority"),
                header(request.headers(), ":scheme"),
                header(request.headers(), "x-forwarded-proto"))
          });
      return UpstreamClient.Answer.whole(new HttpMessage(h, new byte[0]));
    }
    if (route.action() instanceof RouteTable.DirectResponse dr) {
      List<String[]> h = new ArrayList<>();
      h.add(new String[] {":status", Integer.toString(dr.status())});
      if (dr.body().length > 0) {
        h.add(new String[] {"content-type", "text/plain"});
      }
      return UpstreamClient.Answer.whole(new HttpMessage(h, dr.body()));
    }
    RouteTable.Forward forward = (RouteTable.Forward) route.action();
    ClusterConfig cluster = plane.cluster(chosen.name());
    if (cluster == null) {
      return UpstreamClient.Answer.whole(plain(503, "")); // Envoy: cluster not found (NC)
    }
    ClusterConfig.Endpoint endpoint = plane.upstream().pick(cluster);
    if (endpoint == null) {
      return UpstreamClient.Answer.whole(plain(503, "no healthy upstream"));
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
    RouteRetry retry = forward.retry();
    Duration timeout = forward.timeout();
    long deadline =
        timeout == null || timeout.isZero()
            ? Long.MAX_VALUE
            : System.nanoTime() + timeout.toNanos();
    for (int attempt = 0; ; attempt++) {
      if (attempt > 0) {
        endpoint = plane.upstream().pick(cluster);
      }
      UpstreamClient.Answer answer;
      boolean retriable;
      try {
        answer =
            plane.upstream().open(cluster, endpoint, headers, request.body(), remaining(deadline));
        retriable = retry != null && retry.retriesStatus(status(answer.head()));
      } catch (HttpConnectTimeoutException e) {
        answer =
            UpstreamClient.Answer.whole(
                plain(
                    503,
                    "upstream connect error or disconnect/reset before headers. "
                        + "reset reason: connection timeout"));
        retriable = retry != null && retry.retriesConnectFailure();
      } catch (HttpTimeoutException e) {
        // The route timeout: covers every try and back-off, never retried (Envoy's global timeout).
        return UpstreamClient.Answer.whole(plain(504, "upstream request timeout"));
      } catch (ConnectException e) {
        answer =
            UpstreamClient.Answer.whole(
                plain(
                    503,
                    "upstream connect error or disconnect/reset before headers. "
                        + "reset reason: connection failure"));
        retriable = retry != null && retry.retriesConnectFailure();
      } catch (IOException e) {
        // Envoy's words, without the exception's (it may name hosts); the cause goes to the log.
        plane.log(
            "request "
                + header(request.headers(), "x-request-id")
                + ": upstream "
                + chosen.name()
                + " failed: "
                + e);
        answer =
            UpstreamClient.Answer.whole(
                plain(
                    503,
                    "upstream connect error or disconnect/reset before headers. "
                        + "reset reason: connection termination"));
        retriable = retry != null && retry.retriesReset();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return UpstreamClient.Answer.whole(plain(503, "upstream request interrupted"));
      } catch (IllegalArgumentException e) {
        String requestId = requestId(request.headers());
        plane.log("request " + requestId + ": cannot send upstream: " + e.getMessage());
        return UpstreamClient.Answer.whole(error(400, "Bad Request", requestId));
      }
      if (!retriable || attempt >= retry.numRetries()) {
        return answer; // the last try's answer is the response
      }
      answer.discard();
      if (!backOff(retry, attempt + 1, deadline)) {
        return UpstreamClient.Answer.whole(plain(504, "upstream request timeout"));
      }
    }
  }

  /** What is left of the route timeout for the next try (null: no timeout). */
  private static Duration remaining(long deadline) {
    if (deadline == Long.MAX_VALUE) {
      return null;
    }
    return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
  }

  /**
   * Waits the back-off before retry {@code retry}; false when the route timeout would pass first
   * (the request then ends with Envoy's 504).
   */
  private static boolean backOff(RouteRetry policy, int retry, long deadline) {
    Duration wait = policy.backOff(retry);
    if (deadline != Long.MAX_VALUE && System.nanoTime() + wait.toNanos() >= deadline) {
      return false;
    }
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return true;
  }

  private static int status(HttpMessage response) {
    String s = header(response.headers(), ":status");
    try {
      return s == null ? 0 : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static List<String[]> requestHeaders(Http1Server.Request exchange) {
    List<String[]> headers = new ArrayList<>();
    headers.add(new String[] {":method", exchange.method()});
    String scheme = exchange.secure() ? "https" : "http";
    headers.add(new String[] {":scheme", scheme});
    String host = null;
    for (String[] h : exchange.headers()) {
      if (h[0].equalsIgnoreCase("host")) {
        host = h[1];
        break;
      }
    }
    headers.add(new String[] {":authority", host == null ? "" : host});
    String target = exchange.target();
    if (!target.startsWith("/") && target.contains("://")) {
      // absolute-form: the path (and query) after the authority
      int slash = target.indexOf('/', target.indexOf("://") + 3);
      target = slash < 0 ? "/" : target.substring(slash);
    }
    headers.add(new String[] {":path", target});
    boolean hasRequestId = false;
    for (String[] h : exchange.headers()) {
      String name = h[0].toLowerCase(Locale.ROOT);
      if (HOP_BY_HOP.contains(name) || name.equals("expect")) {
        continue;
      }
      hasRequestId |= name.equals("x-request-id");
      headers.add(new String[] {name, h[1]});
    }
    headers.add(new String[] {"x-forwarded-proto", scheme});
    if (!hasRequestId) {
      headers.add(new String[] {"x-request-id", UUID.randomUUID().toString()});
    }
    return headers;
  }

  private static Http1Server.Response write(
      HttpMessage reply, boolean close, Http1Server.BodyStream rest) {
    int status = Integer.parseInt(reply.header(":status"));
    List<String[]> headers = new ArrayList<>();
    for (String[] h : reply.headers()) {
      String name = h[0].toLowerCase(Locale.ROOT);
      // A whole body gets its length from Http1Server; a streamed one keeps the length the
      // filter left (none: chunked).
      boolean keptLength = rest != null && name.equals("content-length");
      if (h[0].startsWith(":") || (HOP_BY_HOP.contains(name) && !keptLength)) {
        continue;
      }
      headers.add(h);
    }
    return new Http1Server.Response(status, headers, reply.body(), close, rest);
  }

  /**
   * The data plane's own error for a failure of its own: the shape of the filter's errors ({@code
   * {"error":"data_plane_error","message":reason,"requestId":id}}), the cause only in the log under
   * the same id.
   */
  static HttpMessage error(int status, String reason, String requestId) {
    List<String[]> h = new ArrayList<>();
    h.add(new String[] {":status", Integer.toString(status)});
    h.add(new String[] {"content-type", "application/json"});
    String body =
        "{\"error\":\"data_plane_error\",\"message\":\""
            + reason
            + "\",\"requestId\":\""
            + jsonSafe(requestId)
            + "\"}";
    return new HttpMessage(h, body.getBytes(StandardCharsets.UTF_8));
  }

  /** A request id as it may appear in a JSON string: anything odd is dropped. */
  private static String jsonSafe(String id) {
    StringBuilder out = new StringBuilder();
    for (char c : (id == null ? "" : id).toCharArray()) {
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.') {
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

  /**
   * The id that names a request in an error reply and its log line: the client's (or Envoy's)
   * {@code x-request-id}, else a new one.
   */
  private static String requestId(List<String[]> headers) {
    for (String[] h : headers) {
      if (h[0].equalsIgnoreCase("x-request-id") && !h[1].isEmpty()) {
        return h[1];
      }
    }
    return UUID.randomUUID().toString();
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
