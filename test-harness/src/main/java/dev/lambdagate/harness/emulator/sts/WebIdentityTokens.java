package dev.lambdagate.harness.emulator.sts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Which web identity tokens the STS emulator accepts, and what it reads from them. The emulator
 * does not check JWT signatures: a token is accepted when the configured predicate says so.
 * Stateless and thread-safe.
 */
public final class WebIdentityTokens {

  private static final Pattern JWT_SHAPE =
      Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
  private static final ObjectMapper JSON = new ObjectMapper();

  private WebIdentityTokens() {}

  /**
   * True for three base64url segments separated by dots (the third, the signature, may be empty).
   */
  public static boolean isJwtShaped(String token) {
    return JWT_SHAPE.matcher(token).matches();
  }

  /** The default policy: accept any JWT-shaped token. */
  public static Predicate<String> anyJwtShaped() {
    return WebIdentityTokens::isJwtShaped;
  }

  /** Accept exactly these tokens. */
  public static Predicate<String> only(Collection<String> tokens) {
    Set<String> accepted = Set.copyOf(tokens);
    return accepted::contains;
  }

  /** The claims of a JWT-shaped token, if its payload is base64url JSON. */
  static Optional<JsonNode> claims(String token) {
    if (!isJwtShaped(token)) {
      return Optional.empty();
    }
    try {
      byte[] payload = Base64.getUrlDecoder().decode(token.split("\\.")[1]);
      JsonNode node = JSON.readTree(payload);
      return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /** A string claim, or the first element of an array claim ({@code aud} may be either). */
  static Optional<String> claim(JsonNode claims, String name) {
    JsonNode value = claims.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (value.isArray() && !value.isEmpty()) {
      value = value.get(0);
    }
    return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
  }
}
