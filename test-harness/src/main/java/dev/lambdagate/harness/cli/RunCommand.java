package dev.lambdagate.harness.cli;

import dev.lambdagate.config.Endpoint;
import dev.lambdagate.controlplane.ControlPlaneMain;
import dev.lambdagate.controlplane.tls.GatewayCredentialFiles;
import dev.lambdagate.harness.dataplane.DataPlaneOptions;
import dev.lambdagate.harness.dataplane.EmbeddedDataPlane;
import dev.lambdagate.harness.dataplane.XdsClientCredentials;
import dev.lambdagate.harness.emulator.LambdaEmulator;
import dev.lambdagate.harness.emulator.LambdaEmulatorConfig;
import dev.lambdagate.harness.emulator.StsEmulator;
import dev.lambdagate.harness.emulator.StsEmulatorConfig;
import dev.lambdagate.harness.emulator.credentials.CredentialStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code run}: the whole path on one machine, with no cluster — the control plane in file mode on a
 * directory of Gateway/HTTPRoute/Backend/Secret YAML (watched: editing a file changes routing
 * live), the Lambda and STS emulators, and a data plane fed by the control plane over ADS: a real
 * Envoy where one exists ({@code envoy} on PATH, or a Docker daemon for the official image),
 * otherwise the embedded data plane running the same {@code lambdagate.wasm}. It says which data
 * plane it chose and why. Ctrl-C stops everything.
 *
 * <pre>
 * run [--manifests examples/secret] [--wasm wasm-filter/target/lambdagate.wasm]
 *     [--data-plane auto|embedded|envoy|docker] [--listener-port N] [--lambda-port 9001]
 *     [--sts-port 9002] [--sts-endpoint URL] [--ads-port 18000] [--gateway default/http]
 *     [--web-identity-token-file FILE] [--tls-dir DIR]
 * </pre>
 *
 * {@code --listener-port N} moves the Gateway's listeners to port N: the control plane reads a copy
 * of the manifests with the port rewritten, kept in step with the originals ({@link
 * ListenerPortManifests}), so Envoy and the embedded data plane bind what LDS says. {@code
 * --sts-endpoint URL} sends the control plane's STS calls there instead of to the STS emulator,
 * which then does not start.
 *
 * <p>ADS is mutual TLS on 127.0.0.1: the control plane keeps its CA in {@code --tls-dir} (default
 * {@code <tmp>/lambdagate-xds}) and writes the Gateway's client credentials there; the data plane,
 * embedded or Envoy, connects with them.
 */
public final class RunCommand {
  private static final List<String> OPTIONS =
      List.of(
          "--manifests",
          "--wasm",
          "--data-plane",
          "--lambda-port",
          "--sts-port",
          "--ads-port",
          "--gateway",
          "--web-identity-token-file",
          "--admin-port",
          "--tls-dir",
          "--listener-port",
          "--sts-endpoint");

  static final String USAGE =
      "usage: run [--manifests examples/secret] [--wasm FILE]"
          + " [--data-plane auto|embedded|envoy|docker]"
          + " [--listener-port N (the Gateway's listeners; default: the port in its manifest)]"
          + " [--lambda-port 9001] [--sts-port 9002]"
          + " [--sts-endpoint URL (STS the control plane calls; default: the STS emulator)]"
          + " [--ads-port 18000] [--admin-port 19000 (Envoy's admin)] [--gateway default/http]"
          + " [--web-identity-token-file FILE (default: a token the STS emulator accepts)]"
          + " [--tls-dir DIR (xDS CA and client credentials; default <tmp>/lambdagate-xds)]";

  private RunCommand() {}

