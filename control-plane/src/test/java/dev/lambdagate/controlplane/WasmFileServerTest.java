package dev.lambdagate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The module server answers Envoy's fetch, and no client that stalls holds it up. */
class WasmFileServerTest {
  @TempDir Path dir;
  byte[] module;
  WasmFileServer server;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws Exception {
    module = new byte[300_000];
    new Random(1).nextBytes(module);
    Path file = dir.resolve("lambdagate.wasm");
    Files.write(file, module);
    server = WasmFileServer.start(file, 0, 1_000);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void servesTheModuleWithTheSha256ItAnnounces() throws Exception {
    HttpResponse<byte[]> response = get(WasmFileServer.PATH, "GET");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/wasm");
    assertThat(response.body()).isEqualTo(module);
    assertThat(server.sha256())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(module)));
  }

  @Test
  void answersOtherPathsAndMethodsWithoutTheModule() throws Exception {
    assertThat(get("/other", "GET").statusCode()).isEqualTo(404);
    HttpResponse<byte[]> post = get(WasmFileServer.PATH, "POST");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
    assertThat(post.body()).isEmpty();
  }

  /** Half a request line held open: before, the server's one thread waited on it for everyone. */
  @Test
  void aClientThatStallsDoesNotHoldUpTheNext() throws Exception {
    try (Socket stalled = new Socket("127.0.0.1", server.port())) {
      stalled.getOutputStream().write("GET /lambdagate.wa".getBytes(StandardCharsets.US_ASCII));
      stalled.getOutputStream().flush();

      HttpResponse<byte[]> response = get(WasmFileServer.PATH, "GET");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(module);
    }
  }

  @Test
  void closesAConnectionWhoseRequestDoesNotArriveInTime() throws Exception {
    try (Socket stalled = new Socket("127.0.0.1", server.port())) {
      stalled.setSoTimeout(10_000);
      OutputStream out = stalled.getOutputStream();
      out.write("GET /lambdagate.wasm HTTP/1.1\r\nhost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      long start = System.nanoTime();
      InputStream in = stalled.getInputStream();
      assertThat(in.read()).as("closed by the server, nothing answered").isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
    }
  }

  @Test
  void refusesAnOversizedHead() throws Exception {
    try (Socket client = new Socket("127.0.0.1", server.port())) {
      client.setSoTimeout(5_000);
      String head =
          "GET /lambdagate.wasm HTTP/1.1\r\nhost: x\r\nx-filler: "
              + "a".repeat(20_000)
              + "\r\n\r\n";
      try {
        client.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      } catch (IOException e) {
        return; // the server closed the connection while the head was still arriving
      }
      String reply = new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(reply).startsWith("HTTP/1.1 400").doesNotContain("application/wasm");
    }
  }

  private HttpResponse<byte[]> get(String path, String method) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(5))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
