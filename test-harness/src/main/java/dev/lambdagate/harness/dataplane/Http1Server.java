package dev.lambdagate.harness.dataplane;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The HTTP/1.1 side of a listener, on plain sockets rather than the JDK's HTTP server, so that the
 * request head can be read the way Envoy's codec reads it: within {@code request_headers_timeout}
 * from its first byte (else 408 {@code request header timeout} and the connection closed) and never
 * beyond the header size limit (else 431 and closed). Bodies: {@code Content-Length} or chunked
 * ({@code Expect: 100-continue} answered first, as Envoy does); both at once, or a malformed head,
 * is 400 and closed. Connections are kept alive (HTTP/1.1) until the client closes, asks to close,
 * or a reply closes.
 *
 * <p>Thread-safety: one thread accepts; each connection is served by its own pooled thread.
 */
final class Http1Server {
  /** A request as received: header names as sent, the body de-chunked. */
  record Request(
      String method,
      String target,
      List<String[]> headers,
      byte[] body,
      InetSocketAddress remote,
      InetSocketAddress local,
      boolean secure) {}

  /**
   * What to send back; {@code close} ends the connection after it. With {@code rest}, {@code body}
   * is only the start of the body: the response goes with chunked transfer encoding (unless its
   * headers give a {@code content-length}) and {@code rest} writes the remainder as it comes.
   */
  record Response(int status, List<String[]> headers, byte[] body, boolean close, BodyStream rest) {
    Response(int status, List<String[]> headers, byte[] body, boolean close) {
      this(status, headers, body, close, null);
    }
  }

  /**
   * The remainder of a response body, written while it arrives. Closed after writing, before the
   * body's end goes out, and again (without effect) when the exchange ends.
   */
  interface BodyStream extends AutoCloseable {
    /**
     * Writes the remainder through {@code out}, each piece sent on at once; throws {@link
     * ResetStream} when the stream must be reset instead of ended (the client sees the connection
     * reset, not an end of body).
     */
    void writeTo(ChunkSink out) throws IOException;

    @Override
    void close();
  }

  /** Sends one piece of a streamed body to the client now. */
  interface ChunkSink {
    void write(byte[] bytes) throws IOException;
  }

  /** The body cannot end normally: the connection is reset (TCP RST), as Envoy resets it. */
  static final class ResetStream extends IOException {
    ResetStream(String why) {
      super(why);
    }
  }

  /** Serves one request. */
  interface Handler {
    Response handle(Request request);
  }

  /** How the head is bounded: the timeout (null: none) and the largest head in bytes. */
  record HeadLimits(Duration timeout, int maxBytes) {}

  private final ServerSocket socket;
  private final ExecutorService connections;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Supplier<HeadLimits> limits;
  private final Supplier<ServerTls> tls;
  private final Handler handler;
  private volatile boolean stopped;

