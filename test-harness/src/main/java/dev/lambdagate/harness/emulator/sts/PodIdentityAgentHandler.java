package dev.lambdagate.harness.emulator.sts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.lambdagate.harness.emulator.credentials.CredentialStore;
import dev.lambdagate.harness.emulator.credentials.StoredCredential;
import dev.lambdagate.harness.emulator.http.HttpReply;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the EKS Pod Identity agent's {@code GET /v1/credentials}: the {@code Authorization} header
 * must hold a ServiceAccount token (JWT-shaped, no {@code Bearer}) whose {@code aud} is {@value
 * #AUDIENCE}, whose {@code exp}, when present, has not passed, and that the token policy accepts
 * (the emulator checks no JWT signature, as the STS emulator does not). Then it issues session
 * credentials for the configured role into the credential store (a {@code LambdaEmulator} sharing
 * the store accepts them) and answers the agent's JSON ({@code AccessKeyId}, {@code
 * SecretAccessKey}, {@code Token}, {@code AccountId}, {@code Expiration}). Refusals are 4xx JSON
 * {@code {"code", "message"}}; a failure switch makes calls answer 500.
 *
 * <p>Thread-safe: settings that tests change are volatile; the call log is concurrent.
 */
public final class PodIdentityAgentHandler implements HttpHandler {
  /** The audience the agent requires of the token. */
  public static final String AUDIENCE = "pods.eks.amazonaws.com";

  private static final Logger LOG = LoggerFactory.getLogger(PodIdentityAgentHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One call: its status and, when credentials were issued, their key id. */
  public record Call(Instant at, int status, String code, String issuedAccessKeyId) {}

  private final CredentialStore store;
  private final Clock clock;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final AtomicInteger failNext = new AtomicInteger();
  private volatile String roleArn;
  private volatile Duration lifetime;
  private volatile Predicate<String> tokenPolicy;

  /**
   * @param roleArn the role associated with the ServiceAccount (whose credentials are issued)
   * @param lifetime how long issued credentials last (the real agent: up to 6 hours)
   */
  public PodIdentityAgentHandler(
      CredentialStore store,
      Clock clock,
      String roleArn,
      Duration lifetime,
      Predicate<String> tokenPolicy) {
    this.store = Objects.requireNonNull(store);
    this.clock = Objects.requireNonNull(clock);
    this.roleArn = Objects.requireNonNull(roleArn);
    this.lifetime = Objects.requireNonNull(lifetime);
    this.tokenPolicy = Objects.requireNonNull(tokenPolicy);
  }

  public void setLifetime(Duration lifetime) {
    this.lifetime = Objects.requireNonNull(lifetime);
  }

  public void setTokenPolicy(Predicate<String> tokenPolicy) {
    this.tokenPolicy = Objects.requireNonNull(tokenPolicy);
  }

  /** The next {@code count} calls answer 500 (the agent cannot reach EKS Auth). */
  public void failNext(int count) {
    failNext.set(count);
  }

  /** Every call, oldest first. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      in.readNBytes(1 << 16);
    }
    Instant now = clock.instant();
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    String token = exchange.getRequestHeaders().getFirst("Authorization");
    HttpReply reply;
    Call call;
    if (!"GET".equals(method) || !"/v1/credentials".equals(path)) {
      reply = error(404, "NotFound", "no such route: " + method + " " + path);
      call = new Call(now, 404, "NotFound", null);
    } else if (failNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      reply = error(500, "InternalError", "unable to fetch credentials from EKS Auth");
      call = new Call(now, 500, "InternalError", null);
    } else {
      String problem = tokenProblem(token, now);
      if (problem != null) {
        reply = error(400, "InvalidTokenException", problem);
        call = new Call(now, 400, "InvalidTokenException", null);
      } else {
        StoredCredential issued = issue(now);
        reply = success(issued);
        call = new Call(now, 200, null, issued.accessKeyId());
      }
    }
    calls.add(call);
    LOG.info(
        "Pod Identity agent {} {} -> {}{}",
        method,
        path,
        call.status(),
        call.issuedAccessKeyId() != null ? " issued " + call.issuedAccessKeyId() : "");
    reply.writeTo(exchange);
  }

  /** Why the token is refused, never quoting it; null when accepted. */
  private String tokenProblem(String token, Instant now) {
    if (token == null || token.isEmpty()) {
      return "Service account token cannot be empty";
    }
    if (token.startsWith("Bearer ")) {
      return "Service account token must be sent without a Bearer prefix";
    }
    JsonNode claims = WebIdentityTokens.claims(token).orElse(null);
    if (claims == null) {
      return "Service account token is not a valid JWT";
    }
    JsonNode aud = claims.get("aud");
    boolean audience = false;
    if (aud != null && aud.isArray()) {
      for (JsonNode a : aud) {
        audience |= AUDIENCE.equals(a.asText());
      }
    } else if (aud != null) {
      audience = AUDIENCE.equals(aud.asText());
    }
    if (!audience) {
      return "Service account token audience is not " + AUDIENCE;
    }
    JsonNode exp = claims.get("exp");
    if (exp != null && exp.canConvertToLong() && exp.asLong() <= now.getEpochSecond()) {
      return "Service account token has expired";
    }
    if (!tokenPolicy.test(token)) {
      return "Service account token failed verification";
    }
    return null;
  }

  private StoredCredential issue(Instant now) {
    StsRequestValidation.RoleName role = StsRequestValidation.RoleName.of(roleArn);
    String principal =
        "arn:aws:sts::"
            + role.accountId()
            + ":assumed-role/"
            + role.roleName()
            + "/eks-lambdagate-"
            + now.getEpochSecond();
    StoredCredential issued = IssuedCredentials.issue(now, lifetime.toSeconds(), principal);
    store.add(issued);
    return issued;
  }

  private HttpReply success(StoredCredential issued) {
    ObjectNode body = JSON.createObjectNode();
    body.put("AccessKeyId", issued.accessKeyId());
    body.put("SecretAccessKey", issued.secretAccessKey());
    body.put("Token", issued.sessionToken());
    body.put("AccountId", StsRequestValidation.RoleName.of(roleArn).accountId());
    body.put("Expiration", issued.expiration().toString());
    return HttpReply.of(200, Map.of("Content-Type", "application/json"), body.toString());
  }

  private static HttpReply error(int status, String code, String message) {
    ObjectNode body = JSON.createObjectNode();
    body.put("code", code);
    body.put("message", message);
    return HttpReply.of(status, Map.of("Content-Type", "application/json"), body.toString());
  }
}
