package dev.lambdagate.harness.host;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.AwsS3V4Signer;
import software.amazon.awssdk.auth.signer.params.AwsS3V4SignerParams;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

/**
 * An independent S3 signature: the request a filter signed, signed again by the AWS SDK for Java
 * v2's S3 signer ({@link AwsS3V4Signer}: path used as sent, no double encoding, the payload hash
 * header added by the signer itself) at the filter's own {@code x-amz-date}. The SDK is given the
 * method, target, host, body and the headers the filter signed, but never the filter's {@code
 * x-amz-content-sha256}: it computes that from the body (or uses {@code UNSIGNED-PAYLOAD} when
 * payload signing is off, which it honours over HTTPS), so a wrong value makes the signatures
 * differ.
 *
 * <p>Stateless; thread-safe.
 */
public final class S3SignatureOracle {
  /** Set by the SDK signer itself; taken from the filter's request they would prove nothing. */
  private static final Set<String> SET_BY_THE_SDK =
      Set.of("host", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token");

  private S3SignatureOracle() {}

  /**
   * The Authorization header the SDK computes for {@code signed} (a request as the filter let it
   * go: pseudo headers, the headers it set, the body).
   */
  @SuppressWarnings("deprecation") // the legacy S3 signer is AWS's own code: the oracle on purpose
  public static String authorization(
      HttpMessage signed,
      String accessKeyId,
      String secret,
      String region,
      boolean unsignedPayload) {
    String target = signed.header(":path");
    int question = target.indexOf('?');
    SdkHttpFullRequest.Builder request =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.fromValue(signed.header(":method")))
            .protocol("https")
            .host(signed.header(":authority"))
            .encodedPath(question < 0 ? target : target.substring(0, question));
    if (question >= 0) {
      for (String pair : target.substring(question + 1).split("&")) {
        int eq = pair.indexOf('=');
        request.appendRawQueryParameter(
            decode(eq < 0 ? pair : pair.substring(0, eq)),
            eq < 0 ? null : decode(pair.substring(eq + 1)));
      }
    }
    for (String name : signedHeaderNames(signed.header("authorization"))) {
      if (!SET_BY_THE_SDK.contains(name)) {
        for (String value : signed.headerValues(name)) {
          request.appendHeader(name, value);
        }
      }
    }
    if (signed.body().length > 0) {
      byte[] body = signed.body();
      request.contentStreamProvider(() -> new java.io.ByteArrayInputStream(body));
    }
    Instant at =
        Instant.from(
            java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(ZoneOffset.UTC)
                .parse(signed.header("x-amz-date")));
    AwsS3V4SignerParams params =
        AwsS3V4SignerParams.builder()
            .awsCredentials(AwsBasicCredentials.create(accessKeyId, secret))
            .signingName("s3")
            // What the S3 client configures: S3 signs the path as sent (the builder's defaults are
            // the other services' double encoding and normalisation).
            .doubleUrlEncode(false)
            .normalizePath(false)
            .signingRegion(Region.of(region))
            .signingClockOverride(Clock.fixed(at, ZoneOffset.UTC))
            .enablePayloadSigning(!unsignedPayload)
            .enableChunkedEncoding(false)
            .build();
    SdkHttpFullRequest sdkSigned = AwsS3V4Signer.create().sign(request.build(), params);
    return sdkSigned.firstMatchingHeader("Authorization").orElseThrow();
  }

  /** The lower-case names after {@code SignedHeaders=} in an Authorization value. */
  public static Set<String> signedHeaderNames(String authorization) {
    int start = authorization.indexOf("SignedHeaders=") + "SignedHeaders=".length();
    int end = authorization.indexOf(',', start);
    return new TreeSet<>(Arrays.asList(authorization.substring(start, end).split(";")));
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
