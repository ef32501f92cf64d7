package dev.lambdagate.controlplane;

import dev.lambdagate.config.Endpoint;
import dev.lambdagate.controlplane.files.FileTokenSource;
import dev.lambdagate.controlplane.files.ManifestDirectorySource;
import dev.lambdagate.controlplane.files.ManifestException;
import dev.lambdagate.controlplane.files.ManifestLoader;
import dev.lambdagate.controlplane.kube.KubeMode;
import dev.lambdagate.controlplane.kube.KubeModeOptions;
import dev.lambdagate.controlplane.lambda.DryRunInvoke;
import dev.lambdagate.controlplane.lambda.FunctionChecks;
import dev.lambdagate.controlplane.model.EndpointPolicy;
import dev.lambdagate.controlplane.model.GatewayModel;
import dev.lambdagate.controlplane.model.Model;
import dev.lambdagate.controlplane.model.ModelBuilder;
import dev.lambdagate.controlplane.model.ModelOptions;
import dev.lambdagate.controlplane.model.SessionCredentials;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.state.StateSource;
import dev.lambdagate.controlplane.state.WebIdentityTokenSource;
import dev.lambdagate.controlplane.status.LoggingStatusSink;
import dev.lambdagate.controlplane.status.StatusSink;
import dev.lambdagate.controlplane.sts.SecretSessions;
import dev.lambdagate.controlplane.sts.StsChecks;
import dev.lambdagate.controlplane.sts.StsExchange;
import dev.lambdagate.controlplane.tls.GatewayCredentialFiles;
import dev.lambdagate.controlplane.tls.XdsServerTls;
import dev.lambdagate.controlplane.translate.EnvoyResources;
import dev.lambdagate.controlplane.translate.EnvoyTranslator;
import dev.lambdagate.controlplane.translate.TranslatorOptions;
import dev.lambdagate.controlplane.translate.WasmSource;
import dev.lambdagate.controlplane.translate.XdsYaml;
import dev.lambdagate.controlplane.xds.XdsServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar lambdagate-control-plane.jar [flags]}: serves ADS for lambdagate Gateways read
 * from manifest files ({@code --manifests DIR}) or from Kubernetes (default). See {@code
 * docs/control-plane.md}.
 */
public final class ControlPlaneMain {
  static final String USAGE =
      """
      usage: lambdagate-control-plane [flags]
        --manifests DIR               file mode: read *.yaml/*.yml in DIR, watch for changes
                                      (default: Kubernetes mode)
        --ads-port N                  ADS gRPC port (default 18000); ADS is mutual TLS only:
                                      clients need a Gateway's certificate from this
                                      control plane's CA (docs/control-plane.md)
        --ads-address ADDR            address ADS binds (default 127.0.0.1 in file mode,
                                      0.0.0.0 in Kubernetes mode)
        --tls-dir DIR                 file mode: the xDS CA (ca.crt, ca.key; created when
                                      absent) and each Gateway's client credentials in
                                      DIR/gateways/NS/NAME/{tls.crt,tls.key,ca.crt}
                                      (default <tmp>/lambdagate-xds)
        --wasm-file PATH              lambdagate.wasm on the proxy's disk
                                      (default /etc/envoy/lambdagate.wasm)
        --wasm-url URL --wasm-sha256 HEX
                                      fetch lambdagate.wasm over HTTP(S) instead
        --trusted-ca FILE             CA bundle for AWS endpoints
                                      (default /etc/ssl/certs/ca-certificates.crt)
        --sts-endpoint URL            STS endpoint for web identity and GetSessionToken
                                      (default https://sts.{region}.amazonaws.com); must pass
                                      the endpoint policy, as Backends' endpointURL must
        --endpoint-allowlist H[:P],.. hosts besides AWS endpoints and loopback that may
                                      receive signed requests (http or https; no port:
                                      any port); see docs/control-plane.md
        --sts-check on|off            check each IRSA/AssumeRole Backend's STS exchange from
                                      the control plane and show the outcome on the
                                      Backend's status as CredentialsReady (default on)
        --function-check on|off       invoke each Backend's function with a DryRun from the
                                      control plane, signed with the proxies' credentials,
                                      and show the outcome as FunctionReady (default on)
        --exchange-secret-keys on|off exchange a Secret's long-term keys with STS
                                      GetSessionToken and push only the session (default
                                      on; a Gateway's GatewayParameters
                                      spec.awsCredentials.exchangeSecretKeys overrides it)
        --gateway-class A,B           GatewayClass names served besides classes whose
                                      controllerName is lambdagate.dev/gateway-controller
                                      (default kgateway,lambdagate)
        --web-identity-token-file F   file mode: token for IRSA backends, re-read on change
        --pod-identity-token-file F   file mode: token (audience pods.eks.amazonaws.com) for
                                      auth.type PodIdentity backends, re-read on change
        --pod-identity-agent URL      where proxies reach the EKS Pod Identity agent (default
                                      http://169.254.170.23:80); only the agent's link-local
                                      addresses or loopback (an agent emulator)
        --dump                        print the xDS resources as YAML and exit
        --help
      """;

