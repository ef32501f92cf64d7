package dev.lambdagate.credentials;

import dev.lambdagate.json.JsonObject;
import dev.lambdagate.json.JsonParseException;
import dev.lambdagate.json.JsonParser;
import dev.lambdagate.json.JsonString;
import dev.lambdagate.json.JsonType;
import dev.lambdagate.json.JsonValue;
import dev.lambdagate.json.Utf8;
import dev.lambdagate.sigv4.Credentials;

/**
 * Reads the EKS Pod Identity agent's answers: on 2xx a JSON object with {@code AccessKeyId}, {@code
 * SecretAccessKey}, {@code Token} and {@code Expiration} (ISO-8601; {@code AccountId} is accepted
 * and not needed); otherwise an error, described by a JSON {@code code}/{@code message} (either
 * capitalisation) when the body has one, else by the start of the body. Strict: a success that
 * lacks a field, or whose expiration does not parse, is refused naming the field. Stateless;
 * messages never quote a credential.
 */
public final class PodIdentityResponseParser {
  private PodIdentityResponseParser() {}

  /**
   * @return the credentials, or the error the agent reported
   * @throws IllegalArgumentException when a 2xx body is not such credentials, saying what is wrong
   */
  public static StsResponse parse(int httpStatus, byte[] body) {
    String text = Utf8.decodeString(body, 0, body.length);
    boolean ok = httpStatus >= 200 && httpStatus <= 299;
    JsonValue value;
    try {
      value = JsonParser.parse(body);
    } catch (JsonParseException e) {
      if (!ok) {
        return StsResponse.error("HTTP" + httpStatus, snippet(text));
      }
      throw new IllegalArgumentException("agent response is not JSON: " + e.getMessage());
    }
    if (value.type() != JsonType.OBJECT) {
      if (!ok) {
        return StsResponse.error("HTTP" + httpStatus, snippet(text));
      }
      throw new IllegalArgumentException(
          "agent response is " + value.typeName() + ", expected an object");
    }
    JsonObject o = (JsonObject) value;
    if (!ok) {
      String code = either(o, "code", "Code");
      String message = either(o, "message", "Message");
      return StsResponse.error(
          code != null ? code : "HTTP" + httpStatus,
          message != null ? message : code != null ? "" : snippet(text));
    }
    String accessKeyId = required(o, "AccessKeyId");
    String secret = required(o, "SecretAccessKey");
    String token = required(o, "Token");
    String expiration = required(o, "Expiration");
    long expirationMillis;
    try {
      expirationMillis = IsoInstant.parseMillis(expiration);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "agent response has an invalid Expiration: " + e.getMessage());
    }
    return StsResponse.success(
        new ExpiringCredentials(new Credentials(accessKeyId, secret, token), expirationMillis));
  }

  private static String required(JsonObject o, String name) {
    JsonValue v = o.get(name);
    if (v == null || v.type() != JsonType.STRING || ((JsonString) v).value().isEmpty()) {
      throw new IllegalArgumentException(
          "agent response has no "
              + name
              + (v == null || v.type() == JsonType.STRING
                  ? ""
                  : " string (got " + v.typeName() + ")"));
    }
    return ((JsonString) v).value();
  }

  private static String either(JsonObject o, String lower, String upper) {
    JsonValue v = o.get(lower);
    if (v == null) {
      v = o.get(upper);
    }
    return v != null && v.type() == JsonType.STRING ? ((JsonString) v).value() : null;
  }

  private static String snippet(String text) {
    String trimmed = text.trim();
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < trimmed.length() && out.length() < 120; i++) {
      char c = trimmed.charAt(i);
      out.append(c < 0x20 ? ' ' : c);
    }
    return out.toString();
  }
}
