package dev.lambdagate.controlplane;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Serves {@code lambdagate.wasm} over HTTP to the proxies the control plane provisions: Envoy
 * fetches it as the Wasm filter's {@code remote} code and checks its sha256, so the module is read
 * once here and never changes while served. Thread-safe.
 */
final class WasmFileServer implements AutoCloseable {
  static final String PATH = "/lambdagate.wasm";

  private final HttpServer server;
  private final String sha256;

  private WasmFileServer(HttpServer server, String sha256) {
    this.server = server;
    this.sha256 = sha256;
  }

  static WasmFileServer start(Path file, int port) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("no such file (set --wasm-file to lambdagate.wasm)");
    }
    byte[] module = Files.readAllBytes(file);
    String sha;
    try {
      sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(module));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
    server.createContext(
        PATH,
        exchange -> {
          try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
              exchange.sendResponseHeaders(405, -1);
              return;
            }
            exchange.getResponseHeaders().set("content-type", "application/wasm");
            exchange.sendResponseHeaders(200, module.length);
            try (OutputStream body = exchange.getResponseBody()) {
              body.write(module);
            }
          }
        });
    server.start();
    return new WasmFileServer(server, sha);
  }

  String sha256() {
    return sha256;
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
