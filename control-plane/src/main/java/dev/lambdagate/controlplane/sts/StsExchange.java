package dev.lambdagate.controlplane.sts;

import dev.lambdagate.config.Endpoint;
import dev.lambdagate.controlplane.model.Credentials;
import dev.lambdagate.credentials.ExpiringCredentials;
import dev.lambdagate.credentials.StsHttpRequest;
import dev.lambdagate.credentials.StsRequest;
import dev.lambdagate.credentials.StsResponse;
import dev.lambdagate.credentials.StsResponseParser;
import dev.lambdagate.sigv4.Header;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * Makes the STS exchange a Backend's filter will make — {@code AssumeRoleWithWebIdentity} with the
 * ServiceAccount token, then for role chaining a SigV4-signed {@code AssumeRole} — and says how it
 * went; and makes the control plane's own exchange of a Secret's long-term keys for session
 * credentials ({@link #getSessionToken}). The requests and the parsing of the answers are the
 * filter's own ({@link StsRequest}, {@link StsResponseParser}), so a Backend's status shows what
 * its requests will meet. The credentials STS issues to {@link #check} are dropped at once; nothing
 * here logs a token or a key.
 *
 * <p>Thread-safe: each call is independent ({@link HttpClient} is thread-safe).
 */
public final class StsExchange {
  /** Session names start with this so that CloudTrail shows who made the call. */
  static final String SESSION_PREFIX = "lambdagate-check";

  /** STS codes that are about STS, not about the request: retried, not shown as a verdict. */
  private static final Set<String> TRANSIENT_CODES =
      Set.of(
          "Throttling",
          "ThrottlingException",
          "RequestLimitExceeded",
          "ServiceUnavailable",
          "InternalFailure",
          "IDPCommunicationError");

  private final HttpClient http;
  private final Duration timeout;
  private final Clock clock;

  public StsExchange(HttpClient http, Duration timeout, Clock clock) {
    this.http = http;
    this.timeout = timeout;
    this.clock = clock;
  }

  /** A client with a 5 s connect timeout and a 10 s answer timeout, on the system clock. */
  public static StsExchange create() {
    return new StsExchange(
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build(),
        Duration.ofSeconds(10),
        Clock.systemUTC());
  }

  /**
   * Checks {@code credentials} if they come from STS.
   *
   * @return the outcome, or null for credentials that involve no STS call (keys from a Secret)
   */
  public StsCheckResult check(Credentials credentials) {
    Obtained o = obtain(credentials);
    if (o == null) {
      return null;
    }
    return o.failure != null ? o.failure : StsCheckResult.issued(o.what);
  }

  /**
   * The credentials the proxies sign Invoke with for {@code credentials}, or why there are none: a
   * Secret's keys as they are, the session for exchanged keys, and for web identity and role
   * chaining the credentials STS issues to the same exchange {@link #check} makes (a fresh call:
   * nothing is cached here). The caller must not log or show them.
   *
   * @return the credentials, or the failure (never both)
   */
  public Signing signingCredentials(Credentials credentials) {
    if (credentials instanceof Credentials.Inline i) {
      return new Signing(sigv4(i), null);
    }
    if (credentials instanceof Credentials.SecretSession s) {
      return s.session() != null
          ? new Signing(sigv4(s.session()), null)
          : new Signing(
              null,
              StsCheckResult.unreachable(
                  "no session credentials for the Secret's keys yet (GetSessionToken)"));
    }
    Obtained o = obtain(credentials);
    if (o == null) {
      return new Signing(null, StsCheckResult.unreachable("no credentials for this source yet"));
    }
    return new Signing(o.failure == null ? o.issued : null, o.failure);
  }

  /**
   * What {@link #signingCredentials} got.
   *
   * @param credentials to sign with, or null
   * @param failure why there are none, or null
   */
  public record Signing(dev.lambdagate.sigv4.Credentials credentials, StsCheckResult failure) {
    @Override
    public String toString() {
      return credentials != null ? "Signing[credentials]" : "Signing[" + failure + "]";
    }
  }

  /** What an STS exchange got: credentials and a description, or the failure. */
  private record Obtained(
      dev.lambdagate.sigv4.Credentials issued, String what, StsCheckResult failure) {}

  private Obtained obtain(Credentials credentials) {
    if (credentials instanceof Credentials.WebIdentity w) {
      Step step = webIdentity(w);
      return step.failure != null
          ? new Obtained(null, null, step.failure)
          : new Obtained(
              step.issued.credentials(),
              "STS issued credentials for " + w.roleArn() + " (AssumeRoleWithWebIdentity)",
              null);
    }
    if (credentials instanceof Credentials.Chained c) {
      dev.lambdagate.sigv4.Credentials base;
      String through;
      if (c.base() instanceof Credentials.WebIdentity w) {
        Step step = webIdentity(w);
        if (step.failure != null) {
          return new Obtained(null, null, step.failure);
        }
        base = step.issued.credentials();
        through = "AssumeRoleWithWebIdentity for " + w.roleArn() + ", then AssumeRole";
      } else if (c.base() instanceof Credentials.Inline i) {
        base = sigv4(i);
        through = "AssumeRole with the Secret's keys";
      } else if (c.base() instanceof Credentials.SecretSession ss && ss.session() != null) {
        // What the proxies sign AssumeRole with: the session, not the Secret's keys.
        base = sigv4(ss.session());
        through = "AssumeRole with the session for the Secret's keys";
      } else {
        return null;
      }
      long now = clock.millis() / 1000L;
      String session =
          c.roleSessionName() != null
              ? c.roleSessionName()
              : StsRequest.sessionName(SESSION_PREFIX, now);
      StsHttpRequest request =
          StsRequest.assumeRole(
              c.stsEndpoint().authority(),
              c.stsRegion(),
              c.roleArn(),
              session,
              c.externalId(),
              base,
              now);
      Step step = send(c.stsEndpoint(), request, "AssumeRole for " + c.roleArn());
      return step.failure != null
          ? new Obtained(null, null, step.failure)
          : new Obtained(
              step.issued.credentials(),
              "STS issued credentials for " + c.roleArn() + " (" + through + ")",
              null);
    }
    return null;
  }

  private static dev.lambdagate.sigv4.Credentials sigv4(Credentials.Inline i) {
    return new dev.lambdagate.sigv4.Credentials(
        i.accessKeyId(), i.secretAccessKey(), i.sessionToken());
  }

  /**
   * What {@link #getSessionToken} got: the session STS issued, or the failure to report (never
   * both).
   */
  public record Session(ExpiringCredentials issued, StsCheckResult failure) {
    @Override
    public String toString() {
      return issued != null
          ? "Session[issued, expires " + issued.expirationMillis() + "]"
          : "Session[" + failure + "]";
    }
  }

  /**
   * Exchanges a Secret's long-term keys for session credentials: STS {@code GetSessionToken},
   * SigV4-signed with the keys, at {@code source}'s endpoint and region.
   *
   * @param durationSeconds asked for, or null for STS's default (12 h for an IAM user)
   */
  public Session getSessionToken(Credentials.SecretSession source, Integer durationSeconds) {
    Credentials.Inline keys = source.longTerm();
    StsHttpRequest request =
        StsRequest.getSessionToken(
            source.stsEndpoint().authority(),
            source.stsRegion(),
            durationSeconds,
            new dev.lambdagate.sigv4.Credentials(keys.accessKeyId(), keys.secretAccessKey(), null),
            clock.millis() / 1000L);
    Step step = send(source.stsEndpoint(), request, "GetSessionToken with the Secret's keys");
    return new Session(step.issued, step.failure);
  }

  private Step webIdentity(Credentials.WebIdentity w) {
    StsHttpRequest request =
        StsRequest.webIdentity(
            w.stsEndpoint().authority(),
            w.roleArn(),
            StsRequest.sessionName(SESSION_PREFIX, clock.millis() / 1000L),
            w.token());
    return send(w.stsEndpoint(), request, "AssumeRoleWithWebIdentity for " + w.roleArn());
  }

  /** Issued credentials, or the failure to report. */
  private record Step(ExpiringCredentials issued, StsCheckResult failure) {}

  private Step send(Endpoint endpoint, StsHttpRequest request, String what) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(endpoint.url() + "/"))
            .timeout(timeout)
            .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
    for (Header h : request.headers()) {
      // Pseudo-headers and Host come from the URI; HttpClient refuses to be given them.
      if (!h.name().startsWith(":") && !h.name().equals("host")) {
        builder.header(h.name(), h.value());
      }
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      return new Step(
          null,
          StsCheckResult.unreachable(
              what + " at " + endpoint.url() + ": no answer within " + timeout.toSeconds() + " s"));
    } catch (IOException e) {
      return new Step(
          null, StsCheckResult.unreachable(what + " at " + endpoint.url() + ": " + describe(e)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Step(null, StsCheckResult.unreachable(what + ": interrupted"));
    }
    StsResponse answer;
    try {
      answer = StsResponseParser.parse(response.statusCode(), response.body());
    } catch (IllegalArgumentException e) {
      return new Step(
          null,
          StsCheckResult.unreachable(
              what
                  + " at "
                  + endpoint.url()
                  + ": HTTP "
                  + response.statusCode()
                  + ", "
                  + e.getMessage()));
    }
    if (answer.isSuccess()) {
      return new Step(answer.credentials(), null);
    }
    String text = what + ": " + answer.describeError();
    boolean transientError =
        response.statusCode() >= 500
            || response.statusCode() == 429
            || TRANSIENT_CODES.contains(answer.errorCode());
    return new Step(
        null, transientError ? StsCheckResult.unreachable(text) : StsCheckResult.rejected(text));
  }

  private static String describe(IOException e) {
    String type = e.getClass().getSimpleName();
    String message = e.getMessage();
    return message == null || message.isEmpty() ? type : type + ": " + message;
  }
}