  /**
   * What {@code run} starts.
   *
   * @param listenerPort the port the Gateway's listeners move to, or 0 to keep the manifest's
   * @param stsEndpoint the STS URL the control plane calls, or null for the STS emulator
   */
  public record Options(
      Path manifests,
      Path wasm,
      String dataPlane,
      int lambdaPort,
      int stsPort,
      int adsPort,
      int adminPort,
      String gateway,
      Path tokenFile,
      Path tlsDir,
      int listenerPort,
      String stsEndpoint) {
    public static Options defaults(Path manifests, Path wasm) {
      return new Options(
          manifests,
          wasm,
          "auto",
          9001,
          9002,
          18000,
          19000,
          "default/http",
          null,
          ControlPlaneMain.DEFAULT_TLS_DIR,
          0,
          null);
    }

    public Options withPorts(int lambda, int sts, int ads, int admin) {
      return new Options(
          manifests,
          wasm,
          dataPlane,
          lambda,
          sts,
          ads,
          admin,
          gateway,
          tokenFile,
          tlsDir,
          listenerPort,
          stsEndpoint);
    }

    public Options withDataPlane(String kind) {
      return new Options(
          manifests,
          wasm,
          kind,
          lambdaPort,
          stsPort,
          adsPort,
          adminPort,
          gateway,
          tokenFile,
          tlsDir,
          listenerPort,
          stsEndpoint);
    }

    public Options withTlsDir(Path dir) {
      return new Options(
          manifests,
          wasm,
          dataPlane,
          lambdaPort,
          stsPort,
          adsPort,
          adminPort,
          gateway,
          tokenFile,
          dir,
          listenerPort,
          stsEndpoint);
    }

    /** The Gateway's listeners on {@code port} (1..65535), whatever its manifest says. */
    public Options withListenerPort(int port) {
      return new Options(
          manifests,
          wasm,
          dataPlane,
          lambdaPort,
          stsPort,
          adsPort,
          adminPort,
          gateway,
          tokenFile,
          tlsDir,
          port,
          stsEndpoint);
    }

    /** The control plane calls STS at {@code url}; the STS emulator does not start. */
    public Options withStsEndpoint(String url) {
      return new Options(
          manifests,
          wasm,
          dataPlane,
          lambdaPort,
          stsPort,
          adsPort,
          adminPort,
          gateway,
          tokenFile,
          tlsDir,
          listenerPort,
          url);
    }
  }

  /** Everything {@code run} started; closing stops it in reverse order. */
  public static final class Stack implements AutoCloseable {
    private final List<AutoCloseable> started = new ArrayList<>();
    private LambdaEmulator lambda;
    private StsEmulator sts;
    private ControlPlaneMain.Running controlPlane;
    private EmbeddedDataPlane embedded;
    private String dataPlaneChoice;
    private XdsClientCredentials credentials;
    private List<Integer> listenerPorts = List.of();

    /** The Gateway's xDS client credentials the data plane connects with. */
    public XdsClientCredentials credentials() {
      return credentials;
    }

    public LambdaEmulator lambda() {
      return lambda;
    }

    /** The STS emulator, or null with {@code --sts-endpoint}. */
    public StsEmulator sts() {
      return sts;
    }

    public ControlPlaneMain.Running controlPlane() {
      return controlPlane;
    }

    /**
     * Where the Gateway is served: the embedded data plane's bound listener ports, or for Envoy the
     * Gateway's port ({@code --listener-port}, else its manifest's); empty if unknown.
     */
    public List<Integer> listenerPorts() {
      return listenerPorts;
    }

    /** The embedded data plane, or null when a real Envoy serves. */
    public EmbeddedDataPlane embeddedDataPlane() {
      return embedded;
    }

    public String dataPlaneChoice() {
      return dataPlaneChoice;
    }

    @Override
    public void close() {
      for (int i = started.size() - 1; i >= 0; i--) {
        try {
          started.get(i).close();
        } catch (Exception e) {
          // keep stopping the rest
        }
      }
      started.clear();
    }
  }

  /** A part of the stack could not start; the message says which and why. */
  public static final class StartException extends Exception {
    StartException(String message) {
      super(message);
    }
  }