  /** Parsed flags. */
  record Flags(
      Path manifests,
      int adsPort,
      WasmSource wasm,
      String trustedCa,
      Endpoint stsEndpoint,
      LinkedHashSet<String> gatewayClasses,
      Path tokenFile,
      boolean dump,
      boolean stsCheck,
      boolean functionCheck,
      boolean exchangeSecretKeys,
      String adsAddress,
      Path tlsDir,
      EndpointPolicy endpointPolicy,
      Path podIdentityTokenFile,
      Endpoint podIdentityAgent) {

    /** In Kubernetes mode a Gateway's ServiceAccount counts only if lambdagate created it. */
    ModelOptions modelOptions(boolean kubernetesMode) {
      return new ModelOptions(
          gatewayClasses,
          stsEndpoint,
          kubernetesMode,
          exchangeSecretKeys,
          endpointPolicy,
          podIdentityAgent);
    }
  }

  /** File mode's default {@code --tls-dir}: {@code lambdagate-xds} in the temp directory. */
  public static final Path DEFAULT_TLS_DIR =
      Path.of(System.getProperty("java.io.tmpdir"), "lambdagate-xds");

  static final class UsageException extends Exception {
    UsageException(String m) {
      super(m);
    }
  }

  static Flags parse(String[] args) throws UsageException {
    Path manifests = null;
    int port = 18000;
    String wasmFile = null;
    String wasmUrl = null;
    String wasmSha = null;
    String ca = TranslatorOptions.DEFAULT_TRUSTED_CA;
    Endpoint sts = null;
    LinkedHashSet<String> classes = new LinkedHashSet<>(ModelOptions.DEFAULT_GATEWAY_CLASSES);
    Path token = null;
    Path podToken = null;
    Endpoint podAgent = null;
    boolean dump = false;
    boolean stsCheck = true;
    boolean functionCheck = true;
    boolean exchangeSecretKeys = true;
    String adsAddress = null;
    Path tlsDir = null;
    EndpointPolicy endpoints = EndpointPolicy.awsOnly();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        value = a.substring(eq + 1);
        a = a.substring(0, eq);
      }
      if (a.equals("--dump")) {
        dump = true;
        continue;
      }
      if (a.equals("--help") || a.equals("-h")) {
        throw new UsageException(null);
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new UsageException(a + " needs a value");
        }
        value = args[++i];
      }
      switch (a) {
        case "--manifests" -> manifests = Path.of(value);
        case "--ads-port" -> {
          try {
            port = Integer.parseInt(value);
          } catch (NumberFormatException e) {
            throw new UsageException("--ads-port: not a number: " + value);
          }
          if (port < 0 || port > 65535) {
            throw new UsageException("--ads-port: must be 0 to 65535");
          }
        }
        case "--ads-address" -> adsAddress = value;
        case "--tls-dir" -> tlsDir = Path.of(value);
        case "--wasm-file" -> wasmFile = value;
        case "--wasm-url" -> wasmUrl = value;
        case "--wasm-sha256" -> wasmSha = value;
        case "--trusted-ca" -> ca = value;
        case "--sts-endpoint" -> {
          try {
            sts = Endpoint.parse(value);
          } catch (IllegalArgumentException e) {
            throw new UsageException("--sts-endpoint: " + e.getMessage());
          }
        }
        case "--gateway-class" -> {
          classes = new LinkedHashSet<>();
          for (String c : value.split(",")) {
            if (!c.isBlank()) {
              classes.add(c.strip());
            }
          }
        }
        case "--endpoint-allowlist" -> {
          try {
            endpoints = EndpointPolicy.withAllowlist(List.of(value.split(",")));
          } catch (IllegalArgumentException e) {
            throw new UsageException("--endpoint-allowlist: " + e.getMessage());
          }
        }
        case "--web-identity-token-file" -> token = Path.of(value);
        case "--pod-identity-token-file" -> podToken = Path.of(value);
        case "--pod-identity-agent" -> podAgent = podIdentityAgent(value);
        case "--sts-check" -> stsCheck = onOff(a, value);
        case "--function-check" -> functionCheck = onOff(a, value);
        case "--exchange-secret-keys" -> exchangeSecretKeys = onOff(a, value);
        default -> throw new UsageException("unknown flag " + a);
      }
    }
    WasmSource wasm;
    if (wasmUrl != null) {
      if (wasmFile != null) {
        throw new UsageException("--wasm-file and --wasm-url exclude each other");
      }
      try {
        wasm = WasmSource.remote(wasmUrl, wasmSha);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    } else {
      if (wasmSha != null) {
        throw new UsageException("--wasm-sha256 goes with --wasm-url");
      }
      wasm = WasmSource.file(wasmFile == null ? WasmSource.DEFAULT_FILE : wasmFile);
    }
    if (manifests != null && !Files.isDirectory(manifests)) {
      throw new UsageException("--manifests: " + manifests + " is not a directory");
    }
    if (tlsDir != null && manifests == null) {
      throw new UsageException(
          "--tls-dir is for file mode (--manifests); in Kubernetes the CA " + "lives in a Secret");
    }
    if (sts != null) {
      String violation = endpoints.violation(sts, "sts");
      if (violation != null) {
        throw new UsageException("--sts-endpoint: " + violation);
      }
    }
    return new Flags(
        manifests,
        port,
        wasm,
        ca,
        sts,
        classes,
        token,
        dump,
        stsCheck,
        functionCheck,
        exchangeSecretKeys,
        adsAddress,
        tlsDir,
        endpoints,
        podToken,
        podAgent);
  }

  /**
   * {@code --pod-identity-agent}: as the AWS SDKs' container credentials provider accepts only the
   * agent's link-local addresses or loopback over plain HTTP, so does this flag: the proxies send
   * their ServiceAccount token there.
   */
  private static Endpoint podIdentityAgent(String value) throws UsageException {
    Endpoint agent;
    try {
      agent = Endpoint.parse(value);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--pod-identity-agent: " + e.getMessage());
    }
    String host = agent.host();
    boolean allowed =
        host.equals("169.254.170.23")
            || host.equals("[fd00:ec2::23]")
            || host.equals("localhost")
            || host.equals("[::1]")
            || host.startsWith("127.");
    if (!allowed || agent.isTls()) {
      throw new UsageException(
          "--pod-identity-agent: must be http:// to 169.254.170.23, [fd00:ec2::23] or a loopback"
              + " address, not "
              + value);
    }
    return agent;
  }

  /** A switch flag's value: {@code on} or {@code off}, anything else a usage error. */
  private static boolean onOff(String flag, String value) throws UsageException {
    if (!value.equals("on") && !value.equals("off")) {
      throw new UsageException(flag + ": must be on or off, not " + value);
    }
    return value.equals("on");
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Flags f;
    try {
      f = parse(args);
    } catch (UsageException e) {
      if (e.getMessage() != null) {
        err.println("lambdagate-control-plane: " + e.getMessage());
      }
      (e.getMessage() == null ? out : err).print(USAGE);
      return e.getMessage() == null ? 0 : 2;
    }
    if (f.dump()) {
      if (f.manifests() == null) {
        err.println("lambdagate-control-plane: --dump needs --manifests DIR");
        return 2;
      }
      FileTokenSource fileTokens =
          f.tokenFile() == null ? null : new FileTokenSource(f.tokenFile());
      WebIdentityTokenSource tokens =
          fileTokens != null ? fileTokens : WebIdentityTokenSource.none();
      if (f.podIdentityTokenFile() != null) {
        tokens =
            WebIdentityTokenSource.combining(tokens, new FileTokenSource(f.podIdentityTokenFile()));
      }
      try {
        ClusterState state = ManifestLoader.withEnvironment().loadDirectory(f.manifests());
        // No STS call from a dump: exchanged keys show as a placeholder session.
        out.print(
            dump(
                new ModelBuilder(f.modelOptions(false), tokens, SessionCredentials.placeholder())
                    .build(state),
                new EnvoyTranslator(new TranslatorOptions(f.wasm(), f.trustedCa()))));
        return 0;
      } catch (ManifestException e) {
        err.println("lambdagate-control-plane: " + e.getMessage());
        return 1;
      }
    }
    Running running;
    try {
      running = start(f);
    } catch (StartException e) {
      err.println("lambdagate-control-plane: " + e.getMessage());
      return 2;
    }
    out.println("lambdagate-control-plane: " + running.describe());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  running.close();
                  stopped.countDown();
                },
                "shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** The control plane could not start (port taken, no cluster, missing file); says why. */
  public static final class StartException extends Exception {
    StartException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Starts a control plane in this JVM from command-line flags (as {@link #main} takes them,
   * without {@code --dump}): for embedding, e.g. by the harness's {@code run} command.
   */
  public static Running start(String... args) throws StartException {
    try {
      return start(parse(args));
    } catch (UsageException e) {
      throw new StartException(e.getMessage() == null ? "usage" : e.getMessage(), e);
    }
  }

  static Running start(Flags f) throws StartException {
    FileTokenSource fileTokens = f.tokenFile() == null ? null : new FileTokenSource(f.tokenFile());
    FileTokenSource podTokens =
        f.podIdentityTokenFile() == null ? null : new FileTokenSource(f.podIdentityTokenFile());
    WebIdentityTokenSource tokens = fileTokens != null ? fileTokens : WebIdentityTokenSource.none();
    if (podTokens != null) {
      tokens = WebIdentityTokenSource.combining(tokens, podTokens);
    }
    List<FileTokenSource> tokenFiles = new ArrayList<>();
    if (fileTokens != null) {
      tokenFiles.add(fileTokens);
    }
    if (podTokens != null) {
      tokenFiles.add(podTokens);
    }
    WasmSource wasm = f.wasm();
    StateSource source;
    StatusSink statusSink;
    KubeMode kube = null;
    WasmFileServer wasmServer = null;
    GatewayCredentialFiles credentialFiles = null;
    XdsServerTls tls;
    String bind;
    if (f.manifests() != null) {
      Path dir = f.tlsDir() != null ? f.tlsDir() : DEFAULT_TLS_DIR;
      try {
        credentialFiles = GatewayCredentialFiles.open(dir, Clock.systemUTC());
      } catch (IOException e) {
        throw new StartException(
            "cannot keep the xDS CA in "
                + dir
                + ": "
                + e.getMessage()
                + " (choose another directory with --tls-dir)",
            e);
      }
      tls = XdsServerTls.forLoopback(credentialFiles.ca());
      bind = f.adsAddress() != null ? f.adsAddress() : "127.0.0.1";
      source = new ManifestDirectorySource(f.manifests(), ManifestLoader.withEnvironment(), 500);
      statusSink = new LoggingStatusSink();
    } else {
      KubeModeOptions options =
          KubeModeOptions.fromEnvironment()
              .withGatewayClassNames(java.util.List.copyOf(f.gatewayClasses()));
      if (!wasm.isRemote()) {
        // Provisioned proxies fetch the module from this control plane (sha256-checked), so
        // the file named by --wasm-file lives on the control plane's disk.
        Path file = Path.of(wasm.file());
        try {
          wasmServer = WasmFileServer.start(file, options.wasmHttpPort());
        } catch (IOException e) {
          throw new StartException(
              "cannot serve " + file + " on port " + options.wasmHttpPort() + ": " + e.getMessage(),
              e);
        }
        wasm =
            WasmSource.remote(
                "http://"
                    + options.controlPlaneHost()
                    + ":"
                    + options.wasmHttpPort()
                    + WasmFileServer.PATH,
                wasmServer.sha256());
      }
      try {
        kube = KubeMode.create(connect(), options);
        kube.start();
      } catch (RuntimeException | StartException e) {
        if (wasmServer != null) {
          wasmServer.close();
        }
        throw new StartException(
            "Kubernetes mode cannot start: "
                + e.getMessage()
                + " (outside a cluster use --manifests DIR)",
            e);
      }
      source = kube.stateSource();
      statusSink = kube.statusSink();
      tokens = kube.tokenSource();
      tls = XdsServerTls.forService(kube.xdsCa(), options.xdsService(), options.namespace());
      // Pods reach ADS through the Service; mutual TLS keeps everyone else out.
      bind = f.adsAddress() != null ? f.adsAddress() : "0.0.0.0";
    }
    EnvoyTranslator translator = new EnvoyTranslator(new TranslatorOptions(wasm, f.trustedCa()));
    // Always there: a GatewayParameters may turn the exchange on where the flag left it off.
    StsExchange stsExchange = StsExchange.create();
    SecretSessions sessions = SecretSessions.start(stsExchange);
    ControlPlane plane =
        new ControlPlane(
            new ModelBuilder(f.modelOptions(kube != null), tokens, sessions),
            translator,
            statusSink);
    plane.exchangeSecretKeysWith(sessions);
    XdsServer xds = plane.xds();
    StsChecks stsChecks = f.stsCheck() ? StsChecks.create() : null;
    if (stsChecks != null) {
      plane.checkStsWith(stsChecks);
    }
    FunctionChecks functionChecks =
        f.functionCheck() ? FunctionChecks.create(DryRunInvoke.create(stsExchange)) : null;
    if (functionChecks != null) {
      plane.checkFunctionsWith(functionChecks);
    }
    Running running =
        new Running(
            plane,
            xds,
            source,
            tokenFiles,
            kube,
            wasmServer,
            stsChecks,
            functionChecks,
            sessions,
            f,
            credentialFiles,
            bind);
    try {
      xds.start(new InetSocketAddress(InetAddress.getByName(bind), f.adsPort()), tls);
    } catch (XdsServer.PortInUseException e) {
      running.close();
      throw new StartException(
          "cannot serve ADS: port "
              + f.adsPort()
              + " is already in use (choose another with --ads-port)",
          e);
    } catch (Exception e) {
      running.close();
      throw new StartException("cannot serve ADS on port " + f.adsPort() + ": " + e, e);
    }
    for (FileTokenSource file : tokenFiles) {
      file.watch(500, plane::refresh);
    }
    if (credentialFiles != null) {
      source.start(
          state -> {
            plane.onState(state);
            // Every Gateway of the model, also one whose configuration waits for STS.
            running.writeGatewayCredentials(plane.gatewayGroups());
          });
      running.renewCredentialsHourly();
    } else if (kube != null) {
      // The informers' first list takes seconds: compile the change path meanwhile.
      ColdStartWarmup warmup =
          ColdStartWarmup.start(
              f.modelOptions(true),
              new TranslatorOptions(wasm, f.trustedCa()),
              ColdStartWarmup.DEFAULT_ROUTES,
              ColdStartWarmup.DEFAULT_ROUNDS);
      source.start(
          state -> {
            warmup.stop(ColdStartWarmup.STOP_WAIT_MILLIS);
            plane.onState(state);
          });
    } else {
      source.start(plane::onState);
    }
    return running;
  }

  /**
   * A client for the cluster this process runs in (or the kubeconfig's), checked by asking the API
   * server for its version, so that a missing cluster is one clear error at start rather than
   * informers retrying forever.
   */
  private static KubernetesClient connect() throws StartException {
    Config config = Config.autoConfigure(null);
    config.setRequestRetryBackoffLimit(2);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    try {
      client.getKubernetesVersion();
      return client;
    } catch (RuntimeException e) {
      client.close();
      throw new StartException(
          "cannot reach the Kubernetes API server at "
              + config.getMasterUrl()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** A running control plane: ADS served, its input watched. Closing stops everything. */
  public static final class Running implements AutoCloseable {
    private final ControlPlane plane;
    private final XdsServer xds;
    private final StateSource source;
    private final List<FileTokenSource> tokenFiles;
    private final KubeMode kube;
    private final WasmFileServer wasmServer;
    private final StsChecks stsChecks;
    private final FunctionChecks functionChecks;
    private final SecretSessions sessions;
    private final Flags flags;
    private final GatewayCredentialFiles credentialFiles;
    private final String bind;
    private final java.util.Set<String> gatewaysWithCredentials =
        java.util.concurrent.ConcurrentHashMap.newKeySet();
    private java.util.concurrent.ScheduledExecutorService renewal;

    Running(
        ControlPlane plane,
        XdsServer xds,
        StateSource source,
        List<FileTokenSource> tokenFiles,
        KubeMode kube,
        WasmFileServer wasmServer,
        StsChecks stsChecks,
        FunctionChecks functionChecks,
        SecretSessions sessions,
        Flags flags,
        GatewayCredentialFiles credentialFiles,
        String bind) {
      this.credentialFiles = credentialFiles;
      this.bind = bind;
      this.stsChecks = stsChecks;
      this.functionChecks = functionChecks;
      this.sessions = sessions;
      this.plane = plane;
      this.xds = xds;
      this.source = source;
      this.tokenFiles = List.copyOf(tokenFiles);
      this.kube = kube;
      this.wasmServer = wasmServer;
      this.flags = flags;
    }

    /** The loop, for tests and embedding. */
    public ControlPlane controlPlane() {
      return plane;
    }

    /**
     * Waits until STS has answered every exchange of Secret keys in use and the outcome is pushed,
     * so that a data plane connecting now gets the sessions (false after {@code timeout}).
     */
    public boolean awaitSecretSessions(java.time.Duration timeout) throws InterruptedException {
      return sessions.awaitSettled(timeout);
    }

    /** The bound ADS port. */
    public int adsPort() {
      return xds.port();
    }

    /** The address ADS is bound to. */
    public String adsAddress() {
      return bind;
    }

    /**
     * File mode: the xDS client credentials of Gateway {@code gateway} ({@code ns/name}), issued
     * now when absent or due; for a local Envoy or the embedded data plane.
     */
    public GatewayCredentialFiles.Paths gatewayCredentials(String gateway) throws IOException {
      if (credentialFiles == null) {
        throw new IllegalStateException("Kubernetes mode: credentials are in Secrets");
      }
      GatewayCredentialFiles.Paths p = credentialFiles.ensureGateway(gateway);
      gatewaysWithCredentials.add(gateway);
      return p;
    }

    /** File mode: the directory of the CA and the Gateways' credentials, else null. */
    public Path tlsDirectory() {
      return credentialFiles == null ? null : credentialFiles.directory();
    }

    void writeGatewayCredentials(java.util.Collection<String> gateways) {
      for (String g : gateways) {
        try {
          gatewayCredentials(g);
        } catch (IOException | IllegalArgumentException e) {
          org.slf4j.LoggerFactory.getLogger(ControlPlaneMain.class)
              .warn("cannot write the xDS client credentials of Gateway {}: {}", g, e.getMessage());
        }
      }
    }

    void renewCredentialsHourly() {
      renewal =
          java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "xds-client-certificates");
                t.setDaemon(true);
                return t;
              });
      renewal.scheduleWithFixedDelay(
          () -> writeGatewayCredentials(java.util.List.copyOf(gatewaysWithCredentials)),
          1,
          1,
          java.util.concurrent.TimeUnit.HOURS);
    }

    String describe() {
      return (flags.manifests() != null
              ? "file mode on "
                  + flags.manifests().toAbsolutePath()
                  + ", xDS CA and Gateway credentials in "
                  + tlsDirectory()
              : "Kubernetes mode")
          + ", ADS (mutual TLS) on "
          + bind
          + ":"
          + adsPort();
    }

    @Override
    public void close() {
      if (renewal != null) {
        renewal.shutdownNow();
      }
      source.close();
      sessions.close(); // before the server: no rebuild after it stopped
      xds.close();
      for (FileTokenSource file : tokenFiles) {
        file.close();
      }
      if (kube != null) {
        kube.close();
      }
      if (wasmServer != null) {
        wasmServer.close();
      }
      if (stsChecks != null) {
        stsChecks.close();
      }
      if (functionChecks != null) {
        functionChecks.close();
      }
    }
  }

  /** The xDS resources of every Gateway of a model, as YAML. */
  static String dump(Model model, EnvoyTranslator translator) {
    Map<String, EnvoyResources> all = new TreeMap<>();
    for (GatewayModel g : model.gateways()) {
      all.put(g.nodeGroup(), translator.translate(g));
    }
    return XdsYaml.dump(all);
  }

  private ControlPlaneMain() {}
}
