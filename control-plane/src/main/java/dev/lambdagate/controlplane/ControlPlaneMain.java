package dev.lambdagate.controlplane;

import dev.lambdagate.controlplane.files.FileTokenSource;
import dev.lambdagate.controlplane.files.ManifestDirectorySource;
import dev.lambdagate.controlplane.files.ManifestException;
import dev.lambdagate.controlplane.files.ManifestLoader;
import dev.lambdagate.controlplane.kube.KubeMode;
import dev.lambdagate.controlplane.kube.KubeModeOptions;
import dev.lambdagate.controlplane.model.Endpoint;
import dev.lambdagate.controlplane.model.EndpointPolicy;
import dev.lambdagate.controlplane.model.GatewayModel;
import dev.lambdagate.controlplane.model.Model;
import dev.lambdagate.controlplane.model.ModelBuilder;
import dev.lambdagate.controlplane.model.ModelOptions;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.state.StateSource;
import dev.lambdagate.controlplane.state.WebIdentityTokenSource;
import dev.lambdagate.controlplane.sts.StsChecks;
import dev.lambdagate.controlplane.status.LoggingStatusSink;
import dev.lambdagate.controlplane.status.StatusSink;
import dev.lambdagate.controlplane.translate.EnvoyResources;
import dev.lambdagate.controlplane.translate.EnvoyTranslator;
import dev.lambdagate.controlplane.translate.TranslatorOptions;
import dev.lambdagate.controlplane.translate.WasmSource;
import dev.lambdagate.controlplane.translate.XdsYaml;
import dev.lambdagate.controlplane.xds.XdsServer;
import java.io.PrintStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * {@code java -jar lambdagate-control-plane.jar [flags]}: serves ADS for lambdagate Gateways read
 * from manifest files ({@code --manifests DIR}) or from Kubernetes (default). See
 * {@code docs/control-plane.md}.
 */
public final class ControlPlaneMain {
  static final String USAGE = """
      usage: lambdagate-control-plane [flags]
        --manifests DIR               file mode: read *.yaml/*.yml in DIR, watch for changes
                                      (default: Kubernetes mode)
        --ads-port N                  ADS gRPC port (default 18000)
        --wasm-file PATH              lambdagate.wasm on the proxy's disk
                                      (default /etc/envoy/lambdagate.wasm)
        --wasm-url URL --wasm-sha256 HEX
                                      fetch lambdagate.wasm over HTTP(S) instead
        --trusted-ca FILE             CA bundle for AWS endpoints
                                      (default /etc/ssl/certs/ca-certificates.crt)
        --sts-endpoint URL            STS endpoint for web identity (default
                                      https://sts.{region}.amazonaws.com); must pass the
                                      endpoint policy, as Backends' endpointURL must
        --endpoint-allowlist H[:P],.. hosts besides AWS endpoints and loopback that may
                                      receive signed requests (http or https; no port:
                                      any port); see docs/control-plane.md
        --sts-check on|off            check each IRSA/AssumeRole Backend's STS exchange from
                                      the control plane and show the outcome on the
                                      Backend's status as CredentialsReady (default on)
        --gateway-class A,B           GatewayClass names served besides classes whose
                                      controllerName is lambdagate.dev/gateway-controller
                                      (default kgateway,lambdagate)
        --web-identity-token-file F   file mode: token for IRSA backends, re-read on change
        --dump                        print the xDS resources as YAML and exit
        --help
      """;

