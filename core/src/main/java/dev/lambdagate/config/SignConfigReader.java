package dev.lambdagate.config;

import dev.lambdagate.json.JsonArray;
import dev.lambdagate.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Reads and checks a {@code sign} object. */
final class SignConfigReader {

  /** Headers the signature always covers: leaving them out would make it useless or invalid. */
  private static final String[] ALWAYS_SIGNED = {
    "host", "authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"
  };

  private SignConfigReader() {}

  static SignConfig read(JsonObject sign, String path) throws ConfigException {
    JsonFields f = new JsonFields(sign, path);
    String service = f.requiredString("service");
    for (int i = 0; i < service.length(); i++) {
      char c = service.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        throw new ConfigException(
            f.pathOf("service"),
            "must be a signing name of lower-case letters, digits and '-', like execute-api");
      }
    }
    String region = f.requiredString("region");
    if (!AwsRegion.isValid(region)) {
      throw new ConfigException(f.pathOf("region"), "must be a region name like us-east-1");
    }
    boolean unsignedPayload = f.optionalBoolean("unsignedPayload", false);

    String hostRewrite = f.optionalString("hostRewrite");
    if (hostRewrite != null) {
      try {
        hostRewrite = Endpoint.parseAuthority(hostRewrite, true).host() + portSuffix(hostRewrite);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            f.pathOf("hostRewrite"), "must be host or host:port; it " + e.getMessage());
      }
    }

    List<String> excluded = new ArrayList<>(SignConfig.ALWAYS_EXCLUDED_HEADERS);
    JsonArray configured = f.optionalArray("excludedHeaders");
    if (configured != null) {
      for (int i = 0; i < configured.size(); i++) {
        String itemPath = f.pathOf("excludedHeaders") + "[" + i + "]";
        String name = lowerCaseHeaderName(JsonFields.string(itemPath, configured.get(i)), itemPath);
        for (String signed : ALWAYS_SIGNED) {
          if (signed.equals(name)) {
            throw new ConfigException(itemPath, name + " is always signed");
          }
        }
        if (!excluded.contains(name)) {
          excluded.add(name);
        }
      }
    }
    return new SignConfig(service, region, unsignedPayload, hostRewrite, excluded);
  }

  /**
   * The ":port" part of an authority as written, or "" (the host part is lower-cased separately).
   */
  private static String portSuffix(String authority) {
    int close = authority.lastIndexOf(']');
    int colon = authority.indexOf(':', close < 0 ? 0 : close);
    return colon < 0 ? "" : authority.substring(colon);
  }

  /** An HTTP header name (an RFC 9110 token) in lower case. */
  private static String lowerCaseHeaderName(String name, String path) throws ConfigException {
    if (name.isEmpty()) {
      throw new ConfigException(path, "must not be empty");
    }
    String lower = HeaderFieldNames.lowerCaseToken(name);
    if (lower == null) {
      throw new ConfigException(path, "must be an HTTP header name");
    }
    return lower;
  }
}
