package dev.lambdagate.harness.emulator;

import dev.lambdagate.harness.emulator.credentials.CredentialStore;
import dev.lambdagate.harness.emulator.http.EmulatorHttpServer;
import dev.lambdagate.harness.emulator.sts.PodIdentityAgentHandler;
import dev.lambdagate.harness.emulator.sts.WebIdentityTokens;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * A running EKS Pod Identity agent emulator ({@code GET /v1/credentials}, see {@link
 * PodIdentityAgentHandler}) on a port of its own, issuing credentials of one role into a {@link
 * CredentialStore} that a {@link LambdaEmulator} shares:
 *
 * <pre>{@code
 * CredentialStore store = new CredentialStore();
 * try (PodIdentityAgentEmulator agent = PodIdentityAgentEmulator.start(store,
 *          "arn:aws:iam::123456789012:role/invoker");
 *      LambdaEmulator lambda = LambdaEmulator.start(LambdaEmulatorConfig.builder()
 *          .credentialStore(store).build())) { ... }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class PodIdentityAgentEmulator implements AutoCloseable {
  private final PodIdentityAgentHandler handler;
  private final EmulatorHttpServer server;

  private PodIdentityAgentEmulator(PodIdentityAgentHandler handler, EmulatorHttpServer server) {
    this.handler = handler;
    this.server = server;
  }

  /** On 127.0.0.1 and an ephemeral port, 1-hour credentials, any JWT-shaped token policy. */
  public static PodIdentityAgentEmulator start(CredentialStore store, String roleArn)
      throws IOException {
    return start(
        store,
        roleArn,
        Clock.systemUTC(),
        Duration.ofHours(1),
        WebIdentityTokens.anyJwtShaped(),
        "127.0.0.1",
        0);
  }

  /** With every setting given. */
  public static PodIdentityAgentEmulator start(
      CredentialStore store,
      String roleArn,
      Clock clock,
      Duration lifetime,
      Predicate<String> tokenPolicy,
      String bindAddress,
      int port)
      throws IOException {
    PodIdentityAgentHandler handler =
        new PodIdentityAgentHandler(store, clock, roleArn, lifetime, tokenPolicy);
    return new PodIdentityAgentEmulator(
        handler, EmulatorHttpServer.start(bindAddress, port, "pod-identity-agent", handler));
  }

  public int port() {
    return server.port();
  }

  /** {@code http://127.0.0.1:<port>}. */
  public URI endpoint() {
    return EmulatorHttpServer.endpointOf(server.address());
  }

  /** Every call received, oldest first. */
  public List<PodIdentityAgentHandler.Call> calls() {
    return handler.calls();
  }

  /** Fixes the lifetime of credentials issued from now on. */
  public void setLifetime(Duration lifetime) {
    handler.setLifetime(lifetime);
  }

  /** Replaces which tokens are accepted (beyond shape, audience and expiry). */
  public void setTokenPolicy(Predicate<String> policy) {
    handler.setTokenPolicy(policy);
  }

  /** The next {@code count} calls answer 500. */
  public void failNext(int count) {
    handler.failNext(count);
  }

  @Override
  public void close() {
    server.close();
  }
}
