package dev.lambdagate.harness.emulator.sts;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.lambdagate.harness.emulator.credentials.CredentialStore;
import dev.lambdagate.harness.emulator.credentials.StoredCredential;
import dev.lambdagate.harness.emulator.http.FormEncoding;
import dev.lambdagate.harness.emulator.http.HttpReply;
import dev.lambdagate.harness.emulator.sigv4.ReceivedRequest;
import dev.lambdagate.harness.emulator.sigv4.SigV4Verifier;
import dev.lambdagate.harness.emulator.sigv4.SignatureVerification;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the STS query protocol ({@code POST /} with a form body, or {@code GET /?...}): {@code
 * AssumeRoleWithWebIdentity} (unsigned; the token is the proof), {@code AssumeRole} and {@code
 * GetSessionToken} (SigV4-signed with known credentials; GetSessionToken only with a long-term key,
 * as in IAM). Issued credentials go into the credential store.
 *
 * <p>Thread-safe: settings that tests change at runtime are volatile; collaborators are
 * thread-safe.
 */
public final class StsHandler implements HttpHandler {

  /** The only API version STS speaks. */
  public static final String VERSION = "2011-06-15";

  static final String SIGNATURE_MISMATCH_MESSAGE =
      "The request signature we calculated does not match the "
          + "signature you provided. Check your AWS Secret Access Key and signing method. Consult the service "
          + "documentation for details.";

  /** A role assumed with role-chained credentials lasts at most one hour. */
  private static final int ROLE_CHAINING_LIMIT_SECONDS = 3600;

  private static final int DEFAULT_DURATION_SECONDS = 3600;

  /** GetSessionToken's default for an IAM user: 12 hours. */
  private static final int SESSION_TOKEN_DEFAULT_SECONDS = 43200;

  private static final int READ_LIMIT = 1 << 20;
  private static final Logger LOG = LoggerFactory.getLogger(StsHandler.class);

  private final String accountId;
  private final CredentialStore store;
  private final SigV4Verifier verifier;
  private final Clock clock;
  private final Duration maxSessionDuration;
  private final StsFailureSwitch failures;
  private final StsCallLog calls;
  private volatile Predicate<String> tokenPolicy;
  private volatile Duration credentialLifetime;

  /**
   * @param accountId the emulator's account, used in the OIDC provider ARN it reports
   * @param store where issued credentials go, and AssumeRole callers are looked up
   * @param verifier checks AssumeRole signatures (service {@code sts})
   * @param clock issue times and expiries
   * @param maxSessionDuration the role's MaxSessionDuration: longer DurationSeconds are refused
   * @param failures the failure-injection switch
   * @param calls where every call is recorded
   * @param tokenPolicy which web identity tokens are accepted
   * @param credentialLifetime fixed lifetime of issued credentials, or null to honour
   *     DurationSeconds
   */
  public StsHandler(
      String accountId,
      CredentialStore store,
      SigV4Verifier verifier,
      Clock clock,
      Duration maxSessionDuration,
      StsFailureSwitch failures,
      StsCallLog calls,
      Predicate<String> tokenPolicy,
      Duration credentialLifetime) {
    this.accountId = accountId;
    this.store = store;
    this.verifier = verifier;
    this.clock = clock;
    this.maxSessionDuration = maxSessionDuration;
    this.failures = failures;
    this.calls = calls;
    this.tokenPolicy = Objects.requireNonNull(tokenPolicy);
    this.credentialLifetime = credentialLifetime;
  }

  /** Replaces the token policy for later calls. */
  public void setTokenPolicy(Predicate<String> policy) {
    this.tokenPolicy = Objects.requireNonNull(policy);
  }