  public static int run(List<String> args, PrintStream out, PrintStream err) {
    if (CommandLine.asksForHelp(args)) {
      out.println(USAGE);
      return 0;
    }
    Options options;
    try {
      Map<String, String> o = CommandLine.parse(args, OPTIONS);
      options =
          new Options(
              Paths.get(o.getOrDefault("--manifests", "examples/secret")),
              Paths.get(o.getOrDefault("--wasm", "wasm-filter/target/lambdagate.wasm")),
              o.getOrDefault("--data-plane", "auto"),
              EmulatorCommand.port(o.getOrDefault("--lambda-port", "9001")),
              EmulatorCommand.port(o.getOrDefault("--sts-port", "9002")),
              EmulatorCommand.port(o.getOrDefault("--ads-port", "18000")),
              EmulatorCommand.port(o.getOrDefault("--admin-port", "19000")),
              o.getOrDefault("--gateway", "default/http"),
              o.containsKey("--web-identity-token-file")
                  ? Paths.get(o.get("--web-identity-token-file"))
                  : null,
              o.containsKey("--tls-dir")
                  ? Paths.get(o.get("--tls-dir"))
                  : ControlPlaneMain.DEFAULT_TLS_DIR,
              o.containsKey("--listener-port") ? listenerPort(o.get("--listener-port")) : 0,
              o.get("--sts-endpoint"));
      if (options.stsEndpoint() != null) {
        try {
          Endpoint.parse(options.stsEndpoint());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "--sts-endpoint: '" + options.stsEndpoint() + "' " + e.getMessage());
        }
      }
      if (!List.of("auto", "embedded", "envoy", "docker").contains(options.dataPlane())) {
        throw new IllegalArgumentException(
            "--data-plane: expected auto, embedded, envoy or "
                + "docker, got '"
                + options.dataPlane()
                + "'");
      }
    } catch (IllegalArgumentException e) {
      err.println("run: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    Stack stack;
    try {
      stack = start(options, out);
    } catch (StartException e) {
      err.println("run: " + e.getMessage());
      return 2;
    }
    List<Integer> https;
    try {
      https = ListenerPortManifests.gatewayHttpsPorts(options.manifests(), options.gateway());
    } catch (IOException e) {
      https = List.of();
    }
    out.println(readyMessage(stack.listenerPorts(), https, options.manifests()));
    out.flush();
    ServeUntilStopped.await("run", stack::close, err);
    return 0;
  }

  /** {@code --listener-port}'s value: 1..65535 (0 would let each data plane pick its own). */
  static int listenerPort(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // the message below
    }
    throw new IllegalArgumentException("--listener-port: expected 1..65535, got '" + value + "'");
  }

  /** What {@code run} says once it serves: the curl to try, on the port actually listened on. */
  static String readyMessage(List<Integer> listenerPorts, Path manifests) {
    return readyMessage(listenerPorts, List.of(), manifests);
  }

  /**
   * As {@link #readyMessage(List, Path)}, with a {@code curl -k https://} for each port of {@code
   * httpsPorts} that is listened on (its certificate is the Secret's, self-signed in the examples).
   */
  static String readyMessage(
      List<Integer> listenerPorts, List<Integer> httpsPorts, Path manifests) {
    String body = " -d '{\"key1\":\"value1\", \"key2\":\"value2\"}' -X POST\n";
    StringBuilder curls = new StringBuilder();
    Integer plain = null;
    for (int p : listenerPorts) {
      if (!httpsPorts.contains(p)) {
        plain = p;
        break;
      }
    }
    if (plain != null || listenerPorts.isEmpty()) {
      curls
          .append(
              plain == null
                  ? "  curl localhost:<the Gateway's listener port>/echo"
                  : "  curl localhost:" + plain + "/echo")
          .append(body);
    }
    for (int p : listenerPorts) {
      if (httpsPorts.contains(p)) {
        curls.append("  curl -k https://localhost:").append(p).append("/echo").append(body);
      }
    }
    return "run: ready. Try:\n"
        + curls
        + (listenerPorts.size() > 1 ? "(listeners on ports " + listenerPorts + ")\n" : "")
        + "Edit the files in "
        + manifests
        + " to change routing; Ctrl-C stops everything.";
  }

