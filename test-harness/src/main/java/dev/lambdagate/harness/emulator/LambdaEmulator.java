package dev.lambdagate.harness.emulator;

import dev.lambdagate.harness.emulator.credentials.CredentialStore;
import dev.lambdagate.harness.emulator.http.EmulatorHttpServer;
import dev.lambdagate.harness.emulator.lambda.BuiltInFunctions;
import dev.lambdagate.harness.emulator.lambda.FunctionDefinition;
import dev.lambdagate.harness.emulator.lambda.FunctionRegistry;
import dev.lambdagate.harness.emulator.lambda.InvocationLog;
import dev.lambdagate.harness.emulator.lambda.InvokeHandler;
import dev.lambdagate.harness.emulator.lambda.ThrottleSwitch;
import dev.lambdagate.harness.emulator.sigv4.SigV4Verifier;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running AWS Lambda Invoke emulator: a real HTTP server speaking {@code POST
 * /2015-03-31/functions/{FunctionName}/invocations} that checks every SigV4 signature with the AWS
 * SDK's own signer and answers like Lambda, including its error shapes.
 *
 * <pre>{@code
 * try (LambdaEmulator lambda = LambdaEmulator.start(LambdaEmulatorConfig.defaults())) {
 *     URI endpoint = lambda.endpoint();            // http://127.0.0.1:<port>
 *     ... invoke "echo" signed with CredentialStore.TEST_ACCESS_KEY_ID ...
 *     lambda.invocations().last();                 // what arrived, and what was answered
 * }
 * }</pre>
 *
 * <p>Thread-safe: every accessor may be used while requests are being served.
 */
public final class LambdaEmulator implements AutoCloseable {

  /** Lambda rejects signatures more than 5 minutes away from its clock. */
  public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

  private static final Logger LOG = LoggerFactory.getLogger(LambdaEmulator.class);

  private final LambdaEmulatorConfig config;
  private final CredentialStore credentials;
  private final FunctionRegistry functions = new FunctionRegistry();
  private final InvocationLog invocations;
  private final ThrottleSwitch throttle = new ThrottleSwitch();
  private final ExecutorService asyncInvocations =
      Executors.newCachedThreadPool(EmulatorHttpServer.daemonThreads("lambda-emulator-event"));
  private final EmulatorHttpServer server;
  private final InvokeHandler invokeHandler;

  private LambdaEmulator(LambdaEmulatorConfig config) throws IOException {
    this.config = config;
    this.credentials =
        config.credentialStore() != null ? config.credentialStore() : new CredentialStore();
    this.credentials.addAll(config.credentials());
    this.invocations = new InvocationLog(config.invocationLogCapacity());
    BuiltInFunctions.all(config.slowDelay()).forEach(functions::register);
    config.extraFunctions().forEach(functions::register);
    if (config.throttleAll()) {
      throttle.throttleAll();
    } else {
      throttle.throttleNext(config.throttleNext());
    }
    SigV4Verifier verifier =
        new SigV4Verifier(credentials, config.region(), "lambda", MAX_CLOCK_SKEW, config.clock());
    InvokeHandler handler =
        this.invokeHandler =
            new InvokeHandler(
                config.region(),
                config.accountId(),
                verifier,
                functions,
                invocations,
                throttle,
                config.clock(),
                asyncInvocations);
    try {
      this.server =
          EmulatorHttpServer.start(config.bindAddress(), config.port(), "lambda-emulator", handler);
    } catch (IOException | RuntimeException e) {
      asyncInvocations.shutdownNow();
      throw e;
    }
  }

  /**
   * Starts an emulator.
   *
   * @throws java.net.BindException when the port is already in use
   * @throws IOException when the server cannot be created otherwise
   */
  public static LambdaEmulator start(LambdaEmulatorConfig config) throws IOException {
    LambdaEmulator emulator = new LambdaEmulator(config);
    LOG.info(
        "Lambda emulator listening on {} (region {}, account {}, functions {})",
        emulator.endpoint(),
        config.region(),
        config.accountId(),
        emulator.functions.names());
    return emulator;
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  /**
   * {@code http://<address>:<port>} (127.0.0.1 when bound to all addresses): point a Lambda client
   * here.
   */
  public URI endpoint() {
    return EmulatorHttpServer.endpointOf(server.address());
  }

  public String region() {
    return config.region();
  }

  public String accountId() {
    return config.accountId();
  }

  /** The configuration this emulator was started with. */
  public LambdaEmulatorConfig config() {
    return config;
  }

  /** The accepted credentials; add to it at any time. */
  public CredentialStore credentials() {
    return credentials;
  }

  /** Every request received, with its outcome. */
  public InvocationLog invocations() {
    return invocations;
  }

  /** Shorthand for {@code invocations().count()}. */
  public long invocationCount() {
    return invocations.count();
  }

  /** The 429 switch. */
  public ThrottleSwitch throttle() {
    return throttle;
  }

  /** The registered functions. */
  public FunctionRegistry functions() {
    return functions;
  }

  /** Registers (or replaces) a function. */
  /**
   * Slow-stream mode: {@code InvokeWithResponseStream} answers pause this long before each chunk
   * after the first ({@link java.time.Duration#ZERO}, the default, sends them back to back).
   */
  public void streamChunkDelay(java.time.Duration delay) {
    invokeHandler.streamChunkDelay(delay);
  }

  public void register(FunctionDefinition function) {
    functions.register(function);
  }

  /** Stops the server; running Event invocations are interrupted. Idempotent. */
  @Override
  public void close() {
    server.close();
    asyncInvocations.shutdownNow();
  }
}