  /**
   * Fixes the lifetime of credentials issued from now on (e.g. 5 s); null honours DurationSeconds.
   */
  public void setCredentialLifetime(Duration lifetime) {
    this.credentialLifetime = lifetime;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    Instant receivedAt = clock.instant();
    String requestId = UUID.randomUUID().toString();
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(READ_LIMIT);
    }
    ReceivedRequest request = ReceivedRequest.from(exchange, body);
    Map<String, String> params = parameters(request);
    Outcome outcome;
    try {
      outcome = process(request, params, requestId);
    } catch (RuntimeException e) {
      LOG.error("STS emulator failed on request {}", requestId, e);
      outcome =
          new Outcome(
              StsXml.error(500, "Receiver", "InternalFailure", e.toString(), requestId),
              "InternalFailure",
              null);
    }
    calls.add(
        new StsCallRecord(
            receivedAt,
            requestId,
            request.method(),
            params.get("Action"),
            params,
            outcome.reply().status(),
            outcome.errorCode(),
            outcome.issuedAccessKeyId()));
    if (outcome.errorCode() != null) {
      LOG.warn(
          "STS {} -> {} {}", params.get("Action"), outcome.reply().status(), outcome.errorCode());
    } else {
      LOG.info(
          "STS {} {} -> issued {}",
          params.get("Action"),
          params.get("RoleArn"),
          outcome.issuedAccessKeyId());
    }
    outcome.reply().writeTo(exchange);
  }

  /** A reply plus what the call log needs to know about it. */
  private record Outcome(HttpReply reply, String errorCode, String issuedAccessKeyId) {}

  private Outcome process(ReceivedRequest request, Map<String, String> params, String requestId) {
    var failure = failures.failureForThisCall();
    if (failure.isPresent()) {
      StsFailure f = failure.get();
      return error(f.status(), f.type(), f.code(), f.message(), requestId);
    }
    if (!"/".equals(request.rawPath()) || !List.of("GET", "POST").contains(request.method())) {
      return error(
          404,
          "Sender",
          "UnknownOperation",
          "No operation at " + request.method() + " " + request.rawPath(),
          requestId);
    }
    String action = params.get("Action");
    if (action == null) {
      return error(400, "Sender", "MissingAction", "Missing Action", requestId);
    }
    String version = params.get("Version");
    boolean known =
        action.equals("AssumeRoleWithWebIdentity")
            || action.equals("AssumeRole")
            || action.equals("GetSessionToken");
    if (!known || !VERSION.equals(version)) {
      return error(
          400,
          "Sender",
          "InvalidAction",
          "Could not find operation "
              + action
              + " for version "
              + (version == null ? "NO_VERSION_SPECIFIED" : version),
          requestId);
    }
    if (action.equals("AssumeRole")) {
      SignatureVerification verification = verifier.verify(request);
      if (!verification.isValid()) {
        return authError(verification, requestId);
      }
      return assume(params, requestId, verification.credential(), false);
    }
    if (action.equals("GetSessionToken")) {
      SignatureVerification verification = verifier.verify(request);
      if (!verification.isValid()) {
        return authError(verification, requestId);
      }
      return sessionToken(params, requestId, verification.credential());
    }
    return assume(params, requestId, null, true);
  }

  private Outcome assume(
      Map<String, String> params, String requestId, StoredCredential caller, boolean webIdentity) {
    String problems = StsRequestValidation.problems(params, webIdentity);
    if (problems != null) {
      return error(400, "Sender", "ValidationError", problems, requestId);
    }
    StsRequestValidation.RoleName role = StsRequestValidation.RoleName.of(params.get("RoleArn"));
    if (role == null) {
      return error(400, "Sender", "ValidationError", "Request ARN is invalid", requestId);
    }
    int duration =
        params.containsKey("DurationSeconds")
            ? Integer.parseInt(params.get("DurationSeconds"))
            : DEFAULT_DURATION_SECONDS;
    if (caller != null && caller.hasSessionToken() && duration > ROLE_CHAINING_LIMIT_SECONDS) {
      return error(
          400,
          "Sender",
          "ValidationError",
          "The requested DurationSeconds exceeds the 1 hour session "
              + "limit for roles assumed by role chaining.",
          requestId);
    }
    if (duration > maxSessionDuration.toSeconds()) {
      return error(
          400,
          "Sender",
          "ValidationError",
          "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
          requestId);
    }
    String token = params.get("WebIdentityToken");
    if (webIdentity && !tokenPolicy.test(token)) {
      return error(
          400,
          "Sender",
          "InvalidIdentityToken",
          WebIdentityTokens.isJwtShaped(token)
              ? "Couldn't retrieve verification key from your identity provider, please reference "
                  + "AssumeRoleWithWebIdentity documentation for requirements"
              : "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)",
          requestId);
    }

    String sessionName = params.get("RoleSessionName");
    StsXml.AssumedRoleUser user =
        new StsXml.AssumedRoleUser(
            "arn:aws:sts::"
                + role.accountId()
                + ":assumed-role/"
                + role.roleName()
                + "/"
                + sessionName,
            IssuedCredentials.roleId(params.get("RoleArn")) + ":" + sessionName);
    Duration fixed = credentialLifetime;
    long lifetime = fixed != null ? fixed.toSeconds() : duration;
    StoredCredential issued = IssuedCredentials.issue(clock.instant(), lifetime, user.arn());
    store.add(issued);
    HttpReply reply =
        webIdentity
            ? StsXml.assumeRoleWithWebIdentity(issued, user, webIdentityDetails(token), requestId)
            : StsXml.assumeRole(issued, user, requestId);
    return new Outcome(reply, null, issued.accessKeyId());
  }

  /**
   * GetSessionToken for a long-term key: session credentials for the same principal, lasting
   * DurationSeconds (900 to 129600, default 43200) unless a fixed lifetime is set.
   */
  private Outcome sessionToken(
      Map<String, String> params, String requestId, StoredCredential caller) {
    if (caller.hasSessionToken()) {
      return error(
          403,
          "Sender",
          "AccessDenied",
          "Cannot call GetSessionToken with session credentials",
          requestId);
    }
    String problem = StsRequestValidation.sessionTokenProblems(params);
    if (problem != null) {
      return error(400, "Sender", "ValidationError", problem, requestId);
    }
    int duration =
        params.containsKey("DurationSeconds")
            ? Integer.parseInt(params.get("DurationSeconds"))
            : SESSION_TOKEN_DEFAULT_SECONDS;
    Duration fixed = credentialLifetime;
    long lifetime = fixed != null ? fixed.toSeconds() : duration;
    String principal =
        caller.principalArn() != null
            ? caller.principalArn()
            : "arn:aws:iam::" + accountId + ":user/" + caller.accessKeyId();
    StoredCredential issued = IssuedCredentials.issue(clock.instant(), lifetime, principal);
    store.add(issued);
    return new Outcome(StsXml.getSessionToken(issued, requestId), null, issued.accessKeyId());
  }

  /** Subject, audience and provider as STS reports them for an OIDC token. */
  private StsXml.WebIdentityDetails webIdentityDetails(String token) {
    return WebIdentityTokens.claims(token)
        .map(
            claims ->
                new StsXml.WebIdentityDetails(
                    WebIdentityTokens.claim(claims, "sub").orElse(null),
                    WebIdentityTokens.claim(claims, "aud").orElse(null),
                    WebIdentityTokens.claim(claims, "iss")
                        .map(
                            iss ->
                                "arn:aws:iam::"
                                    + accountId
                                    + ":oidc-provider/"
                                    + iss.replaceFirst("^https://", ""))
                        .orElse(null)))
        .orElse(new StsXml.WebIdentityDetails(null, null, null));
  }

  private static Outcome authError(SignatureVerification verification, String requestId) {
    return switch (verification.outcome()) {
      case MISSING_AUTHENTICATION ->
          error(
              403,
              "Sender",
              "MissingAuthenticationToken",
              "Request is missing Authentication Token",
              requestId);
      case INCOMPLETE_SIGNATURE ->
          error(400, "Sender", "IncompleteSignature", verification.detail(), requestId);
      case UNKNOWN_ACCESS_KEY, INVALID_SESSION_TOKEN ->
          error(
              403,
              "Sender",
              "InvalidClientTokenId",
              "The security token included in the request is invalid.",
              requestId);
      case EXPIRED_SESSION_TOKEN ->
          error(
              400,
              "Sender",
              "ExpiredToken",
              "The security token included in the request is expired",
              requestId);
      case SIGNATURE_EXPIRED, WRONG_CREDENTIAL_SCOPE, REQUIRED_HEADER_UNSIGNED ->
          error(403, "Sender", "SignatureDoesNotMatch", verification.detail(), requestId);
      case SIGNATURE_MISMATCH, UNVERIFIABLE ->
          error(403, "Sender", "SignatureDoesNotMatch", SIGNATURE_MISMATCH_MESSAGE, requestId);
      case VALID -> throw new IllegalArgumentException("not an error");
    };
  }

  private static Outcome error(
      int status, String type, String code, String message, String requestId) {
    return new Outcome(StsXml.error(status, type, code, message, requestId), code, null);
  }

  /** Query parameters, then form parameters from the body; the first value of each wins. */
  private static Map<String, String> parameters(ReceivedRequest request) {
    Map<String, String> params = new LinkedHashMap<>();
    FormEncoding.decodeQuery(request.rawQuery()).forEach((k, v) -> params.putIfAbsent(k, v.get(0)));
    String contentType = request.header("Content-Type");
    if ("POST".equals(request.method())
        && (contentType == null || contentType.startsWith("application/x-www-form-urlencoded"))) {
      FormEncoding.decodeForm(new String(request.body(), StandardCharsets.UTF_8))
          .forEach((k, v) -> params.putIfAbsent(k, v.get(0)));
    }
    return params;
  }
}