  private Http1Server(
      ServerSocket socket,
      String name,
      Supplier<HeadLimits> limits,
      Supplier<ServerTls> tls,
      Handler handler) {
    this.socket = socket;
    this.limits = limits;
    this.tls = tls;
    this.handler = handler;
    AtomicInteger threads = new AtomicInteger();
    this.connections =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "listener-" + name + "-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Binds (a taken port throws {@link java.net.BindException}) and starts accepting.
   *
   * @param tls read for each connection: null serves it in plaintext, else after a TLS handshake
   */
  static Http1Server start(
      InetSocketAddress address,
      String name,
      Supplier<HeadLimits> limits,
      Supplier<ServerTls> tls,
      Handler handler)
      throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    try {
      s.bind(address, 128);
    } catch (IOException e) {
      s.close();
      throw e;
    }
    Http1Server server = new Http1Server(s, name, limits, tls, handler);
    Thread acceptor = new Thread(server::acceptLoop, "listener-" + name + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    return server;
  }

  int port() {
    return socket.getLocalPort();
  }

  /** Stops accepting; open connections get up to a second to finish what they serve. */
  void stop() {
    stopped = true;
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
    connections.shutdown();
    try {
      connections.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Socket c : open) {
      closeQuietly(c);
    }
  }

  private void acceptLoop() {
    while (!stopped) {
      try {
        Socket c = socket.accept();
        c.setTcpNoDelay(true);
        open.add(c);
        connections.execute(() -> serve(c));
      } catch (IOException | java.util.concurrent.RejectedExecutionException e) {
        if (stopped) {
          return;
        }
      }
    }
  }

  private void serve(Socket accepted) {
    Socket c = accepted;
    try (accepted) {
      ServerTls t = tls.get();
      if (t != null) {
        c = t.handshake(accepted); // a failed handshake closes the connection, as Envoy does
        open.add(c);
      }
      InputStream in = new BufferedInputStream(c.getInputStream());
      OutputStream out = c.getOutputStream();
      while (!stopped) {
        c.setSoTimeout(0);
        int first = in.read(); // waits for the next request (idle connection)
        if (first < 0) {
          return;
        }
        HeadLimits hl = limits.get();
        long deadline = hl.timeout() == null ? 0 : System.nanoTime() + hl.timeout().toNanos();
        String head;
        try {
          head = readHead(c, in, first, deadline, hl.maxBytes());
        } catch (SocketTimeoutException e) {
          reply(out, new Response(408, textHeaders(), utf8("request header timeout"), true));
          return;
        } catch (HeadTooLarge e) {
          reply(
              out, new Response(431, textHeaders(), utf8("Request Header Fields Too Large"), true));
          return;
        }
        if (head == null) {
          return; // closed mid-head
        }
        c.setSoTimeout(0);
        Request request = parse(head, in, out, c);
        if (request == null) {
          reply(out, new Response(400, textHeaders(), utf8("Bad Request"), true));
          return;
        }
        Response response = handler.handle(request);
        boolean close = response.close() || wantsClose(request, head);
        if (response.rest() != null) {
          try (BodyStream rest = response.rest()) {
            if (!stream(out, response, rest, close, request.method().equals("HEAD"))) {
              c.setSoLinger(true, 0); // closing now sends a reset, as Envoy resets the stream
              return;
            }
          }
        } else {
          reply(
              out,
              new Response(response.status(), response.headers(), response.body(), close),
              request.method().equals("HEAD"));
        }
        if (close) {
          return;
        }
      }
    } catch (IOException e) {
      // the client went away, or its TLS handshake failed
    } finally {
      if (c != accepted) {
        closeQuietly(c);
        open.remove(c);
      }
      open.remove(accepted);
    }
  }

  private static final class HeadTooLarge extends IOException {
    HeadTooLarge() {
      super("request head too large");
    }
  }

  /** The head up to the blank line (excluded), or null when the client closed first. */
  private static String readHead(Socket c, InputStream in, int first, long deadline, int maxBytes)
      throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b = first;
    int last4 = 0; // the last four bytes read, to spot "\r\n\r\n"
    while (true) {
      if (b < 0) {
        return null;
      }
      head.write(b);
      last4 = (last4 << 8) | b;
      if (last4 == 0x0D0A0D0A) {
        byte[] all = head.toByteArray();
        return new String(all, 0, all.length - 4, StandardCharsets.ISO_8859_1);
      }
      if (head.size() > maxBytes) {
        throw new HeadTooLarge();
      }
      if (deadline != 0) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          throw new SocketTimeoutException("request header timeout");
        }
        c.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
      }
      b = in.read();
    }
  }

  private static Request parse(String head, InputStream in, OutputStream out, Socket c)
      throws IOException {
    String[] lines = head.split("\r\n", -1);
    String[] requestLine = lines[0].split(" ");
    if (requestLine.length != 3
        || !requestLine[2].startsWith("HTTP/1.")
        || requestLine[0].isEmpty()
        || requestLine[1].isEmpty()) {
      return null;
    }
    List<String[]> headers = new ArrayList<>();
    long length = -1;
    boolean chunked = false;
    boolean expectContinue = false;
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0 || lines[i].charAt(0) == ' ' || lines[i].charAt(0) == '\t') {
        return null; // no name, or obsolete line folding
      }
      String name = lines[i].substring(0, colon);
      String value = lines[i].substring(colon + 1).strip();
      if (name.strip().length() != name.length()) {
        return null;
      }
      headers.add(new String[] {name, value});
      switch (name.toLowerCase(Locale.ROOT)) {
        case "content-length" -> {
          try {
            long l = Long.parseLong(value);
            if (l < 0 || (length >= 0 && l != length)) {
              return null;
            }
            length = l;
          } catch (NumberFormatException e) {
            return null;
          }
        }
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
        case "expect" -> expectContinue = value.equalsIgnoreCase("100-continue");
        default -> {}
      }
    }
    if (chunked && length >= 0) {
      return null; // Envoy refuses both unless configured to allow it
    }
    if (expectContinue && (chunked || length > 0)) {
      out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }
    byte[] body;
    if (chunked) {
      body = readChunked(in);
      if (body == null) {
        return null;
      }
    } else if (length > 0) {
      if (length > Integer.MAX_VALUE - 8) {
        return null;
      }
      body = in.readNBytes((int) length);
      if (body.length != length) {
        throw new IOException("closed mid-body");
      }
    } else {
      body = new byte[0];
    }
    return new Request(
        requestLine[0],
        requestLine[1],
        headers,
        body,
        (InetSocketAddress) c.getRemoteSocketAddress(),
        (InetSocketAddress) c.getLocalSocketAddress(),
        c instanceof javax.net.ssl.SSLSocket);
  }

  private static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = readLine(in);
      if (size == null) {
        return null;
      }
      int semi = size.indexOf(';');
      int n;
      try {
        n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
      } catch (NumberFormatException e) {
        return null;
      }
      if (n == 0) {
        String trailer;
        do {
          trailer = readLine(in);
        } while (trailer != null && !trailer.isEmpty());
        return body.toByteArray();
      }
      byte[] chunk = in.readNBytes(n);
      if (chunk.length != n || readLine(in) == null) {
        return null;
      }
      body.write(chunk);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        int len = b.length();
        return len > 0 && b.charAt(len - 1) == '\r' ? b.substring(0, len - 1) : b.toString();
      }
      b.append((char) c);
      if (b.length() > 8192) {
        return null;
      }
    }
    return null;
  }

  private static boolean wantsClose(Request request, String head) {
    for (String[] h : request.headers()) {
      if (h[0].equalsIgnoreCase("connection") && h[1].toLowerCase(Locale.ROOT).contains("close")) {
        return true;
      }
    }
    return head.startsWith(request.method() + " " + request.target() + " HTTP/1.0");
  }

  private static void reply(OutputStream out, Response r) throws IOException {
    reply(out, r, false);
  }

  /** Writes a response; {@code head}: the answer to HEAD (length announced, body not sent). */
  private static void reply(OutputStream out, Response r, boolean head) throws IOException {
    StringBuilder b =
        new StringBuilder("HTTP/1.1 ")
            .append(r.status())
            .append(' ')
            .append(reason(r.status()))
            .append("\r\n");
    for (String[] h : r.headers()) {
      b.append(h[0]).append(": ").append(h[1]).append("\r\n");
    }
    boolean bodiless = r.status() == 204 || r.status() == 304 || r.status() < 200;
    if (!bodiless) {
      b.append("content-length: ").append(r.body().length).append("\r\n");
    }
    if (r.close()) {
      b.append("connection: close\r\n");
    }
    b.append("\r\n");
    out.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (!bodiless && !head) {
      out.write(r.body());
    }
    out.flush();
  }

  /**
   * Writes a streamed response: the head, then each piece as {@code rest} produces it, chunked
   * unless the headers give the length. False when the stream was reset (the caller resets the
   * connection).
   */
  private static boolean stream(
      OutputStream out, Response r, BodyStream rest, boolean close, boolean head)
      throws IOException {
    boolean sized = false;
    StringBuilder b =
        new StringBuilder("HTTP/1.1 ")
            .append(r.status())
            .append(' ')
            .append(reason(r.status()))
            .append("\r\n");
    for (String[] h : r.headers()) {
      sized |= h[0].equalsIgnoreCase("content-length");
      b.append(h[0]).append(": ").append(h[1]).append("\r\n");
    }
    boolean chunked = !sized && !head;
    if (chunked) {
      b.append("transfer-encoding: chunked\r\n");
    }
    if (close) {
      b.append("connection: close\r\n");
    }
    b.append("\r\n");
    out.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
    ChunkSink sink =
        bytes -> {
          if (head || bytes.length == 0) {
            return;
          }
          if (chunked) {
            out.write(
                (Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.write(CRLF);
          } else {
            out.write(bytes);
          }
          out.flush();
        };
    out.flush();
    try {
      sink.write(r.body());
      rest.writeTo(sink);
    } catch (ResetStream e) {
      return false;
    }
    // The stream is done before the client sees the end (as Envoy's onDone precedes nothing the
    // client could observe after it): a client reading the last byte then finds its metrics.
    rest.close();
    if (chunked) {
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.flush();
    return true;
  }

  private static final byte[] CRLF = {'\r', '\n'};

  private static List<String[]> textHeaders() {
    List<String[]> h = new ArrayList<>();
    h.add(new String[] {"content-type", "text/plain"});
    return h;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already gone
    }
  }

  static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 201 -> "Created";
      case 202 -> "Accepted";
      case 204 -> "No Content";
      case 301 -> "Moved Permanently";
      case 302 -> "Found";
      case 304 -> "Not Modified";
      case 307 -> "Temporary Redirect";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 408 -> "Request Timeout";
      case 413 -> "Payload Too Large";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Status";
    };
  }
}
