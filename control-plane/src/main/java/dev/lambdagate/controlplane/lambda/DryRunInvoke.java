package dev.lambdagate.controlplane.lambda;

import dev.lambdagate.config.LambdaConfig;
import dev.lambdagate.controlplane.model.Credentials;
import dev.lambdagate.controlplane.model.LambdaTarget;
import dev.lambdagate.controlplane.sts.StsExchange;
import dev.lambdagate.json.JsonObject;
import dev.lambdagate.json.JsonParseException;
import dev.lambdagate.json.JsonParser;
import dev.lambdagate.json.JsonString;
import dev.lambdagate.json.JsonValue;
import dev.lambdagate.sigv4.Header;
import dev.lambdagate.sigv4.PayloadHash;
import dev.lambdagate.sigv4.SigV4Signer;
import dev.lambdagate.sigv4.SigningResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Makes one Lambda {@code Invoke} with {@code X-Amz-Invocation-Type: DryRun} the way a Backend's
 * proxies call the function — same endpoint, same path ({@link LambdaConfig#invokePath(String,
 * String, String, String)}), SigV4 from core, service {@code lambda}, the Backend's region, the
 * credentials the proxies sign with — and says how it went. Lambda answers 204 when the function
 * exists and the caller may invoke it, without running it.
 *
 * <p>The answer's error type and message are quoted, with any credential in them cut out (an
 * InvalidSignatureException may quote the canonical request, which names the session token).
 *
 * <p>Thread-safe: each call is independent ({@link HttpClient} is thread-safe).
 */
public final class DryRunInvoke {
  /** Lambda's cue for how the signature should have been; it quotes signed headers. */
  private static final String CANONICAL_HINT = "The Canonical String for this request";

  private final HttpClient http;
  private final Duration timeout;
  private final Clock clock;
  private final Function<Credentials, StsExchange.Signing> credentials;

  /**
   * @param credentials the credentials to sign with for a Backend's credential source ({@link
   *     StsExchange#signingCredentials})
   */
  public DryRunInvoke(
      HttpClient http,
      Duration timeout,
      Clock clock,
      Function<Credentials, StsExchange.Signing> credentials) {
    this.http = http;
    this.timeout = timeout;
    this.clock = clock;
    this.credentials = credentials;
  }

  /** A client with a 5 s connect timeout and a 10 s answer timeout, on the system clock. */
  public static DryRunInvoke create(StsExchange sts) {
    return new DryRunInvoke(
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build(),
        Duration.ofSeconds(10),
        Clock.systemUTC(),
        sts::signingCredentials);
  }

