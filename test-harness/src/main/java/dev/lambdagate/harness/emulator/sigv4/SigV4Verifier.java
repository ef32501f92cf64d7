package dev.lambdagate.harness.emulator.sigv4;

import dev.lambdagate.harness.emulator.credentials.CredentialStore;
import dev.lambdagate.harness.emulator.credentials.StoredCredential;
import dev.lambdagate.harness.emulator.http.FormEncoding;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

/**
 * Verifies SigV4 header signatures independently of whatever produced them: it rebuilds the request
 * as an {@link SdkHttpFullRequest} (the headers named in SignedHeaders, the raw path as sent, the
 * decoded query, the body), signs it with the AWS SDK for Java v2's {@link Aws4Signer} at the
 * request's own {@code X-Amz-Date}, and compares signatures.
 *
 * <p>What Aws4Signer (2.40.0) does by itself, and therefore must not be copied from the request: it
 * always sets {@code Host} from the request's host and port (omitting a port that is standard for
 * the protocol), always sets {@code X-Amz-Date}, adds {@code X-Amz-Security-Token} for session
 * credentials, and never signs {@code connection}, {@code x-amzn-trace-id}, {@code user-agent},
 * {@code expect}, {@code transfer-encoding} or {@code x-forwarded-for}. A request that signs one of
 * those six cannot be verified and gets {@link SignatureVerification.Outcome#UNVERIFIABLE}.
 *
 * <p>Before comparing, it checks that SignedHeaders names every header AWS requires signed ({@code
 * host}, {@code x-amz-date}, and {@code x-amz-security-token} and {@code x-amz-content-sha256} when
 * sent): otherwise a signer that leaves one out would pass, since the signature is rebuilt over the
 * request's own list. Such a request gets {@link
 * SignatureVerification.Outcome#REQUIRED_HEADER_UNSIGNED}.
 *
 * <p>Thread-safe: immutable apart from the store, which is itself thread-safe; Aws4Signer is
 * stateless.
 */
public final class SigV4Verifier {

  /** Headers Aws4Signer 2.40.0 leaves out of every signature. */
  public static final Set<String> HEADERS_AWS4SIGNER_NEVER_SIGNS =
      Set.of(
          "connection",
          "x-amzn-trace-id",
          "user-agent",
          "expect",
          "transfer-encoding",
          "x-forwarded-for");

