package dev.lambdagate.harness.emulator.sigv4;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The parts of a SigV4 {@code Authorization} header: {@code AWS4-HMAC-SHA256
 * Credential=AKID/20150830/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date,
 * Signature=hex}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param accessKeyId the key id from the credential scope
 * @param scopeDate {@code yyyyMMdd} from the credential scope
 * @param scopeRegion region from the credential scope
 * @param scopeService service from the credential scope
 * @param scopeTerminator normally {@code aws4_request}
 * @param signedHeaders the lower-cased header names listed in SignedHeaders, in the order sent
 * @param signedHeadersText SignedHeaders exactly as sent
 * @param signature the hex signature as sent
 */
public record AuthorizationHeader(
    String accessKeyId,
    String scopeDate,
    String scopeRegion,
    String scopeService,
    String scopeTerminator,
    List<String> signedHeaders,
    String signedHeadersText,
    String signature) {

  /** The only algorithm the emulators verify. */
  public static final String ALGORITHM = "AWS4-HMAC-SHA256";

  /**
   * Parses a header value.
   *
   * @throws IllegalArgumentException with an AWS-style {@code IncompleteSignature} message
   */
  public static AuthorizationHeader parse(String value) {
    String trimmed = value.trim();
    int space = trimmed.indexOf(' ');
    String algorithm = space < 0 ? trimmed : trimmed.substring(0, space);
    if (!ALGORITHM.equals(algorithm)) {
      throw new IllegalArgumentException("Unsupported AWS 'algorithm': '" + algorithm + "'");
    }
    String credential = null;
    String signedHeaders = null;
    String signature = null;
    for (String part : trimmed.substring(space + 1).split(",")) {
      String p = part.trim();
      int eq = p.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = p.substring(0, eq).trim();
      String val = p.substring(eq + 1).trim();
      switch (key) {
        case "Credential" -> credential = val;
        case "SignedHeaders" -> signedHeaders = val;
        case "Signature" -> signature = val;
        default -> {}
      }
    }
    StringBuilder missing = new StringBuilder();
    if (credential == null) {
      missing.append("Authorization header requires 'Credential' parameter. ");
    }
    if (signature == null) {
      missing.append("Authorization header requires 'Signature' parameter. ");
    }
    if (signedHeaders == null) {
      missing.append("Authorization header requires 'SignedHeaders' parameter. ");
    }
    if (missing.length() > 0) {
      throw new IllegalArgumentException(missing.toString().trim());
    }
    String[] scope = credential.split("/", -1);
    if (scope.length != 5) {
      throw new IllegalArgumentException(
          "Credential should have exactly 5 slash-delimited elements, "
              + "e.g. keyid/date/region/service/term, got '"
              + credential
              + "'");
    }
    List<String> names = new ArrayList<>();
    for (String name : signedHeaders.split(";")) {
      if (!name.isEmpty()) {
        names.add(name.toLowerCase(Locale.ROOT));
      }
    }
    return new AuthorizationHeader(
        scope[0],
        scope[1],
        scope[2],
        scope[3],
        scope[4],
        List.copyOf(names),
        signedHeaders,
        signature);
  }
}
