package dev.lambdagate.harness.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.harness.cli.RunCommand;
import dev.lambdagate.harness.emulator.lambda.InvocationRecord;
import dev.lambdagate.harness.host.ModuleUnderTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile requests of Envoy's "Configuring Envoy as an edge proxy" guidance, sent over raw
 * sockets to the embedded data plane as the control plane configures it (the {@code run} stack on
 * {@code examples/secret}), answered as Envoy answers them with the settings the control plane
 * emits: escaped slashes → 307 to the unescaped path; {@code ..} segments and double slashes →
 * normalised, then routed; a header name with an underscore → 400 and the connection closed; more
 * than 60 KiB of headers or more than 100 headers → 431 and closed; headers still incomplete after
 * 10 s → 408 {@code request header timeout} and closed. A Lambda-sized body (2 MB, over Envoy's 1
 * MiB default buffer) goes through signed. No hostile request reaches Lambda.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EdgeHardeningEndToEndTest {
  @TempDir static Path dir;
  static RunCommand.Stack stack;
  static QuickStartEndToEndTest.Ports ports;
  static final ByteArrayOutputStream log = new ByteArrayOutputStream();

  @BeforeAll
  static void start() throws Exception {
    ports = QuickStartEndToEndTest.Ports.free();
    Path source = QuickStartEndToEndTest.repoRoot().resolve("examples").resolve("secret");
    Path manifests = Files.createDirectories(dir.resolve("secret"));
    try (Stream<Path> files = Files.list(source)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.writeString(
            manifests.resolve(f.getFileName()),
            Files.readString(f)
                .replace("http://127.0.0.1:9001", "http://127.0.0.1:" + ports.lambda())
                .replace("port: 8080", "port: " + ports.listener()));
      }
    }
    stack =
        RunCommand.start(
            RunCommand.Options.defaults(manifests, ModuleUnderTest.path())
                .withPorts(ports.lambda(), ports.sts(), ports.ads(), 0)
                .withDataPlane("embedded"),
            new PrintStream(log, true, StandardCharsets.UTF_8));
  }

  @AfterAll
  static void stop() {
    System.err.println(log.toString(StandardCharsets.UTF_8).replaceAll("(?m)^", "[stack] "));
    if (stack != null) {
      stack.close();
    }
  }

  /**
   * First, on a fresh VM: TeaVM 0.13.1's heap growth can trap "Out of memory" on a large body after
   * earlier requests (platform-notes; fixed in the filter's body path separately). The trap then
   * fails the request with 503 and forwards nothing, which is not what this checks.
   */
  @Test
  @Order(1)
  void aLambdaSizedBodyPassesSigned() throws Exception {
    String body = "{\"k\":\"" + "a".repeat(2_000_000) + "\"}";
    Reply r =
        send(
            "POST /echo HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
                + "Content-Length: "
                + body.length()
                + "\r\n\r\n"
                + body);
    assertThat(r.status).isEqualTo(200);
    assertThat(r.body).contains("a".repeat(1_999_000));
    InvocationRecord call = stack.lambda().invocations().last().orElseThrow();
    assertThat(call.verification().isValid()).isTrue();
  }

  @Test
  void escapedSlashesAreRedirectedToTheUnescapedPath() throws Exception {
    long seen = stack.lambda().invocations().count();
    Reply r = post("/echo%2F..%2Fadmin?x=%2F");
    assertThat(r.status).isEqualTo(307);
    assertThat(r.headers.get("location")).isEqualTo("/admin?x=%2F");
    r = post("/echo%5cx");
    assertThat(r.status).isEqualTo(307);
    assertThat(r.headers.get("location")).isEqualTo("/echo/x");
    assertThat(stack.lambda().invocations().count()).isEqualTo(seen);
  }

  @Test
  void dotSegmentsAndDoubleSlashesAreNormalisedBeforeRouting() throws Exception {
    assertThat(post("/nothing/../echo").status).isEqualTo(200);
    assertThat(post("//echo").status).isEqualTo(200);
    assertThat(post("/%65cho").status).as("an escaped unreserved character").isEqualTo(200);
    InvocationRecord call = stack.lambda().invocations().last().orElseThrow();
    assertThat(call.verification().isValid()).isTrue();
    assertThat(post("/echo/../../nothing").status).isEqualTo(404);
  }

  @Test
  void aHeaderNameWithAnUnderscoreIsRejectedAndTheConnectionClosed() throws Exception {
    long seen = stack.lambda().invocations().count();
    Reply r = send(request("/echo", "X_User: admin\r\n"));
    assertThat(r.status).isEqualTo(400);
    assertThat(r.closed).isTrue();
    assertThat(stack.lambda().invocations().count()).isEqualTo(seen);
  }

  @Test
  void oversizedAndTooManyHeadersAre431AndTheConnectionClosed() throws Exception {
    long seen = stack.lambda().invocations().count();
    Reply big = send(request("/echo", "X-Big: " + "v".repeat(61 * 1024) + "\r\n"));
    assertThat(big.status).isEqualTo(431);
    assertThat(big.closed).isTrue();
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 101; i++) {
      many.append("X-H").append(i).append(": v\r\n");
    }
    Reply tooMany = send(request("/echo", many.toString()));
    assertThat(tooMany.status).isEqualTo(431);
    assertThat(tooMany.closed).isTrue();
    // just under both limits is fine
    StringBuilder ninetyNine = new StringBuilder();
    for (int i = 0; i < 95; i++) {
      ninetyNine.append("X-H").append(i).append(": v\r\n");
    }
    assertThat(send(request("/echo", ninetyNine.toString())).status).isEqualTo(200);
    assertThat(stack.lambda().invocations().count()).isEqualTo(seen + 1);
  }

  /** Slowloris: headers that do not finish within request_headers_timeout (10 s). */
  @Test
  void headersThatTakeLongerThanTheTimeoutAre408AndTheConnectionClosed() throws Exception {
    long seen = stack.lambda().invocations().count();
    try (Socket s = new Socket("127.0.0.1", ports.listener())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      long start = System.nanoTime();
      out.write("POST /echo HTTP/1.1\r\nHost: gw\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
      assertThat(reply)
          .startsWith("HTTP/1.1 408 ")
          .contains("connection: close")
          .endsWith("request header timeout");
      assertThat(seconds).isBetween(9L, 20L);
    }
    assertThat(stack.lambda().invocations().count()).isEqualTo(seen);
  }

  // ----------------------------------------------------------------------------- helpers

  static final String BODY = "{\"key1\":\"value1\"}";

  static String request(String path, String extraHeaders) {
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
        + extraHeaders
        + "Content-Length: "
        + BODY.length()
        + "\r\n\r\n"
        + BODY;
  }

  static Reply post(String path) throws IOException {
    return send(request(path, ""));
  }

  record Reply(int status, Map<String, String> headers, String body, boolean closed) {}

  /** One request on a fresh connection; reads the reply, then whether the server closed. */
  static Reply send(String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", ports.listener())) {
      s.setSoTimeout(60_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      String head = readHead(in);
      String[] lines = head.split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      byte[] body = in.readNBytes(length);
      s.setSoTimeout(2_000);
      boolean closed;
      try {
        closed = in.read() < 0;
      } catch (SocketTimeoutException e) {
        closed = false;
      }
      return new Reply(status, headers, new String(body, StandardCharsets.UTF_8), closed);
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      b.write(c);
      int n = b.size();
      byte[] a = b.toByteArray();
      if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
        return new String(a, 0, n - 4, StandardCharsets.ISO_8859_1);
      }
    }
    throw new IOException(
        "connection closed before the response headers: "
            + b.toString(StandardCharsets.ISO_8859_1));
  }
}
