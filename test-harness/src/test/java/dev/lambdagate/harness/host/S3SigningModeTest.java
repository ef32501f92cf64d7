package dev.lambdagate.harness.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Signing mode for S3 through the built module (Chicory): every request carries a signed {@code
 * x-amz-content-sha256} equal to the body's SHA-256 or {@code UNSIGNED-PAYLOAD}, a client's value
 * never survives, and the AWS SDK's own S3 signer ({@link S3SignatureOracle}) computes the same
 * Authorization.
 */
class S3SigningModeTest {
  static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  static final HostClock CLOCK = HostClock.fixed(Instant.parse("2026-03-01T10:20:30Z"));

  static String config(boolean unsignedPayload) {
    return "{\"sign\":{\"service\":\"s3\",\"region\":\"eu-west-1\",\"unsignedPayload\":"
        + unsignedPayload
        + "},\"credentials\":{\"accessKeyId\":\""
        + KEY_ID
        + "\",\"secretAccessKey\":\""
        + SECRET
        + "\"}}";
  }

  static HttpMessage s3Request(String method, String target, String body, String... headers) {
    List<String[]> list = new ArrayList<>();
    list.add(new String[] {":method", method});
    list.add(new String[] {":path", target});
    list.add(new String[] {":authority", "examplebucket.s3.eu-west-1.amazonaws.com"});
    for (int i = 0; i < headers.length; i += 2) {
      list.add(new String[] {headers[i], headers[i + 1]});
    }
    return new HttpMessage(list, body.getBytes(StandardCharsets.UTF_8));
  }

  static FilterOutcome signed(boolean unsignedPayload, HttpMessage request) throws Exception {
    try (FilterVm vm =
        FilterVm.start(
            ModuleUnderTest.filter(),
            FilterVmOptions.of(config(unsignedPayload)).withClock(CLOCK))) {
      FilterOutcome out = SigningModeTest.run(vm, request);
      assertThat(out.localReply()).as("%s", out.details()).isFalse();
      return out;
    }
  }

  static String sha256Hex(String body) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
  }

  /** The header is there once, signed, with {@code expected}; the SDK signs the same. */
  static void assertSignedLikeTheSdk(FilterOutcome out, String expected, boolean unsigned) {
    HttpMessage m = out.message();
    assertThat(m.headerValues("x-amz-content-sha256")).containsExactly(expected);
    String authorization = m.header("authorization");
    assertThat(S3SignatureOracle.signedHeaderNames(authorization))
        .contains("host", "x-amz-content-sha256", "x-amz-date");
    assertThat(authorization)
        .startsWith(
            "AWS4-HMAC-SHA256 Credential=" + KEY_ID + "/20260301/eu-west-1/s3/aws4_request, ");
    assertThat(authorization)
        .isEqualTo(S3SignatureOracle.authorization(m, KEY_ID, SECRET, "eu-west-1", unsigned));
  }

  @Test
  void getObjectCarriesTheEmptyBodysHash() throws Exception {
    FilterOutcome out =
        signed(
            false,
            s3Request(
                "GET",
                "/photos/my%20cat.jpg?versionId=3&response-content-type=image%2Fjpeg",
                "",
                "range",
                "bytes=0-9"));
    assertSignedLikeTheSdk(out, sha256Hex(""), false);
    assertThat(S3SignatureOracle.signedHeaderNames(out.message().header("authorization")))
        .contains("range");
  }

  @Test
  void putObjectCarriesTheBodysHash() throws Exception {
    String body = "{\"hello\":\"s3\"}\n".repeat(300);
    FilterOutcome out =
        signed(
            false,
            s3Request("PUT", "/reports/2026/03/01.json", body, "content-type", "application/json"));
    assertSignedLikeTheSdk(out, sha256Hex(body), false);
    assertThat(out.message().bodyText()).isEqualTo(body);
  }

  @Test
  void unsignedPayloadPutSaysSoAndReplacesTheClientsValue() throws Exception {
    String body = "streamed, not hashed";
    FilterOutcome out =
        signed(
            true,
            s3Request(
                "PUT",
                "/uploads/big.bin",
                body,
                "content-type",
                "application/octet-stream",
                "x-amz-content-sha256",
                sha256Hex("some other body"),
                "x-amz-content-sha256",
                "UNSIGNED-PAYLOAD-FORGED")); // Envoy's names are lower case
    assertSignedLikeTheSdk(out, "UNSIGNED-PAYLOAD", true);
    assertThat(out.message().bodyText()).isEqualTo(body);
  }

  @Test
  void aSignedPayloadReplacesAClientsUnsignedPayloadClaim() throws Exception {
    String body = "abc";
    FilterOutcome out =
        signed(false, s3Request("PUT", "/k", body, "x-amz-content-sha256", "UNSIGNED-PAYLOAD"));
    assertSignedLikeTheSdk(out, sha256Hex(body), false);
  }
}
