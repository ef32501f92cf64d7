package dev.lambdagate.harness.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roastedroot.proxywasm.LogLevel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Signing mode through the built module: header hygiene, payload modes, errors, bad config. */
class SigningModeTest {
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  static final HostClock CLOCK = HostClock.fixed(Instant.parse("2015-08-30T12:36:00Z"));

  static String config(String signExtras) {
    return "{\"sign\":{\"service\":\"service\",\"region\":\"us-east-1\""
        + signExtras
        + "},"
        + "\"credentials\":{\"accessKeyId\":\"AKIDEXAMPLE\",\"secretAccessKey\":\""
        + SECRET
        + "\"}}";
  }

  static HttpMessage request(String method, String body, String... extraHeaders) {
    List<String[]> headers = new ArrayList<>();
    headers.add(new String[] {":method", method});
    headers.add(new String[] {":path", "/"});
    headers.add(new String[] {":authority", "example.amazonaws.com"});
    for (int i = 0; i < extraHeaders.length; i += 2) {
      headers.add(new String[] {extraHeaders[i], extraHeaders[i + 1]});
    }
    return new HttpMessage(headers, body.getBytes(StandardCharsets.UTF_8));
  }

  static FilterOutcome run(FilterVm vm, HttpMessage request) {
    try (FilterStream stream = vm.openStream(Map.of())) {
      return stream.request(request);
    }
  }

  @Test
  void replacesWhateverSignatureTheClientSent() throws Exception {
    try (FilterVm vm =
        FilterVm.start(ModuleUnderTest.filter(), FilterVmOptions.of(config("")).withClock(CLOCK))) {
      FilterOutcome out =
          run(
              vm,
              request(
                  "GET",
                  "",
                  "authorization",
                  "AWS4-HMAC-SHA256 forged",
                  "x-amz-date",
                  "20990101T000000Z",
                  "x-amz-security-token",
                  "stolen",
                  "x-amz-content-sha256",
                  "abc"));
      assertThat(out.localReply()).isFalse();
      // The client sent x-amz-content-sha256: the filter sends and signs its own, the empty
      // body's hash, in its place. Nothing else the client sent took part.
      assertThat(out.message().headerValues("authorization"))
          .containsExactly(
              "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                  + "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature="
                  + sdkSignatureOfGetVanillaWithPayloadHash());
      assertThat(out.message().headerValues("x-amz-date")).containsExactly("20150830T123600Z");
      assertThat(out.message().header("x-amz-security-token")).isNull();
      assertThat(out.message().headerValues("x-amz-content-sha256")).containsExactly(EMPTY_SHA256);
    }
  }

