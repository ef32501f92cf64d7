package dev.lambdagate.controlplane;

import dev.lambdagate.controlplane.files.FileTokenSource;
import dev.lambdagate.controlplane.files.ManifestDirectorySource;
import dev.lambdagate.controlplane.files.ManifestException;
import dev.lambdagate.controlplane.files.ManifestLoader;
import dev.lambdagate.controlplane.model.Endpoint;
import dev.lambdagate.controlplane.model.GatewayModel;
import dev.lambdagate.controlplane.model.Model;
import dev.lambdagate.controlplane.model.ModelBuilder;
import dev.lambdagate.controlplane.model.ModelOptions;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.state.StateSource;
import dev.lambdagate.controlplane.state.WebIdentityTokenSource;
import dev.lambdagate.controlplane.status.LoggingStatusSink;
import dev.lambdagate.controlplane.status.StatusSink;
import dev.lambdagate.controlplane.translate.EnvoyResources;
import dev.lambdagate.controlplane.translate.EnvoyTranslator;
import dev.lambdagate.controlplane.translate.TranslatorOptions;
import dev.lambdagate.controlplane.translate.WasmSource;
import dev.lambdagate.controlplane.translate.XdsYaml;
import dev.lambdagate.controlplane.xds.XdsServer;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

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
                                      https://sts.{region}.amazonaws.com)
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
      boolean dump) {}

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
        case "--web-identity-token-file" -> token = Path.of(value);
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
    return new Flags(manifests, port, wasm, ca, sts, classes, token, dump);
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
    FileTokenSource fileTokens = f.tokenFile() == null ? null : new FileTokenSource(f.tokenFile());
    WebIdentityTokenSource tokens = fileTokens != null ? fileTokens : WebIdentityTokenSource.none();
    ModelOptions modelOptions = new ModelOptions(f.gatewayClasses(), f.stsEndpoint());
    EnvoyTranslator translator = new EnvoyTranslator(new TranslatorOptions(f.wasm(),
        f.trustedCa()));

    if (f.dump()) {
      if (f.manifests() == null) {
        err.println("lambdagate-control-plane: --dump needs --manifests DIR");
        return 2;
      }
      try {
        ClusterState state = ManifestLoader.withEnvironment().loadDirectory(f.manifests());
        out.print(dump(new ModelBuilder(modelOptions, tokens).build(state), translator));
        return 0;
      } catch (ManifestException e) {
        err.println("lambdagate-control-plane: " + e.getMessage());
        return 1;
      }
    }

    StateSource source;
    StatusSink statusSink;
    if (f.manifests() != null) {
      source = new ManifestDirectorySource(f.manifests(), ManifestLoader.withEnvironment(), 500);
      statusSink = new LoggingStatusSink();
    } else {
      KubeHook hook;
      try {
        hook = KubeHook.create(args);
      } catch (Exception e) {
        err.println("lambdagate-control-plane: Kubernetes mode unavailable: " + e.getMessage()
            + " (use --manifests DIR for file mode)");
        return 2;
      }
      source = hook.source;
      statusSink = hook.status != null ? hook.status : new LoggingStatusSink();
      if (hook.tokens != null) {
        tokens = hook.tokens;
      }
    }

    ControlPlane[] cp = new ControlPlane[1];
    XdsServer xds = new XdsServer(new dev.lambdagate.controlplane.xds.NackListener() {
      @Override
      public void onNack(String group, String typeUrl, String version, String detail) {
        cp[0].onNack(group, typeUrl, version, detail);
      }

      @Override
      public void onAck(String group, String typeUrl, String version) {
        cp[0].onAck(group, typeUrl, version);
      }
    });
    cp[0] = new ControlPlane(new ModelBuilder(modelOptions, tokens), translator, xds, statusSink);
    try {
      xds.start(f.adsPort());
    } catch (XdsServer.PortInUseException e) {
      err.println("lambdagate-control-plane: cannot serve ADS: port " + f.adsPort()
          + " is already in use (choose another with --ads-port)");
      return 2;
    } catch (Exception e) {
      err.println("lambdagate-control-plane: cannot serve ADS on port " + f.adsPort() + ": " + e);
      return 2;
    }
    if (fileTokens != null) {
      fileTokens.watch(500, cp[0]::refresh);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    final StateSource src = source;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      src.close();
      xds.close();
      if (fileTokens != null) {
        fileTokens.close();
      }
      stopped.countDown();
    }, "shutdown"));
    source.start(cp[0]::onState);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** The xDS resources of every Gateway of a model, as YAML. */
  static String dump(Model model, EnvoyTranslator translator) {
    Map<String, EnvoyResources> all = new TreeMap<>();
    for (GatewayModel g : model.gateways()) {
      all.put(g.nodeGroup(), translator.translate(g));
    }
    return XdsYaml.dump(all);
  }

  /**
   * Kubernetes mode lives in {@code dev.lambdagate.controlplane.kube.KubeMode} (built separately).
   * It is looked up reflectively so this class compiles without it: a public static
   * {@code create} method taking {@code String[]} (the command line) or nothing, returning an
   * object that is a {@link StateSource} and may also be a {@link StatusSink} and/or a
   * {@link WebIdentityTokenSource} (or exposes them through {@code statusSink()} /
   * {@code tokenSource()} methods).
   */
  static final class KubeHook {
    StateSource source;
    StatusSink status;
    WebIdentityTokenSource tokens;

    static KubeHook create(String[] args) throws Exception {
      Class<?> c;
      try {
        c = Class.forName("dev.lambdagate.controlplane.kube.KubeMode");
      } catch (ClassNotFoundException e) {
        throw new Exception("this build has no dev.lambdagate.controlplane.kube.KubeMode");
      }
      Object mode = null;
      for (Method m : c.getMethods()) {
        if (!m.getName().equals("create") || !Modifier.isStatic(m.getModifiers())) {
          continue;
        }
        Class<?>[] p = m.getParameterTypes();
        if (p.length == 1 && p[0] == String[].class) {
          mode = m.invoke(null, (Object) args);
        } else if (p.length == 0) {
          mode = m.invoke(null);
        }
        if (mode != null) {
          break;
        }
      }
      if (mode == null) {
        throw new Exception("KubeMode has no static create(String[]) or create() method; found "
            + Arrays.toString(c.getMethods()));
      }
      KubeHook h = new KubeHook();
      h.source = as(mode, StateSource.class, "stateSource");
      h.status = as(mode, StatusSink.class, "statusSink");
      h.tokens = as(mode, WebIdentityTokenSource.class, "tokenSource");
      if (h.source == null) {
        throw new Exception("KubeMode.create returned no StateSource");
      }
      return h;
    }

    private static <T> T as(Object o, Class<T> type, String accessor) throws Exception {
      if (type.isInstance(o)) {
        return type.cast(o);
      }
      try {
        Object v = o.getClass().getMethod(accessor).invoke(o);
        return type.isInstance(v) ? type.cast(v) : null;
      } catch (NoSuchMethodException e) {
        return null;
      }
    }
  }

  private ControlPlaneMain() {}
}
