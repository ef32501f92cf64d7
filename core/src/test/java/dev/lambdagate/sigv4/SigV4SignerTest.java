package dev.lambdagate.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SigV4SignerTest {
  private static final Credentials SUITE_KEYS =
      Credentials.of("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  private static final long SUITE_TIME = AmzDate.parse("20150830T123600Z");
  private static final long DAY = 86_400L;

  private static List<Header> headers(String... nameValues) {
    List<Header> list = new ArrayList<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      list.add(new Header(nameValues[i], nameValues[i + 1]));
    }
    return list;
  }

  private static SigV4Signer suiteSigner() {
    return new SigV4Signer("service", "us-east-1", List.of(), false);
  }

  private static SigningResult signVanilla(SigV4Signer signer, Credentials keys, long time) {
    return signer.sign(
        "GET", "/", headers("Host", "example.amazonaws.com"), PayloadHash.EMPTY_SHA256, keys, time);
  }

  @Test
  void getVanillaOfTheSuite() {
    SigningResult result = signVanilla(suiteSigner(), SUITE_KEYS, SUITE_TIME);
    assertThat(result.signature())
        .isEqualTo("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    assertThat(result.amzDate()).isEqualTo("20150830T123600Z");
    assertThat(result.signedHeaders()).isEqualTo("host;x-amz-date");
    assertThat(result.headersToSet())
        .containsExactly(
            new Header("x-amz-date", "20150830T123600Z"),
            new Header("authorization", result.authorization()));
  }

  @Test
  void signingKeyIsDerivedOncePerDayAndSecret() {
    SigV4Signer signer = suiteSigner();
    assertThat(signer.keyDerivations()).isZero();

    SigningResult first = signVanilla(signer, SUITE_KEYS, SUITE_TIME);
    assertThat(signer.keyDerivations()).isEqualTo(1);
    SigningResult laterThatDay = signVanilla(signer, SUITE_KEYS, SUITE_TIME + 3_600);
    signVanilla(signer, SUITE_KEYS, SUITE_TIME - 12 * 3_600 - 2_160); // 00:00:00 of that day
    assertThat(signer.keyDerivations()).as("same day: cached key reused").isEqualTo(1);

    SigningResult nextDay = signVanilla(signer, SUITE_KEYS, SUITE_TIME + DAY);
    assertThat(signer.keyDerivations()).as("new day: new key").isEqualTo(2);
    signVanilla(signer, SUITE_KEYS, SUITE_TIME + DAY + 60);
    assertThat(signer.keyDerivations()).isEqualTo(2);

    Credentials rotated = Credentials.of("AKIDEXAMPLE", "another-secret");
    SigningResult rotatedResult = signVanilla(signer, rotated, SUITE_TIME + DAY);
    assertThat(signer.keyDerivations()).as("new secret: new key").isEqualTo(3);

    // A cached key signs exactly like a fresh one.
    for (Object[] check :
        new Object[][] {
          {first, SUITE_KEYS, SUITE_TIME},
          {laterThatDay, SUITE_KEYS, SUITE_TIME + 3_600},
          {nextDay, SUITE_KEYS, SUITE_TIME + DAY},
          {rotatedResult, rotated, SUITE_TIME + DAY}
        }) {
      SigningResult fresh = signVanilla(suiteSigner(), (Credentials) check[1], (Long) check[2]);
      assertThat(((SigningResult) check[0]).signature()).isEqualTo(fresh.signature());
    }
    assertThat(first.signature()).isNotEqualTo(nextDay.signature());
  }

  @Test
  void theSignersOwnHeadersReplaceCallerCopiesAndAuthorizationIsNeverSigned() {
    Credentials temporary =
        new Credentials("ASIAEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "fresh-token");
    SigningResult result =
        new SigV4Signer("service", "us-east-1", List.of(), false)
            .sign(
                "GET",
                "/",
                headers(
                    "Host", "example.amazonaws.com",
                    "X-Amz-Date", "19990101T000000Z",
                    "x-amz-security-token", "stale-token",
                    "Authorization", "Bearer abc",
                    "X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD"),
                PayloadHash.EMPTY_SHA256,
                temporary,
                SUITE_TIME);
    assertThat(result.canonicalRequest())
        .contains("\nx-amz-date:20150830T123600Z\n", "\nx-amz-security-token:fresh-token\n")
        .doesNotContain("19990101", "stale-token", "Bearer");
    // Not S3, but the caller sent x-amz-content-sha256: the signer's value (the hash it signs)
    // replaces the caller's stale UNSIGNED-PAYLOAD.
    assertThat(result.signedHeaders())
        .isEqualTo("host;x-amz-content-sha256;x-amz-date;x-amz-security-token");
    assertThat(result.canonicalRequest())
        .contains("\nx-amz-content-sha256:" + PayloadHash.EMPTY_SHA256 + "\n")
        .doesNotContain("UNSIGNED-PAYLOAD");
    assertThat(result.headersToSet())
        .extracting(Header::name)
        .containsExactly(
            "x-amz-date", "x-amz-content-sha256", "x-amz-security-token", "authorization");
    assertThat(result.headersToSet().get(1).value()).isEqualTo(PayloadHash.EMPTY_SHA256);
    assertThat(result.headersToSet().get(2).value()).isEqualTo("fresh-token");
    assertThat(result.authorization())
        .startsWith(
            "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20150830/us-east-1/service/aws4_request,"
                + " SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"
                + " Signature=")
        .endsWith(result.signature());
    assertThatThrownBy(() -> result.headersToSet().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void excludedHeadersAreCaseInsensitiveAndAddToTheAlwaysExcludedOnes() {
    SigningResult result =
        new SigV4Signer(
                "service",
                "us-east-1",
                Arrays.asList("User-Agent", "X-ENVOY-expected-rq-timeout-ms"),
                false)
            .sign(
                "GET",
                "/",
                headers(
                    ":authority", "example.amazonaws.com",
                    "host", "example.amazonaws.com",
                    "user-agent", "curl/8",
                    "x-envoy-expected-rq-timeout-ms", "15000",
                    "x-forwarded-for", "10.0.0.1",
                    "x-forwarded-proto", "https",
                    "x-amzn-trace-id", "Root=1-abc",
                    "x-request-id", "42"),
                PayloadHash.UNSIGNED_PAYLOAD,
                SUITE_KEYS,
                SUITE_TIME);
    assertThat(result.signedHeaders())
        .isEqualTo("host;x-amz-content-sha256;x-amz-date;x-request-id");
    assertThat(result.canonicalRequest()).endsWith("\nUNSIGNED-PAYLOAD");
  }

  /**
   * The "GET Object" example of the Amazon S3 API Reference (Signature Version 4, header-based
   * authentication): an independent published signature for the S3-like mode.
   */
  @Test
  void s3GetObjectExampleFromTheS3Documentation() {
    SigV4Signer s3 = new SigV4Signer("s3", "us-east-1", List.of(), true);
    SigningResult result =
        s3.sign(
            "GET",
            "/test.txt",
            headers("Host", "examplebucket.s3.amazonaws.com", "Range", "bytes=0-9"),
            PayloadHash.EMPTY_SHA256,
            Credentials.of("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            AmzDate.parse("20130524T000000Z"));
    assertThat(result.canonicalRequest())
        .isEqualTo(
            "GET\n/test.txt\n\n"
                + "host:examplebucket.s3.amazonaws.com\n"
                + "range:bytes=0-9\n"
                + "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
                + "x-amz-date:20130524T000000Z\n\n"
                + "host;range;x-amz-content-sha256;x-amz-date\n"
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(result.stringToSign())
        .isEqualTo(
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
                + "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
    assertThat(result.signature())
        .isEqualTo("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    assertThat(result.headersToSet())
        .extracting(Header::name)
        .containsExactly("x-amz-date", "x-amz-content-sha256", "authorization");
  }

  @Test
  void s3LikeModeEncodesThePathOnceAndKeepsItsSegments() {
    String target = "/examplebucket/my%20photos//2024/./a$b.jpg";
    List<Header> host = headers("Host", "examplebucket.s3.amazonaws.com");
    SigningResult s3 =
        new SigV4Signer("s3", "us-east-1", List.of(), true)
            .sign("PUT", target, host, PayloadHash.UNSIGNED_PAYLOAD, SUITE_KEYS, SUITE_TIME);
    SigningResult other =
        suiteSigner()
            .sign("PUT", target, host, PayloadHash.UNSIGNED_PAYLOAD, SUITE_KEYS, SUITE_TIME);
    assertThat(s3.canonicalRequest().split("\n")[1])
        .isEqualTo("/examplebucket/my%20photos//2024/./a%24b.jpg");
    assertThat(other.canonicalRequest().split("\n")[1])
        .isEqualTo("/examplebucket/my%2520photos/2024/a%24b.jpg");
    // S3 signs the payload hash header, replacing a caller's copy.
    assertThat(s3.canonicalRequest()).contains("\nx-amz-content-sha256:UNSIGNED-PAYLOAD\n");
  }

  @Test
  void thePayloadHashHeaderIsSentForS3ForUnsignedPayloadsAndWhenTheCallerSentOne() {
    List<Header> host = headers("Host", "example.amazonaws.com");
    String bodyHash =
        PayloadHash.sha256Hex("payload".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    // Another service, signed payload, no header from the caller: none, as the AWS suite expects.
    SigningResult plain = suiteSigner().sign("PUT", "/", host, bodyHash, SUITE_KEYS, SUITE_TIME);
    assertThat(plain.signedHeaders()).isEqualTo("host;x-amz-date");
    assertThat(plain.headersToSet())
        .extracting(Header::name)
        .doesNotContain("x-amz-content-sha256");
    // UNSIGNED-PAYLOAD: the service must be told, whatever it is.
    SigningResult unsigned =
        suiteSigner().sign("PUT", "/", host, PayloadHash.UNSIGNED_PAYLOAD, SUITE_KEYS, SUITE_TIME);
    assertThat(unsigned.signedHeaders()).isEqualTo("host;x-amz-content-sha256;x-amz-date");
    assertThat(unsigned.headersToSet())
        .contains(new Header("x-amz-content-sha256", PayloadHash.UNSIGNED_PAYLOAD));
    // The caller's copy (any case, any value) asks for it and is replaced by the signed hash.
    SigningResult asked =
        suiteSigner()
            .sign(
                "PUT",
                "/",
                headers("Host", "example.amazonaws.com", "X-Amz-Content-SHA256", "forged"),
                bodyHash,
                SUITE_KEYS,
                SUITE_TIME);
    assertThat(asked.signedHeaders()).isEqualTo("host;x-amz-content-sha256;x-amz-date");
    assertThat(asked.canonicalRequest())
        .contains("\nx-amz-content-sha256:" + bodyHash + "\n")
        .doesNotContain("forged");
    assertThat(asked.headersToSet()).contains(new Header("x-amz-content-sha256", bodyHash));
    // S3: always, with the body's hash.
    SigningResult s3 =
        new SigV4Signer("s3", "us-east-1", List.of(), true)
            .sign("PUT", "/key", host, bodyHash, SUITE_KEYS, SUITE_TIME);
    assertThat(s3.headersToSet()).contains(new Header("x-amz-content-sha256", bodyHash));
  }

  @Test
  void invalidInputsAreRejected() {
    SigV4Signer signer = suiteSigner();
    assertThatThrownBy(
            () ->
                signer.sign(
                    "GET",
                    "/",
                    headers("X-A", "1"),
                    PayloadHash.EMPTY_SHA256,
                    SUITE_KEYS,
                    SUITE_TIME))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host");
    assertThatThrownBy(
            () -> signer.sign("GET", "/", headers("Host", "h"), "abc", SUITE_KEYS, SUITE_TIME))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("payload hash");
    assertThatThrownBy(() -> new SigV4Signer("", "us-east-1", List.of(), false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SigV4Signer("lambda", null, List.of(), false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toStringsRevealNoSecrets() {
    Credentials temporary = new Credentials("ASIAEXAMPLE", "secret-key-value", "token-value");
    SigningResult result = signVanilla(suiteSigner(), temporary, SUITE_TIME);
    String printed = result + " " + result.headersToSet() + " " + suiteSigner() + " " + temporary;
    assertThat(printed)
        .doesNotContain("secret-key-value", "token-value", result.signature())
        .contains("x-amz-security-token: <redacted>", "authorization: <redacted>");
  }

  @Test
  void keptBuffersGiveTheSameSignatureAndDoNotKeepTheSessionToken() {
    SigV4Signer signer = new SigV4Signer("lambda", "us-east-1", new ArrayList<>(), false);
    Credentials credentials = new Credentials("AKID", "secret", "token-value-123");
    List<Header> headers =
        Arrays.asList(new Header("host", "lambda.us-east-1.amazonaws.com"), new Header("x-a", "1"));
    SigningBuffers buffers = new SigningBuffers();
    for (int round = 0; round < 3; round++) { // the same buffers, signature after signature
      long time = 1440938160L + round * 86_400L;
      SigningResult fresh =
          signer.sign("POST", "/a?b=c", headers, PayloadHash.EMPTY_SHA256, credentials, time);
      SigningResult kept =
          signer.sign(
              "POST",
              "/a?b=c",
              headers,
              PayloadHash.EMPTY_SHA256,
              credentials,
              time,
              buffers,
              false);
      assertThat(kept.authorization()).isEqualTo(fresh.authorization());
      assertThat(kept.headersToSet()).isEqualTo(fresh.headersToSet());
      assertThat(kept.canonicalRequest()).isNull();
      assertThat(fresh.canonicalRequest()).contains("token-value-123");
      String left =
          new String(buffers.canonical.bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
      assertThat(left).doesNotContain("token-value-123");
    }
  }
}