  /**
   * The suite's get-vanilla request plus {@code x-amz-content-sha256: <empty body's hash>}, signed
   * by the AWS SDK for Java v2's Aws4Signer (which signs the header as given and hashes the empty
   * body itself): an independent expectation.
   */
  @SuppressWarnings("deprecation") // the legacy signer is AWS's own code: the oracle on purpose
  static String sdkSignatureOfGetVanillaWithPayloadHash() {
    software.amazon.awssdk.http.SdkHttpFullRequest request =
        software.amazon.awssdk.http.SdkHttpFullRequest.builder()
            .method(software.amazon.awssdk.http.SdkHttpMethod.GET)
            .protocol("https")
            .host("example.amazonaws.com")
            .encodedPath("/")
            .putHeader("x-amz-content-sha256", EMPTY_SHA256)
            .build();
    software.amazon.awssdk.auth.signer.params.Aws4SignerParams params =
        software.amazon.awssdk.auth.signer.params.Aws4SignerParams.builder()
            .awsCredentials(
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                    "AKIDEXAMPLE", SECRET))
            .signingName("service")
            .signingRegion(software.amazon.awssdk.regions.Region.US_EAST_1)
            .signingClockOverride(
                java.time.Clock.fixed(
                    Instant.parse("2015-08-30T12:36:00Z"), java.time.ZoneOffset.UTC))
            .build();
    String authorization =
        software.amazon.awssdk.auth.signer.Aws4Signer.create()
            .sign(request, params)
            .firstMatchingHeader("Authorization")
            .orElseThrow();
    assertThat(authorization).contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date,");
    return authorization.substring(authorization.indexOf("Signature=") + "Signature=".length());
  }

  @Test
  void withoutAClientPayloadHashAnotherServiceGetsNoneAsInTheSuite() throws Exception {
    try (FilterVm vm =
        FilterVm.start(ModuleUnderTest.filter(), FilterVmOptions.of(config("")).withClock(CLOCK))) {
      FilterOutcome out = run(vm, request("GET", ""));
      // The suite's get-vanilla signature.
      assertThat(out.message().headerValues("authorization"))
          .containsExactly(
              "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                  + "SignedHeaders=host;x-amz-date, Signature="
                  + "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
      assertThat(out.message().header("x-amz-content-sha256")).isNull();
    }
  }

  @Test
  void unsignedPayloadStreamsTheBodyAndHostRewriteIsSigned() throws Exception {
    List<String> log = new ArrayList<>();
    try (FilterVm vm =
        FilterVm.start(
            ModuleUnderTest.filter(),
            FilterVmOptions.of(
                    config(
                        ",\"unsignedPayload\":true,\"hostRewrite\":\"api.example.com\","
                            + "\"excludedHeaders\":[\"x-custom\"]"))
                .withClock(CLOCK)
                .withLog((l, line) -> log.add(line), LogLevel.TRACE))) {
      FilterOutcome out =
          run(
              vm,
              request(
                  "POST",
                  "payload",
                  "x-custom",
                  "1",
                  "x-forwarded-for",
                  "10.0.0.1",
                  "x-amzn-trace-id",
                  "Root=1"));
      assertThat(out.localReply()).isFalse();
      assertThat(out.message().header(":authority")).isEqualTo("api.example.com");
      assertThat(out.message().bodyText()).isEqualTo("payload");
      String creq =
          log.stream()
              .filter(l -> l.startsWith("lambdagate: sigv4 canonical request"))
              .findFirst()
              .orElseThrow();
      assertThat(creq)
          .contains("host:api.example.com")
          .endsWith("\nUNSIGNED-PAYLOAD")
          .doesNotContain("x-custom")
          .doesNotContain("x-forwarded-for")
          .doesNotContain("x-amzn-trace-id");
      // UNSIGNED-PAYLOAD is announced to the service, whatever the service: signed and sent.
      assertThat(creq).contains("\nx-amz-content-sha256:UNSIGNED-PAYLOAD\n");
      assertThat(out.message().headerValues("x-amz-content-sha256"))
          .containsExactly("UNSIGNED-PAYLOAD");
      assertThat(out.message().header("authorization"))
          .contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date,");
    }
  }

  @Test
  void aFailureInsideTheFilterAnswers500AndTheVmKeepsServing() throws Exception {
    List<String> log = new ArrayList<>();
    try (FilterVm vm =
        FilterVm.start(
            ModuleUnderTest.filter(),
            FilterVmOptions.of(config(""))
                .withClock(CLOCK)
                .withLog((l, line) -> log.add(line), LogLevel.INFO))) {
      // No :authority: there is no Host to sign, the signer throws inside the callback.
      FilterOutcome broken =
          run(
              vm,
              new HttpMessage(
                  List.of(new String[] {":method", "GET"}, new String[] {":path", "/"}),
                  new byte[0]));
      assertThat(broken.localReply()).isTrue();
      assertThat(broken.status()).isEqualTo(500);
      assertThat(broken.message().header("content-type")).isEqualTo("application/json");
      String requestId =
          ErrorReplyAssertions.assertGenericError(
              broken.message().bodyText(), "filter_error", "Internal Server Error");
      assertThat(broken.message().bodyText())
          .doesNotContain("Exception")
          .doesNotContain(":authority");
      ErrorReplyAssertions.assertLoggedWith(
          log,
          requestId,
          "proxy_on_request_headers failed",
          "IllegalArgumentException",
          ":authority");

      FilterOutcome fine = run(vm, request("GET", ""));
      assertThat(fine.localReply()).isFalse();
      assertThat(fine.message().header("authorization")).isNotNull();
    }
  }

  @Test
  void aBadConfigurationIsRejectedNamingTheKey() throws Exception {
    assertRejected(
        "{\"sign\":{\"service\":\"s3\"},\"credentials\":{\"accessKeyId\":\"A\","
            + "\"secretAccessKey\":\"S\"}}",
        "sign.region");
    assertRejected(
        "{\"sign\":{\"service\":\"s3\",\"region\":42},\"credentials\":{"
            + "\"accessKeyId\":\"A\",\"secretAccessKey\":\"S\"}}",
        "sign.region");
    assertRejected("{\"sign\":{\"service\":\"s3\",\"region\":\"us-east-1\"}}", "credentials");
    assertRejected("{\"sign\":", "");
  }

  private static void assertRejected(String config, String key) throws Exception {
    List<String> log = new ArrayList<>();
    assertThatThrownBy(
            () ->
                FilterVm.start(
                    ModuleUnderTest.filter(),
                    FilterVmOptions.of(config).withLog((l, line) -> log.add(line), LogLevel.INFO)))
        .isInstanceOf(FilterStartException.class);
    assertThat(log)
        .as("log for %s", config)
        .anyMatch(l -> l.startsWith("lambdagate: config: " + key));
    assertThat(String.join("\n", log)).doesNotContain("\"S\"");
  }
}