  /** Parsed flags. */
  record Flags(Path manifests, int adsPort, WasmSource wasm, String trustedCa,
      Endpoint stsEndpoint, LinkedHashSet<String> gatewayClasses, Path tokenFile,
      boolean dump, boolean stsCheck, EndpointPolicy endpointPolicy) {

    ModelOptions modelOptions() {
      return new ModelOptions(gatewayClasses, stsEndpoint, endpointPolicy);
    }
  }

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
    boolean dump = false;
    boolean stsCheck = true;
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
        case "--sts-check" -> {
          if (!value.equals("on") && !value.equals("off")) {
            throw new UsageException("--sts-check: must be on or off, not " + value);
          }
          stsCheck = value.equals("on");
        }
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
    if (sts != null) {
      String violation = endpoints.violation(sts, "sts");
      if (violation != null) {
        throw new UsageException("--sts-endpoint: " + violation);
      }
    }
    return new Flags(manifests, port, wasm, ca, sts, classes, token, dump, stsCheck, endpoints);
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
      FileTokenSource fileTokens = f.tokenFile() == null ? null
          : new FileTokenSource(f.tokenFile());
      WebIdentityTokenSource tokens = fileTokens != null ? fileTokens
          : WebIdentityTokenSource.none();
      try {
        ClusterState state = ManifestLoader.withEnvironment().loadDirectory(f.manifests());
        out.print(dump(new ModelBuilder(f.modelOptions(),
            tokens).build(state), new EnvoyTranslator(new TranslatorOptions(f.wasm(),
                f.trustedCa()))));
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
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      running.close();
      stopped.countDown();
    }, "shutdown"));
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
    WebIdentityTokenSource tokens = fileTokens != null ? fileTokens : WebIdentityTokenSource.none();
    WasmSource wasm = f.wasm();
    StateSource source;
    StatusSink statusSink;
    KubeMode kube = null;
    WasmFileServer wasmServer = null;
    if (f.manifests() != null) {
      source = new ManifestDirectorySource(f.manifests(), ManifestLoader.withEnvironment(), 500);
      statusSink = new LoggingStatusSink();
    } else {
      KubeModeOptions options = KubeModeOptions.fromEnvironment()
          .withGatewayClassNames(java.util.List.copyOf(f.gatewayClasses()));
      if (!wasm.isRemote()) {
        // Provisioned proxies fetch the module from this control plane (sha256-checked), so
        // the file named by --wasm-file lives on the control plane's disk.
        Path file = Path.of(wasm.file());
        try {
          wasmServer = WasmFileServer.start(file, options.wasmHttpPort());
        } catch (IOException e) {
          throw new StartException("cannot serve " + file + " on port "
              + options.wasmHttpPort() + ": " + e.getMessage(), e);
        }
        wasm = WasmSource.remote("http://" + options.controlPlaneHost() + ":"
            + options.wasmHttpPort() + WasmFileServer.PATH, wasmServer.sha256());
      }
      try {
        kube = KubeMode.create(connect(), options);
        kube.start();
      } catch (RuntimeException | StartException e) {
        if (wasmServer != null) {
          wasmServer.close();
        }
        throw new StartException("Kubernetes mode cannot start: " + e.getMessage()
            + " (outside a cluster use --manifests DIR)", e);
      }
      source = kube.stateSource();
      statusSink = kube.statusSink();
      tokens = kube.tokenSource();
    }
    ModelOptions modelOptions = f.modelOptions();
    EnvoyTranslator translator = new EnvoyTranslator(new TranslatorOptions(wasm, f.trustedCa()));
    ControlPlane plane = new ControlPlane(new ModelBuilder(modelOptions, tokens), translator,
        statusSink);
    XdsServer xds = plane.xds();
    StsChecks stsChecks = f.stsCheck() ? StsChecks.create() : null;
    if (stsChecks != null) {
      plane.checkStsWith(stsChecks);
    }
    Running running = new Running(plane, xds, source, fileTokens, kube, wasmServer, stsChecks,
        f);
    try {
      xds.start(f.adsPort());
    } catch (XdsServer.PortInUseException e) {
      running.close();
      throw new StartException("cannot serve ADS: port " + f.adsPort()
          + " is already in use (choose another with --ads-port)", e);
    } catch (Exception e) {
      running.close();
      throw new StartException("cannot serve ADS on port " + f.adsPort() + ": " + e, e);
    }
    if (fileTokens != null) {
      fileTokens.watch(500, plane::refresh);
    }
    source.start(plane::onState);
    return running;
  }

  /**
   * A client for the cluster this process runs in (or the kubeconfig's), checked by asking the
   * API server for its version, so that a missing cluster is one clear error at start rather
   * than informers retrying forever.
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
      throw new StartException("cannot reach the Kubernetes API server at "
          + config.getMasterUrl() + ": " + e.getMessage(), e);
    }
  }

  /** A running control plane: ADS served, its input watched. Closing stops everything. */
  public static final class Running implements AutoCloseable {
    private final ControlPlane plane;
    private final XdsServer xds;
    private final StateSource source;
    private final FileTokenSource fileTokens;
    private final KubeMode kube;
    private final WasmFileServer wasmServer;
    private final StsChecks stsChecks;
    private final Flags flags;

    Running(ControlPlane plane, XdsServer xds, StateSource source, FileTokenSource fileTokens,
        KubeMode kube, WasmFileServer wasmServer, StsChecks stsChecks, Flags flags) {
      this.stsChecks = stsChecks;
      this.plane = plane;
      this.xds = xds;
      this.source = source;
      this.fileTokens = fileTokens;
      this.kube = kube;
      this.wasmServer = wasmServer;
      this.flags = flags;
    }

    /** The loop, for tests and embedding. */
    public ControlPlane controlPlane() {
      return plane;
    }

    /** The bound ADS port. */
    public int adsPort() {
      return xds.port();
    }

    String describe() {
      return (flags.manifests() != null ? "file mode on " + flags.manifests().toAbsolutePath()
          : "Kubernetes mode") + ", ADS on port " + adsPort();
    }

    @Override
    public void close() {
      source.close();
      xds.close();
      if (fileTokens != null) {
        fileTokens.close();
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