  /** Starts the stack and waits until the data plane serves the Gateway's listeners. */
  public static Stack start(Options options, PrintStream out) throws StartException {
    if (!Files.isRegularFile(options.wasm())) {
      throw new StartException(
          "--wasm: no such file: " + options.wasm() + " (build it with 'make build')");
    }
    if (!Files.isDirectory(options.manifests())) {
      throw new StartException("--manifests: not a directory: " + options.manifests());
    }
    Stack stack = new Stack();
    try {
      CredentialStore credentials = CredentialStore.withTestKeyPair();
      stack.lambda =
          started(
              stack,
              () ->
                  LambdaEmulator.start(
                      LambdaEmulatorConfig.builder()
                          .port(options.lambdaPort())
                          .bindAddress("127.0.0.1")
                          .credentialStore(credentials)
                          .build()),
              "the Lambda emulator",
              options.lambdaPort(),
              "--lambda-port");
      String stsEndpoint;
      if (options.stsEndpoint() == null) {
        stack.sts =
            started(
                stack,
                () ->
                    StsEmulator.start(
                        StsEmulatorConfig.builder()
                            .port(options.stsPort())
                            .bindAddress("127.0.0.1")
                            .credentialStore(credentials)
                            .build()),
                "the STS emulator",
                options.stsPort(),
                "--sts-port");
        stsEndpoint = stack.sts.endpoint().toString();
        out.println(
            "run: Lambda emulator on "
                + stack.lambda.endpoint()
                + " (function echo and"
                + " others), STS emulator on "
                + stsEndpoint);
      } else {
        stsEndpoint = options.stsEndpoint();
        out.println(
            "run: Lambda emulator on "
                + stack.lambda.endpoint()
                + " (function echo and"
                + " others); STS at "
                + stsEndpoint
                + " (--sts-endpoint; no STS emulator)");
      }
      Path manifests = options.manifests();
      if (options.listenerPort() != 0) {
        ListenerPortManifests moved;
        try {
          moved =
              ListenerPortManifests.start(
                  options.manifests(),
                  options.gateway(),
                  options.listenerPort(),
                  line -> out.println("run: " + line));
        } catch (IllegalArgumentException e) {
          throw new StartException("--listener-port: " + e.getMessage());
        }
        stack.started.add(moved);
        manifests = moved.directory();
        out.println(
            "run: Gateway "
                + options.gateway()
                + " listens on port "
                + options.listenerPort()
                + " (--listener-port): the control plane reads a copy of "
                + options.manifests()
                + " with that port, kept in step with it, in "
                + manifests);
      }
      Path token = options.tokenFile() != null ? options.tokenFile() : emulatorToken();
      List<String> cpArgs =
          new ArrayList<>(
              List.of(
                  "--manifests",
                  manifests.toString(),
                  "--ads-port",
                  Integer.toString(options.adsPort()),
                  "--wasm-file",
                  options.wasm().toAbsolutePath().toString(),
                  "--sts-endpoint",
                  stsEndpoint,
                  "--web-identity-token-file",
                  token.toString(),
                  "--tls-dir",
                  options.tlsDir().toString()));
      try {
        stack.controlPlane = ControlPlaneMain.start(cpArgs.toArray(new String[0]));
      } catch (ControlPlaneMain.StartException e) {
        throw new StartException("control plane: " + e.getMessage());
      }
      stack.started.add(stack.controlPlane);
      awaitSecretSessions(stack, out);
      out.println(
          "run: control plane in file mode on "
              + options.manifests()
              + " (watched), ADS (mutual TLS) on 127.0.0.1:"
              + stack.controlPlane.adsPort());
      GatewayCredentialFiles.Paths files = stack.controlPlane.gatewayCredentials(options.gateway());
      stack.credentials =
          new XdsClientCredentials(files.caCertificate(), files.certificate(), files.privateKey());
      out.println(
          "run: xDS client credentials of Gateway "
              + options.gateway()
              + " in "
              + files.certificate().getParent());
      startDataPlane(stack, options, out);
      return stack;
    } catch (StartException e) {
      stack.close();
      throw e;
    } catch (IOException | RuntimeException e) {
      stack.close();
      throw new StartException(e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  /**
   * Waits (up to 20 s) until the control plane has exchanged the Secrets' keys with STS, so the
   * first configuration the data plane gets carries the session credentials.
   */
  private static void awaitSecretSessions(Stack stack, PrintStream out) {
    try {
      if (!stack.controlPlane.awaitSecretSessions(Duration.ofSeconds(20))) {
        out.println(
            "run: no answer from STS to the Secret keys' exchange within 20 s; Backends"
                + " using them answer 500 until it comes");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private interface Starter<T> {
    T start() throws IOException;
  }

  private static <T extends AutoCloseable> T started(
      Stack stack, Starter<T> starter, String what, int port, String flag)
      throws StartException, IOException {
    T server;
    try {
      server = starter.start();
    } catch (BindException e) {
      throw new StartException(
          "cannot start "
              + what
              + ": port "
              + port
              + " on 127.0.0.1 is already in use (choose another with "
              + flag
              + ")");
    }
    stack.started.add(server);
    return server;
  }

  private static void startDataPlane(Stack stack, Options options, PrintStream out)
      throws StartException, IOException {
    String envoy = DataPlaneCommand.findOnPath("envoy");
    DataPlaneChoice choice;
    try {
      choice = DataPlaneChoice.choose(options.dataPlane(), envoy, DataPlaneCommand.dockerDaemon());
    } catch (IllegalArgumentException e) {
      throw new StartException(e.getMessage());
    }
    String kind = choice.kind();
    stack.dataPlaneChoice = kind;
    out.println(choice.announcement(envoyImage()));
    if (kind.equals("embedded")) {
      try {
        stack.embedded =
            EmbeddedDataPlane.start(
                DataPlaneOptions.of(
                        "127.0.0.1",
                        stack.controlPlane.adsPort(),
                        stack.credentials,
                        "lambdagate-run",
                        options.gateway(),
                        options.wasm())
                    .withLog(line -> out.println("[dataplane] " + line)));
      } catch (BindException e) {
        throw new StartException("data plane: " + e.getMessage());
      }
      stack.started.add(stack.embedded);
      try {
        if (!stack.embedded.awaitReady(Duration.ofSeconds(60))) {
          throw new StartException(
              "data plane: no listener served within 60 s: " + stack.embedded.describe());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StartException("interrupted while waiting for the data plane");
      }
      List<Integer> ports = new ArrayList<>();
      for (String listener : stack.embedded.listenerNames()) {
        int port = stack.embedded.listenerPort(listener);
        if (port > 0 && !ports.contains(port)) {
          ports.add(port);
        }
      }
      stack.listenerPorts = List.copyOf(ports);
      out.println(
          "run: embedded data plane serving "
              + stack.embedded.listenerNames()
              + " on port(s) "
              + ports);
      return;
    }
    Path bootstrap = Files.createTempFile("lambdagate-envoy-", ".yaml");
    Files.writeString(
        bootstrap, bootstrap(options, stack.controlPlane.adsPort(), stack.credentials));
    bootstrap.toFile().deleteOnExit();
    List<String> command = new ArrayList<>();
    if (kind.equals("envoy")) {
      command.addAll(List.of(envoy, "-c", bootstrap.toString(), "--log-level", "warn"));
    } else {
      String wasm = options.wasm().toAbsolutePath().toString();
      // The credentials' directory at the same path inside, so the bootstrap's paths hold.
      String tls = stack.credentials.certificate().getParent().toAbsolutePath().toString();
      // ENVOY_UID=0: the image would drop to its own user, who cannot read the owner-only key.
      command.addAll(
          List.of(
              "docker",
              "run",
              "--rm",
              "--network",
              "host",
              "-e",
              "ENVOY_UID=0",
              "-v",
              bootstrap + ":/etc/envoy/lambdagate-run.yaml:ro",
              "-v",
              wasm + ":" + wasm + ":ro",
              "-v",
              tls + ":" + tls + ":ro",
              envoyImage(),
              "-c",
              "/etc/envoy/lambdagate-run.yaml",
              "--log-level",
              "warn"));
    }
    Process process = new ProcessBuilder(command).inheritIO().start();
    stack.started.add(
        () -> {
          process.destroy();
          process.waitFor();
        });
    awaitEnvoyReady(process, options.adminPort());
    stack.listenerPorts =
        options.listenerPort() != 0
            ? List.of(options.listenerPort())
            : ListenerPortManifests.gatewayPorts(options.manifests(), options.gateway());
    out.println("run: Envoy ready (admin http://127.0.0.1:" + options.adminPort() + ")");
  }

  private static void awaitEnvoyReady(Process process, int adminPort) throws StartException {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new StartException(
            "Envoy exited with status " + process.exitValue() + " (its log is above)");
      }
      try {
        HttpResponse<String> ready =
            client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/ready"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StartException("interrupted while waiting for Envoy");
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StartException("interrupted while waiting for Envoy");
      }
    }
    throw new StartException("Envoy was not ready within 120 s");
  }

  /** An Envoy bootstrap that takes everything from the control plane over ADS. */
  static String bootstrap(Options options, int adsPort, XdsClientCredentials credentials) {
    return bootstrap(options.gateway(), options.adminPort(), "127.0.0.1", adsPort, credentials);
  }

  /**
   * The same for a control plane at {@code adsHost} (an address, or a name Envoy resolves), over
   * mutual TLS with {@code credentials} (paths as Envoy sees them); the control plane takes the
   * Gateway from the client certificate (node metadata {@code gateway} is for humans). The
   * file-mode control plane's certificate names {@code localhost}: that is the SNI and the name
   * checked, whatever address Envoy connects to.
   */
  public static String bootstrap(
      String gateway,
      int adminPort,
      String adsHost,
      int adsPort,
      XdsClientCredentials credentials) {
    String type =
        adsHost.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9')) ? "STATIC" : "STRICT_DNS";
    return """
        node:
          id: lambdagate-run
          cluster: lambdagate
          metadata:
            gateway: %s
        admin:
          address:
            socket_address: {address: 127.0.0.1, port_value: %d}
        dynamic_resources:
          ads_config:
            api_type: DELTA_GRPC
            transport_api_version: V3
            set_node_on_first_message_only: true
            grpc_services:
            - envoy_grpc: {cluster_name: lambdagate_ads}
          cds_config: {resource_api_version: V3, ads: {}}
          lds_config: {resource_api_version: V3, ads: {}}
        static_resources:
          clusters:
          - name: lambdagate_ads
            type: %s
            connect_timeout: 1s
            typed_extension_protocol_options:
              envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                explicit_http_config: {http2_protocol_options: {}}
            load_assignment:
              cluster_name: lambdagate_ads
              endpoints:
              - lb_endpoints:
                - endpoint:
                    address:
                      socket_address: {address: %s, port_value: %d}
            transport_socket:
              name: envoy.transport_sockets.tls
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
                sni: localhost
                common_tls_context:
                  tls_certificates:
                  - certificate_chain: {filename: "%s"}
                    private_key: {filename: "%s"}
                  validation_context:
                    trusted_ca: {filename: "%s"}
                    match_typed_subject_alt_names:
                    - san_type: DNS
                      matcher: {exact: localhost}
        """
        .formatted(
            gateway,
            adminPort,
            type,
            adsHost,
            adsPort,
            credentials.certificate().toAbsolutePath(),
            credentials.privateKey().toAbsolutePath(),
            credentials.caCertificate().toAbsolutePath());
  }

  /** The official Envoy image, pinned once in the parent pom ({@code envoy.image.version}). */
  static String envoyImage() {
    Properties p = new Properties();
    try (InputStream in = RunCommand.class.getResourceAsStream("/lambdagate-build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // fall through to the error below
    }
    String image = p.getProperty("envoy.image");
    if (image == null) {
      throw new IllegalStateException("lambdagate-build.properties has no envoy.image");
    }
    return image;
  }

  /**
   * A web identity token for the STS emulator (any JWT-shaped token is accepted there): the
   * stand-in for the ServiceAccount token Kubernetes would project, so the IRSA example runs.
   */
  static Path emulatorToken() throws IOException {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header =
        b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String claims =
        b64.encodeToString(
            ("{\"aud\":[\"sts.amazonaws.com\"],"
                    + "\"sub\":\"system:serviceaccount:default:http\",\"iss\":\"https://lambdagate.local\"}")
                .getBytes(StandardCharsets.UTF_8));
    Path file = Files.createTempFile("lambdagate-token-", ".jwt");
    Files.writeString(
        file,
        header
            + "."
            + claims
            + "."
            + b64.encodeToString("emulator".getBytes(StandardCharsets.UTF_8)));
    file.toFile().deleteOnExit();
    return file;
  }
}
