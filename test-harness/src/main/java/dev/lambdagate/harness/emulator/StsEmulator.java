package dev.lambdagate.harness.emulator;

import dev.lambdagate.harness.emulator.credentials.CredentialStore;
import dev.lambdagate.harness.emulator.http.EmulatorHttpServer;
import dev.lambdagate.harness.emulator.sigv4.SigV4Verifier;
import dev.lambdagate.harness.emulator.sts.StsCallLog;
import dev.lambdagate.harness.emulator.sts.StsFailureSwitch;
import dev.lambdagate.harness.emulator.sts.StsHandler;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running AWS STS emulator: {@code AssumeRoleWithWebIdentity} (unsigned, token-checked), {@code
 * AssumeRole} and {@code GetSessionToken} (SigV4-verified with Aws4Signer; GetSessionToken only
 * with a long-term key of the store), issuing temporary credentials into a {@link CredentialStore}.
 * Share the store with a {@link LambdaEmulator} and Lambda accepts what STS issued, until it
 * expires:
 *
 * <pre>{@code
 * CredentialStore store = CredentialStore.withTestKeyPair();
 * try (StsEmulator sts = StsEmulator.start(StsEmulatorConfig.builder().credentialStore(store)
 *              .credentialLifetime(Duration.ofSeconds(5)).build());
 *      LambdaEmulator lambda = LambdaEmulator.start(LambdaEmulatorConfig.builder()
 *              .credentialStore(store).build())) {
 *     ...
 *     assertThat(sts.calls().count()).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p>Thread-safe: every accessor may be used while requests are being served.
 */
public final class StsEmulator implements AutoCloseable {

  /**
   * SigV4 clock allowance for AssumeRole and GetSessionToken: the usual 15 minutes (Lambda's 5 is
   * the exception).
   */
  public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(15);

  private static final Logger LOG = LoggerFactory.getLogger(StsEmulator.class);

  private final StsEmulatorConfig config;
  private final CredentialStore credentials;
  private final StsFailureSwitch failures = new StsFailureSwitch();
  private final StsCallLog calls = new StsCallLog();
  private final StsHandler handler;
  private final EmulatorHttpServer server;

  private StsEmulator(StsEmulatorConfig config) throws IOException {
    this.config = config;
    this.credentials =
        config.credentialStore() != null ? config.credentialStore() : new CredentialStore();
    this.credentials.addAll(config.credentials());
    if (config.failAll() != null) {
      failures.failAll(config.failAll());
    }
    SigV4Verifier verifier =
        new SigV4Verifier(credentials, config.region(), "sts", MAX_CLOCK_SKEW, config.clock());
    this.handler =
        new StsHandler(
            config.accountId(),
            credentials,
            verifier,
            config.clock(),
            config.maxSessionDuration(),
            failures,
            calls,
            config.tokenPolicy(),
            config.credentialLifetime());
    this.server =
        EmulatorHttpServer.start(config.bindAddress(), config.port(), "sts-emulator", handler);
  }

  /**
   * Starts an emulator.
   *
   * @throws java.net.BindException when the port is already in use
   */
  public static StsEmulator start(StsEmulatorConfig config) throws IOException {
    StsEmulator emulator = new StsEmulator(config);
    LOG.info("STS emulator listening on {} (region {})", emulator.endpoint(), config.region());
    return emulator;
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  /**
   * {@code http://<address>:<port>} (127.0.0.1 when bound to all addresses): the STS endpoint URL.
   */
  public URI endpoint() {
    return EmulatorHttpServer.endpointOf(server.address());
  }

  public String region() {
    return config.region();
  }

  /** The configuration this emulator was started with. */
  public StsEmulatorConfig config() {
    return config;
  }

  /** Where issued credentials go, and AssumeRole callers are looked up. */
  public CredentialStore credentials() {
    return credentials;
  }

  /** Every call received. */
  public StsCallLog calls() {
    return calls;
  }

  /** Shorthand for {@code calls().count()}. */
  public int callCount() {
    return calls.count();
  }

  /** The failure-injection switch. */
  public StsFailureSwitch failures() {
    return failures;
  }

  /**
   * Fixes the lifetime of credentials issued from now on (e.g. 5 s); null honours DurationSeconds.
   */
  public void setCredentialLifetime(Duration lifetime) {
    handler.setCredentialLifetime(lifetime);
  }

  /** Replaces the web identity token policy for later calls. */
  public void setTokenPolicy(Predicate<String> policy) {
    handler.setTokenPolicy(policy);
  }

  /** Stops the server; later connections are refused ("STS is down"). Idempotent. */
  @Override
  public void close() {
    server.close();
  }
}
