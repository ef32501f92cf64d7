package dev.lambdagate.harness.cli;

import com.sun.net.httpserver.HttpServer;
import dev.lambdagate.controlplane.ControlPlaneMain;
import dev.lambdagate.harness.dataplane.AdsApiType;
import dev.lambdagate.harness.dataplane.DataPlaneOptions;
import dev.lambdagate.harness.dataplane.EmbeddedDataPlane;
import dev.lambdagate.harness.dataplane.XdsClientCredentials;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/**
 * {@code dataplane}: the embedded data plane, configured over ADS like Envoy, until Ctrl-C.
 *
 * <pre>
 * dataplane [--ads 127.0.0.1:18000] [--node-id lambdagate-embedded] [--gateway default/http]
 *           [--wasm wasm-filter/target/lambdagate.wasm] [--admin-port 19000] [--bind ADDRESS]
 *           [--workers 1] [--xds-ca FILE] [--xds-cert FILE] [--xds-key FILE]
 *           [--ads-api-type DELTA_GRPC|GRPC]
 * </pre>
 *
 * ADS is mutual TLS: {@code --xds-ca} verifies the control plane, {@code --xds-cert} and {@code
 * --xds-key} are the Gateway's client certificate and key. Each defaults to the file a file-mode
 * control plane on this machine writes with its default {@code --tls-dir}: {@code
 * <tmp>/lambdagate-xds/gateways/<gateway>/{ca.crt,tls.crt,tls.key}}. {@code --workers N} runs N
 * Wasm VMs per (listener, plugin configuration), as Envoy runs one per worker thread; streams are
 * spread over them. The admin port answers {@code GET /ready} (200 once a listener serves with its
 * routes, else 503), {@code GET /config_dump} (what is being served, one line per resource) and
 * {@code GET /stats} (the filter's metrics in Envoy's text format, summed over the VMs;
 * docs/metrics.md). {@code --ads-api-type} is the bootstrap's {@code ads_config.api_type}:
 * incremental {@code DELTA_GRPC} (the default, as lambdagate's bootstraps) or state-of-the-world
 * {@code GRPC}. Exit codes: 0 stopped by Ctrl-C; 2 bad arguments, missing module, or the admin port
 * is taken.
 */
public final class DataPlaneCommand {
  private DataPlaneCommand() {}

  static final String USAGE =
      "usage: dataplane [--ads HOST:PORT] [--node-id ID] "
          + "[--gateway NS/NAME] [--wasm FILE] [--admin-port 19000] [--bind ADDRESS] [--workers 1] "
          + "[--xds-ca FILE] [--xds-cert FILE] [--xds-key FILE] [--ads-api-type DELTA_GRPC|GRPC]\n"
          + "  ADS is mutual TLS; --xds-ca/--xds-cert/--xds-key default to the Gateway's files that "
          + "a file-mode control plane writes in <tmp>/lambdagate-xds/gateways/NS/NAME/"
          + "{ca.crt,tls.crt,tls.key}";