  /** Invokes {@code target}'s function with a DryRun. */
  public FunctionCheckResult check(FunctionTarget target) {
    LambdaTarget l = target.lambda();
    String what = "Lambda Invoke (DryRun) of " + l.functionName() + " at " + l.endpoint().url();
    StsExchange.Signing signing = credentials.apply(target.credentials());
    if (signing.credentials() == null) {
      return FunctionCheckResult.unknown(
          FunctionCheckResult.CREDENTIALS_NOT_READY,
          what + ": no credentials to sign with: " + signing.failure().message());
    }
    dev.lambdagate.sigv4.Credentials keys = signing.credentials();
    String path;
    try {
      // Always Invoke, also for a Streaming Backend: DryRun is an Invoke invocation type, and it
      // checks the same function, qualifier and lambda:InvokeFunction permission that
      // InvokeWithResponseStream needs.
      path = LambdaConfig.invokePath(l.functionName(), l.region(), l.accountId(), l.qualifier());
    } catch (IllegalArgumentException e) {
      return FunctionCheckResult.failed(
          FunctionCheckResult.LAMBDA_ERROR, what + ": invalid function name: " + e.getMessage());
    }
    String authority = l.endpoint().authority();
    List<Header> signed =
        List.of(new Header("host", authority), new Header("x-amz-invocation-type", "DryRun"));
    SigningResult signature =
        new SigV4Signer("lambda", l.region(), List.of(), false)
            .sign("POST", path, signed, PayloadHash.EMPTY_SHA256, keys, clock.millis() / 1000L);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(l.endpoint().url() + path))
            .timeout(timeout)
            .header("x-amz-invocation-type", "DryRun")
            .POST(HttpRequest.BodyPublishers.noBody());
    for (Header h : signature.headersToSet()) {
      request.header(h.name(), h.value());
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      return FunctionCheckResult.unknown(
          FunctionCheckResult.UNREACHABLE,
          what + ": no answer within " + timeout.toSeconds() + " s");
    } catch (IOException e) {
      String m = e.getMessage();
      return FunctionCheckResult.unknown(
          FunctionCheckResult.UNREACHABLE,
          what
              + ": "
              + e.getClass().getSimpleName()
              + (m == null || m.isEmpty() ? "" : ": " + m)
              + " (a wrong region or endpointURL also shows like this)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return FunctionCheckResult.unknown(FunctionCheckResult.UNREACHABLE, what + ": interrupted");
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return FunctionCheckResult.ready(
          what + ": HTTP " + status + ", the function exists and these credentials may invoke it");
    }
    String type = errorType(response);
    String text = redact(errorMessage(response.body()), keys);
    String detail = what + ": HTTP " + status + ", " + (type == null ? "no error type" : type);
    if (text != null) {
      detail += ": " + text;
    }
    if (type == null) {
      type = "";
    }
    if (status == 429 || status >= 500) {
      return FunctionCheckResult.unknown(FunctionCheckResult.UNREACHABLE, detail);
    }
    if (type.equals("ResourceNotFoundException") || status == 404) {
      return FunctionCheckResult.failed(
          FunctionCheckResult.FUNCTION_NOT_FOUND,
          detail + " (check the function name, accountId and region)");
    }
    if (type.equals("InvalidSignatureException")) {
      return FunctionCheckResult.failed(FunctionCheckResult.INVALID_SIGNATURE, detail);
    }
    if (type.equals("UnrecognizedClientException")
        || type.equals("ExpiredTokenException")
        || type.equals("InvalidClientTokenId")) {
      return FunctionCheckResult.failed(FunctionCheckResult.UNRECOGNIZED_CLIENT, detail);
    }
    if (type.equals("AccessDeniedException") || status == 403) {
      return FunctionCheckResult.failed(FunctionCheckResult.ACCESS_DENIED, detail);
    }
    return FunctionCheckResult.failed(FunctionCheckResult.LAMBDA_ERROR, detail);
  }

  /** {@code x-amzn-ErrorType}, without the {@code :uri} suffix Lambda may add. */
  private static String errorType(HttpResponse<byte[]> response) {
    String type = response.headers().firstValue("x-amzn-errortype").orElse(null);
    if (type == null) {
      type = stringField(response.body(), "__type", "Type");
      if ("User".equals(type) || "Service".equals(type)) {
        type = null; // Lambda's "Type" is who is at fault, not the error's name
      }
    }
    if (type == null || type.isEmpty()) {
      return null;
    }
    int colon = type.indexOf(':');
    return colon > 0 ? type.substring(0, colon) : type;
  }

  /** The body's {@code message} or {@code Message}, or null. */
  private static String errorMessage(byte[] body) {
    return stringField(body, "message", "Message");
  }

  private static String stringField(byte[] body, String... names) {
    if (body == null || body.length == 0 || body.length > 64 * 1024) {
      return null;
    }
    JsonValue v;
    try {
      v = JsonParser.parse(body);
    } catch (JsonParseException e) {
      String s = new String(body, StandardCharsets.UTF_8).strip();
      return names[0].equals("message") && !s.isEmpty() ? s : null;
    }
    if (v instanceof JsonObject o) {
      for (String n : names) {
        if (o.get(n) instanceof JsonString s) {
          return s.value();
        }
      }
    }
    return null;
  }

  /**
   * {@code text} without what Lambda quotes of the signed request (the canonical request names the
   * session token) and without any of the signing credentials' secrets.
   */
  static String redact(String text, dev.lambdagate.sigv4.Credentials keys) {
    if (text == null) {
      return null;
    }
    int hint = text.indexOf(CANONICAL_HINT);
    if (hint >= 0) {
      text = text.substring(0, hint).strip() + " (the canonical request Lambda quoted is left out)";
    }
    text = cut(text, keys.secretAccessKey());
    text = cut(text, keys.sessionToken());
    return text;
  }

  private static String cut(String text, String secret) {
    return secret == null || secret.isEmpty() ? text : text.replace(secret, "<redacted>");
  }
}
