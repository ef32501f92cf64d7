package dev.lambdagate.harness.emulator.sigv4;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A minimal SigV4 signer for tests that signs exactly the headers it is told to, so a test can
 * produce a correct signature over a SignedHeaders list that leaves out a header AWS requires
 * (Aws4Signer always adds host, x-amz-date and the session token, so it cannot). Handles only what
 * those tests send: a path that needs no encoding, no query, single-valued headers.
 */
final class ChosenHeadersSigner {

  private ChosenHeadersSigner() {}

  /**
   * The Authorization header for {@code method path} with {@code headers} (lower-case names)
   * signing those named in {@code signedHeaders}.
   */
  static String authorization(
      String method,
      String path,
      Map<String, String> headers,
      List<String> signedHeaders,
      byte[] body,
      String accessKeyId,
      String secret,
      String region,
      String service) {
    List<String> names = signedHeaders.stream().sorted().toList();
    String amzDate = headers.get("x-amz-date");
    String date = amzDate.substring(0, 8);
    String canonicalHeaders =
        names.stream()
            .map(n -> n + ":" + headers.get(n).trim() + "\n")
            .collect(Collectors.joining());
    String signedList = String.join(";", names);
    String canonicalRequest =
        method
            + "\n"
            + path
            + "\n\n"
            + canonicalHeaders
            + "\n"
            + signedList
            + "\n"
            + hex(sha256(body));
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String stringToSign =
        "AWS4-HMAC-SHA256\n"
            + amzDate
            + "\n"
            + scope
            + "\n"
            + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    return "AWS4-HMAC-SHA256 Credential="
        + accessKeyId
        + "/"
        + scope
        + ", SignedHeaders="
        + signedList
        + ", Signature="
        + hex(hmac(key, stringToSign));
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