  public static int run(List<String> args, PrintStream out, PrintStream err) {
    if (CommandLine.asksForHelp(args)) {
      out.println(USAGE);
      return 0;
    }
    Map<String, String> o;
    String adsHost;
    int adsPort;
    int adminPort;
    AdsApiType apiType;
    try {
      o =
          CommandLine.parse(
              args,
              List.of(
                  "--ads",
                  "--node-id",
                  "--gateway",
                  "--wasm",
                  "--admin-port",
                  "--bind",
                  "--workers",
                  "--xds-ca",
                  "--xds-cert",
                  "--xds-key",
                  "--ads-api-type"));
      String ads = o.getOrDefault("--ads", "127.0.0.1:18000");
      int colon = ads.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("--ads: expected HOST:PORT, got '" + ads + "'");
      }
      adsHost = ads.substring(0, colon);
      adsPort = EmulatorCommand.port(ads.substring(colon + 1));
      adminPort = EmulatorCommand.port(o.getOrDefault("--admin-port", "19000"));
      apiType = AdsApiType.parse(o.getOrDefault("--ads-api-type", "DELTA_GRPC"));
      String gateway = o.getOrDefault("--gateway", "default/http");
      if (gateway.indexOf('/') <= 0 || gateway.endsWith("/")) {
        throw new IllegalArgumentException(
            "--gateway: expected NAMESPACE/NAME, got '" + gateway + "'");
      }
    } catch (IllegalArgumentException e) {
      err.println("dataplane: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    XdsClientCredentials defaults =
        XdsClientCredentials.inDirectory(
            ControlPlaneMain.DEFAULT_TLS_DIR
                .resolve("gateways")
                .resolve(o.getOrDefault("--gateway", "default/http")));
    XdsClientCredentials credentials =
        new XdsClientCredentials(
            o.containsKey("--xds-ca") ? Paths.get(o.get("--xds-ca")) : defaults.caCertificate(),
            o.containsKey("--xds-cert") ? Paths.get(o.get("--xds-cert")) : defaults.certificate(),
            o.containsKey("--xds-key") ? Paths.get(o.get("--xds-key")) : defaults.privateKey());
    try {
      credentials.requireReadable();
    } catch (IllegalArgumentException e) {
      err.println(
          "dataplane: xDS credentials: "
              + e.getMessage()
              + " (start the control plane "
              + "in file mode first, or pass --xds-ca, --xds-cert and --xds-key)");
      return 2;
    }
    Path wasm = Paths.get(o.getOrDefault("--wasm", "wasm-filter/target/lambdagate.wasm"));
    if (!Files.isRegularFile(wasm)) {
      err.println("dataplane: --wasm: no such file: " + wasm + " (build it with 'make build')");
      return 2;
    }
    out.println("dataplane: " + whyEmbedded());
    HttpServer admin = null;
    if (adminPort != 0 || o.containsKey("--admin-port")) {
      try {
        admin = HttpServer.create(new InetSocketAddress("127.0.0.1", adminPort), 16);
      } catch (BindException e) {
        err.println(
            "dataplane: admin port "
                + adminPort
                + " on 127.0.0.1 is already in use "
                + "(choose another with --admin-port)");
        return 2;
      } catch (IOException e) {
        err.println("dataplane: cannot open the admin port " + adminPort + ": " + e.getMessage());
        return 2;
      }
    }
    DataPlaneOptions options =
        DataPlaneOptions.of(
                adsHost,
                adsPort,
                credentials,
                o.getOrDefault("--node-id", "lambdagate-embedded"),
                o.getOrDefault("--gateway", "default/http"),
                wasm)
            .withAdsApiType(apiType)
            .withLog(line -> err.println("[dataplane] " + line));
    if (o.containsKey("--bind")) {
      options = options.withBindOverride(o.get("--bind"));
    }
    if (o.containsKey("--workers")) {
      int workers;
      try {
        workers = Integer.parseInt(o.get("--workers"));
      } catch (NumberFormatException e) {
        workers = 0;
      }
      if (workers < 1 || workers > 64) {
        err.println("dataplane: --workers: expected 1..64, got '" + o.get("--workers") + "'");
        return 2;
      }
      options = options.withVmsPerListener(workers);
    }
    EmbeddedDataPlane plane;
    try {
      plane = EmbeddedDataPlane.start(options);
    } catch (IOException | RuntimeException e) {
      if (admin != null) {
        admin.stop(0);
      }
      err.println("dataplane: cannot start: " + e.getMessage());
      return 2;
    }
    if (admin != null) {
      admin.createContext(
          "/ready",
          ex -> {
            boolean ready = plane.isReady();
            reply(ex, ready ? 200 : 503, ready ? "LIVE\n" : "PRE_INITIALIZING\n");
          });
      admin.createContext("/config_dump", ex -> reply(ex, 200, plane.describe()));
      admin.createContext("/stats", ex -> reply(ex, 200, plane.stats()));
      admin.start();
      out.println(
          "dataplane: admin on http://127.0.0.1:"
              + admin.getAddress().getPort()
              + " (/ready, /config_dump, /stats)");
    }
    out.println(
        "dataplane: ADS "
            + adsHost
            + ":"
            + adsPort
            + " ("
            + apiType
            + "), node '"
            + options.nodeId()
            + "', gateway "
            + options.gateway()
            + ", module "
            + wasm
            + "; Ctrl-C stops it");
    out.flush();
    HttpServer adminServer = admin;
    ServeUntilStopped.await(
        "dataplane",
        () -> {
          plane.close();
          if (adminServer != null) {
            adminServer.stop(0);
          }
        },
        err);
    return 0;
  }

  private static void reply(com.sun.net.httpserver.HttpExchange ex, int status, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("content-type", "text/plain");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Which data plane this is and why (Envoy, where it exists, is the real one). */
  static String whyEmbedded() {
    String envoy = findOnPath("envoy");
    boolean docker = dockerDaemon();
    if (envoy == null && !docker) {
      return "embedded data plane (no envoy on PATH and no Docker daemon → embedded data plane)";
    }
    return "embedded data plane, as asked ("
        + (envoy != null ? "envoy found at " + envoy : "a Docker daemon is reachable")
        + ": for the real proxy run "
        + "'envoy -c envoy-configs/ads-bootstrap.yaml', see envoy-configs/README.md)";
  }

  static String findOnPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      File f = new File(dir, name);
      if (f.isFile() && f.canExecute()) {
        return f.getPath();
      }
    }
    return null;
  }

  static boolean dockerDaemon() {
    String host = System.getenv("DOCKER_HOST");
    if (host != null && host.startsWith("tcp://")) {
      String hp = host.substring(6);
      int colon = hp.lastIndexOf(':');
      try (Socket s = new Socket()) {
        s.connect(
            new InetSocketAddress(
                hp.substring(0, colon),
                Integer.parseInt(hp.substring(colon + 1).replaceAll("/.*", ""))),
            500);
        return true;
      } catch (IOException | RuntimeException e) {
        return false;
      }
    }
    Path sock =
        Paths.get(
            host != null && host.startsWith("unix://")
                ? host.substring(7)
                : "/var/run/docker.sock");
    if (!Files.exists(sock)) {
      return false;
    }
    try (var channel =
        java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(sock))) {
      return channel.isConnected();
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