  /** Headers that must be in SignedHeaders: the first two always, the others when sent. */
  private static final List<String> REQUIRED_SIGNED_HEADERS =
      List.of("host", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256");

  /** Headers Aws4Signer sets itself; copying them would only be overwritten. */
  private static final Set<String> HEADERS_AWS4SIGNER_SETS =
      Set.of("host", "x-amz-date", "x-amz-security-token");

  static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  @SuppressWarnings(
      "deprecation") // the legacy signer is the oracle on purpose: it is AWS's own code
  private static final Aws4Signer SIGNER = Aws4Signer.create();

  private final CredentialStore store;
  private final String region;
  private final String service;
  private final Duration maxClockSkew;
  private final Clock clock;

  /**
   * @param store the credentials that may sign
   * @param region the only region a credential scope may name
   * @param service the signing name the scope must name ({@code lambda}, {@code sts})
   * @param maxClockSkew how far {@code X-Amz-Date} may be from {@code clock} (5 min for Lambda)
   * @param clock the emulator's clock
   */
  public SigV4Verifier(
      CredentialStore store, String region, String service, Duration maxClockSkew, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.region = Objects.requireNonNull(region, "region");
    this.service = Objects.requireNonNull(service, "service");
    this.maxClockSkew = Objects.requireNonNull(maxClockSkew, "maxClockSkew");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Checks one request. Never throws for bad input; every problem is an outcome. */
  public SignatureVerification verify(ReceivedRequest request) {
    String authorizationValue = request.header("Authorization");
    if (authorizationValue == null) {
      return SignatureVerification.rejected(
          SignatureVerification.Outcome.MISSING_AUTHENTICATION,
          "Missing Authentication Token",
          null);
    }
    AuthorizationHeader authorization;
    try {
      authorization = AuthorizationHeader.parse(authorizationValue);
    } catch (IllegalArgumentException e) {
      return SignatureVerification.rejected(
          SignatureVerification.Outcome.INCOMPLETE_SIGNATURE, e.getMessage(), null);
    }
    String amzDate = request.header("X-Amz-Date");
    if (amzDate == null) {
      return SignatureVerification.rejected(
          SignatureVerification.Outcome.INCOMPLETE_SIGNATURE,
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
          null);
    }
    Instant signedAt;
    try {
      signedAt = AMZ_DATE.parse(amzDate.trim(), Instant::from);
    } catch (DateTimeParseException e) {
      return SignatureVerification.rejected(
          SignatureVerification.Outcome.INCOMPLETE_SIGNATURE,
          "Date must be in ISO-8601 'basic format'. Got '"
              + amzDate
              + "'. See http://en.wikipedia.org/wiki/ISO_8601",
          null);
    }

    StoredCredential credential = store.find(authorization.accessKeyId()).orElse(null);
    if (credential == null) {
      return SignatureVerification.rejected(
          SignatureVerification.Outcome.UNKNOWN_ACCESS_KEY,
          "access key " + authorization.accessKeyId() + " is not in the credential store",
          null);
    }
    Instant now = clock.instant();
    SignatureVerification tokenProblem = checkSessionToken(request, credential, now);
    if (tokenProblem != null) {
      return tokenProblem;
    }
    SignatureVerification skewProblem = checkClockSkew(signedAt, now, credential);
    if (skewProblem != null) {
      return skewProblem;
    }
    SignatureVerification scopeProblem = checkScope(authorization, signedAt, credential);
    if (scopeProblem != null) {
      return scopeProblem;
    }
    return compareSignatures(request, authorization, signedAt, credential);
  }

  private SignatureVerification checkSessionToken(
      ReceivedRequest request, StoredCredential credential, Instant now) {
    String token = request.header("X-Amz-Security-Token");
    if (credential.hasSessionToken()) {
      if (token == null || !constantTimeEquals(token.trim(), credential.sessionToken())) {
        return SignatureVerification.rejected(
            SignatureVerification.Outcome.INVALID_SESSION_TOKEN,
            token == null
                ? "session credentials used without X-Amz-Security-Token"
                : "X-Amz-Security-Token does not belong to access key " + credential.accessKeyId(),
            credential);
      }
      if (credential.isExpiredAt(now)) {
        return SignatureVerification.rejected(
            SignatureVerification.Outcome.EXPIRED_SESSION_TOKEN,
            "session credentials expired at " + credential.expiration(),
            credential);
      }
    } else if (token != null) {
      return SignatureVerification.rejected(
          SignatureVerification.Outcome.INVALID_SESSION_TOKEN,
          "X-Amz-Security-Token sent with long-term key " + credential.accessKeyId(),
          credential);
    }
    return null;
  }

  private SignatureVerification checkClockSkew(
      Instant signedAt, Instant now, StoredCredential credential) {
    long minutes = maxClockSkew.toMinutes();
    if (signedAt.isBefore(now.minus(maxClockSkew))) {
      return SignatureVerification.rejected(
          SignatureVerification.Outcome.SIGNATURE_EXPIRED,
          "Signature expired: "
              + AMZ_DATE.format(signedAt)
              + " is now earlier than "
              + AMZ_DATE.format(now.minus(maxClockSkew))
              + " ("
              + AMZ_DATE.format(now)
              + " - "
              + minutes
              + " min.)",
          credential);
    }
    if (signedAt.isAfter(now.plus(maxClockSkew))) {
      return SignatureVerification.rejected(
          SignatureVerification.Outcome.SIGNATURE_EXPIRED,
          "Signature not yet current: "
              + AMZ_DATE.format(signedAt)
              + " is still later than "
              + AMZ_DATE.format(now.plus(maxClockSkew))
              + " ("
              + AMZ_DATE.format(now)
              + " + "
              + minutes
              + " min.)",
          credential);
    }
    return null;
  }

  private SignatureVerification checkScope(
      AuthorizationHeader authorization, Instant signedAt, StoredCredential credential) {
    String date = AMZ_DATE.format(signedAt).substring(0, 8);
    String problem = null;
    if (!authorization.scopeDate().equals(date)) {
      problem =
          "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
              + authorization.scopeDate()
              + "' != '"
              + date
              + "', from '"
              + AMZ_DATE.format(signedAt)
              + "'.";
    } else if (!authorization.scopeRegion().equals(region)) {
      problem = "Credential should be scoped to a valid region. ";
    } else if (!authorization.scopeService().equals(service)) {
      problem = "Credential should be scoped to correct service: '" + service + "'. ";
    } else if (!authorization.scopeTerminator().equals("aws4_request")) {
      problem =
          "Credential should be scoped with a valid terminator: 'aws4_request', not '"
              + authorization.scopeTerminator()
              + "'. ";
    }
    return problem == null
        ? null
        : SignatureVerification.rejected(
            SignatureVerification.Outcome.WRONG_CREDENTIAL_SCOPE, problem, credential);
  }

  private SignatureVerification compareSignatures(
      ReceivedRequest request,
      AuthorizationHeader authorization,
      Instant signedAt,
      StoredCredential credential) {
    List<String> signed = authorization.signedHeaders();
    List<String> unsignable = new ArrayList<>();
    for (String name : signed) {
      if (HEADERS_AWS4SIGNER_NEVER_SIGNS.contains(name)) {
        unsignable.add(name);
      }
    }
    if (!unsignable.isEmpty()) {
      return SignatureVerification.rejected(
          SignatureVerification.Outcome.UNVERIFIABLE,
          "SignedHeaders includes "
              + unsignable
              + ", which Aws4Signer never signs; "
              + "the emulator cannot verify this signature",
          credential);
    }
    for (String name : signed) {
      if (request.headerValues(name).isEmpty()) {
        return mismatch(
            "SignedHeaders names '" + name + "' but the request has no such header", credential);
      }
    }
    SignatureVerification unsigned = checkRequiredHeadersSigned(request, signed, credential);
    if (unsigned != null) {
      return unsigned;
    }

    AwsCredentials signingCredentials =
        signed.contains("x-amz-security-token")
            ? AwsSessionCredentials.create(
                credential.accessKeyId(),
                credential.secretAccessKey(),
                request.header("X-Amz-Security-Token").trim())
            : AwsBasicCredentials.create(credential.accessKeyId(), credential.secretAccessKey());
    Aws4SignerParams params =
        Aws4SignerParams.builder()
            .signingName(service)
            .signingRegion(Region.of(region))
            .awsCredentials(signingCredentials)
            .doubleUrlEncode(true)
            .signingClockOverride(Clock.fixed(signedAt, ZoneOffset.UTC))
            .build();
    AuthorizationHeader expected;
    try {
      expected =
          AuthorizationHeader.parse(
              SIGNER
                  .sign(rebuild(request, signed), params)
                  .firstMatchingHeader("Authorization")
                  .orElseThrow());
    } catch (RuntimeException e) {
      // e.g. a path java.net.URI rejects: Aws4Signer builds a URI from it
      return SignatureVerification.rejected(
          SignatureVerification.Outcome.UNVERIFIABLE,
          "Aws4Signer cannot sign this request: " + e.getMessage(),
          credential);
    }
    if (constantTimeEquals(expected.signature(), authorization.signature())) {
      return SignatureVerification.valid(credential);
    }
    String detail = "Aws4Signer computed a different signature";
    if (!expected.signedHeadersText().equals(authorization.signedHeadersText())) {
      detail +=
          "; it signed "
              + expected.signedHeadersText()
              + " where the request lists "
              + authorization.signedHeadersText();
    }
    return mismatch(detail, credential);
  }

  /**
   * The headers AWS insists on seeing in SignedHeaders. Without this check the verifier, which
   * signs over the request's own SignedHeaders list, would accept a signer that simply leaves one
   * out: {@code host} and {@code x-amz-date} always; {@code x-amz-security-token} whenever the
   * request carries one (session credentials; SigV4 in general lets some services take it unsigned,
   * but Lambda's and STS's clients — the filter and the control plane — always sign it, so the
   * emulator holds them to that); {@code x-amz-content-sha256} whenever it is sent, since an
   * unsigned payload hash could be swapped in transit.
   */
  private static SignatureVerification checkRequiredHeadersSigned(
      ReceivedRequest request, List<String> signed, StoredCredential credential) {
    for (String name : REQUIRED_SIGNED_HEADERS) {
      boolean required =
          name.equals("host") || name.equals("x-amz-date") || !request.headerValues(name).isEmpty();
      if (required && !signed.contains(name)) {
        return SignatureVerification.rejected(
            SignatureVerification.Outcome.REQUIRED_HEADER_UNSIGNED,
            "'" + name + "' must be a 'SignedHeader' in the AWS Authorization.",
            credential);
      }
    }
    return null;
  }

  /** The request as Aws4Signer must see it to reproduce the client's canonical request. */
  private static SdkHttpFullRequest rebuild(ReceivedRequest request, List<String> signedHeaders) {
    HostAndPort host = HostAndPort.parse(request.header("Host"));
    SdkHttpFullRequest.Builder builder =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.fromValue(request.method()))
            // The protocol appears nowhere in the canonical request; it only decides whether
            // Aws4Signer treats the port as standard and leaves it out of Host. Pick the one
            // that makes Aws4Signer write Host exactly as it arrived.
            .protocol(host.port() != null && host.port() == 80 ? "https" : "http")
            .host(host.host())
            .encodedPath(request.rawPath());
    if (host.port() != null) {
      builder.port(host.port());
    }
    FormEncoding.decodeQuery(request.rawQuery()).forEach(builder::putRawQueryParameter);
    for (String name : signedHeaders) {
      if (!HEADERS_AWS4SIGNER_SETS.contains(name)) {
        builder.putHeader(name, request.headerValues(name));
      }
    }
    byte[] body = request.body();
    builder.contentStreamProvider(() -> new ByteArrayInputStream(body));
    return builder.build();
  }

  private static SignatureVerification mismatch(String detail, StoredCredential credential) {
    return SignatureVerification.rejected(
        SignatureVerification.Outcome.SIGNATURE_MISMATCH, detail, credential);
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** A Host header split into host and optional port ({@code [::1]:9001} included). */
  private record HostAndPort(String host, Integer port) {
    static HostAndPort parse(String value) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException("no Host header");
      }
      String v = value.trim();
      int colon = v.startsWith("[") ? v.indexOf(':', v.indexOf(']')) : v.lastIndexOf(':');
      if (colon < 0) {
        return new HostAndPort(v, null);
      }
      return new HostAndPort(v.substring(0, colon), Integer.valueOf(v.substring(colon + 1)));
    }
  }
}
