package dev.lambdagate.controlplane.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.config.Endpoint;
import dev.lambdagate.controlplane.RefusingPort;
import dev.lambdagate.controlplane.model.Credentials;
import dev.lambdagate.controlplane.model.LambdaTarget;
import dev.lambdagate.controlplane.sts.StsExchange;
import dev.lambdagate.sigv4.Header;
import dev.lambdagate.sigv4.PayloadHash;
import dev.lambdagate.sigv4.SigV4Signer;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DryRunInvokeTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  static final String TOKEN = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN";
  static final Credentials.Inline KEYS = new Credentials.Inline("ASIAEXAMPLE", SECRET, TOKEN);

  FakeLambda lambda;

  @AfterEach
  void stop() {
    if (lambda != null) {
      lambda.close();
    }
  }

  static DryRunInvoke invoke() {
    StsExchange sts = new StsExchange(HttpClient.newHttpClient(), Duration.ofSeconds(5), CLOCK);
    return new DryRunInvoke(
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(),
        Duration.ofSeconds(5),
        CLOCK,
        sts::signingCredentials);
  }

  static LambdaTarget target(Endpoint endpoint, String functionName, String qualifier) {
    return new LambdaTarget(
        functionName,
        null,
        "eu-west-1",
        "123456789012",
        qualifier,
        "Sync",
        "None",
        endpoint.url(),
        endpoint,
        null,
        null,
        null);
  }

  FunctionCheckResult check(FakeLambda.Answer answer) throws Exception {
    lambda = new FakeLambda();
    lambda.answer(c -> answer);
    return invoke().check(new FunctionTarget(target(lambda.endpoint(), "echo", null), KEYS));
  }

  @Test
  void sendsADryRunSignedWithTheProxiesCredentialsToTheFiltersPath() throws Exception {
    lambda = new FakeLambda();
    Endpoint endpoint = lambda.endpoint();
    FunctionCheckResult r =
        invoke().check(new FunctionTarget(target(endpoint, "echo", "live"), KEYS));

    assertThat(r.state()).isEqualTo(FunctionCheckResult.State.READY);
    assertThat(r.reason()).isEqualTo("DryRunSucceeded");
    assertThat(lambda.calls).hasSize(1);
    FakeLambda.Call call = lambda.calls.get(0);
    assertThat(call.method()).isEqualTo("POST");
    // A plain name with an account id goes as the full ARN, as the filter sends it.
    String path =
        "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-west-1%3A123456789012%3Afunction%3Aecho"
            + "/invocations?Qualifier=live";
    assertThat(call.rawPathAndQuery()).isEqualTo(path);
    assertThat(call.headers()).containsEntry("x-amz-invocation-type", "DryRun");
    assertThat(call.headers()).containsEntry("x-amz-security-token", TOKEN);
    assertThat(call.headers()).containsEntry("x-amz-date", "20260301T120000Z");
    assertThat(call.body()).isEmpty();
    assertThat(call.headers().get("authorization"))
        .startsWith(
            "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20260301/eu-west-1/lambda/aws4_request,");

    // The signature, recomputed from what arrived: host and invocation type are signed.
    String expected =
        new SigV4Signer("lambda", "eu-west-1", List.of(), false)
            .sign(
                "POST",
                call.rawPathAndQuery(),
                List.of(
                    new Header("host", call.headers().get("host")),
                    new Header(
                        "x-amz-invocation-type", call.headers().get("x-amz-invocation-type"))),
                PayloadHash.EMPTY_SHA256,
                new dev.lambdagate.sigv4.Credentials("ASIAEXAMPLE", SECRET, TOKEN),
                NOW.getEpochSecond())
            .authorization();
    assertThat(call.headers().get("authorization")).isEqualTo(expected);
    assertThat(expected)
        .contains("SignedHeaders=host;x-amz-date;x-amz-invocation-type;x-amz-security-token");
  }

  @Test
  void aMissingFunctionIsFunctionNotFoundQuotingLambda() throws Exception {
    FunctionCheckResult r =
        check(
            FakeLambda.error(
                404,
                "ResourceNotFoundException",
                "Function not found: arn:aws:lambda:eu-west-1:123456789012:function:echo"));
    assertThat(r.state()).isEqualTo(FunctionCheckResult.State.FAILED);
    assertThat(r.reason()).isEqualTo("FunctionNotFound");
    assertThat(r.message())
        .contains("HTTP 404, ResourceNotFoundException: Function not found: arn:aws:lambda:")
        .contains("Lambda Invoke (DryRun) of echo at http://127.0.0.1:");
  }

  @Test
  void aMissingPermissionIsAccessDenied() throws Exception {
    FunctionCheckResult r =
        check(
            FakeLambda.error(
                403,
                "AccessDeniedException",
                "User: arn:aws:sts::123456789012:assumed-role/r/s is not authorized to perform:"
                    + " lambda:InvokeFunction on resource: echo"));
    assertThat(r.state()).isEqualTo(FunctionCheckResult.State.FAILED);
    assertThat(r.reason()).isEqualTo("AccessDenied");
    assertThat(r.message())
        .contains("AccessDeniedException: User: ")
        .contains("lambda:InvokeFunction");
  }

  @Test
  void aBadSignatureNeverQuotesTheCredentials() throws Exception {
    FunctionCheckResult r =
        check(
            FakeLambda.error(
                403,
                "InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/",
                "The request signature we calculated does not match the signature you provided."
                    + " The Canonical String for this request should have been 'POST\\n/\\n\\n"
                    + "x-amz-security-token:"
                    + TOKEN
                    + "\\n' secret "
                    + SECRET));
    assertThat(r.state()).isEqualTo(FunctionCheckResult.State.FAILED);
    assertThat(r.reason()).isEqualTo("InvalidSignature");
    assertThat(r.message())
        .contains("InvalidSignatureException: The request signature we calculated does not match")
        .doesNotContain(TOKEN)
        .doesNotContain(SECRET)
        .doesNotContain("Canonical String");
    assertThat(DryRunInvoke.redact("key " + SECRET + " token " + TOKEN, sigv4()))
        .isEqualTo("key <redacted> token <redacted>");
  }

  static dev.lambdagate.sigv4.Credentials sigv4() {
    return new dev.lambdagate.sigv4.Credentials("ASIAEXAMPLE", SECRET, TOKEN);
  }

  @Test
  void anUnknownKeyIsUnrecognizedClient() throws Exception {
    FunctionCheckResult r =
        check(
            FakeLambda.error(
                403,
                "UnrecognizedClientException",
                "The security token included in the request is invalid."));
    assertThat(r.state()).isEqualTo(FunctionCheckResult.State.FAILED);
    assertThat(r.reason()).isEqualTo("UnrecognizedClient");
    assertThat(r.message()).contains("UnrecognizedClientException: The security token");
  }

  @Test
  void throttlingIsNoVerdict() throws Exception {
    FunctionCheckResult r =
        check(FakeLambda.error(429, "TooManyRequestsException", "Rate exceeded"));
    assertThat(r.state()).isEqualTo(FunctionCheckResult.State.UNKNOWN);
    assertThat(r.reason()).isEqualTo("Unreachable");
  }

  @Test
  void aRefusedConnectionIsUnreachable() throws Exception {
    try (RefusingPort port = new RefusingPort()) {
      Endpoint endpoint = Endpoint.parse("http://127.0.0.1:" + port.port());
      FunctionCheckResult r =
          invoke().check(new FunctionTarget(target(endpoint, "echo", null), KEYS));
      assertThat(r.state()).isEqualTo(FunctionCheckResult.State.UNKNOWN);
      assertThat(r.reason()).isEqualTo("Unreachable");
      assertThat(r.message())
          .contains("Lambda Invoke (DryRun) of echo at http://127.0.0.1:" + port.port())
          .contains("wrong region");
    }
  }

  @Test
  void exchangedKeysWithoutASessionAreNotSignedWith() throws Exception {
    lambda = new FakeLambda();
    Credentials.SecretSession noSession =
        new Credentials.SecretSession(
            new Credentials.Inline("AKIALONGTERM", SECRET, null),
            "eu-west-1",
            Endpoint.https("sts.eu-west-1.amazonaws.com"),
            null);
    FunctionCheckResult r =
        invoke().check(new FunctionTarget(target(lambda.endpoint(), "echo", null), noSession));
    assertThat(r.state()).isEqualTo(FunctionCheckResult.State.UNKNOWN);
    assertThat(r.reason()).isEqualTo("CredentialsNotReady");
    assertThat(lambda.calls).isEmpty();

    // With a session, the session signs; the long-term keys never do.
    FunctionCheckResult withSession =
        invoke()
            .check(
                new FunctionTarget(
                    target(lambda.endpoint(), "echo", null), noSession.withSession(KEYS)));
    assertThat(withSession.state()).isEqualTo(FunctionCheckResult.State.READY);
    assertThat(lambda.calls.get(0).headers().get("authorization")).contains("ASIAEXAMPLE/");
  }
}
