package dev.lambdagate.harness.emulator.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes URL query strings and {@code application/x-www-form-urlencoded} bodies into ordered
 * multi-maps. Stateless and thread-safe.
 */
public final class FormEncoding {

  private FormEncoding() {}

  /**
   * Decodes a raw query string ({@code a=1&b=%3A}). {@code +} is kept literally: SigV4 clients
   * encode a space as {@code %20}, and the canonical query string must see what they signed.
   */
  public static Map<String, List<String>> decodeQuery(String rawQuery) {
    return decode(rawQuery, false);
  }

  /** Decodes a form body, where {@code +} means a space (HTML form rules, as STS reads them). */
  public static Map<String, List<String>> decodeForm(String body) {
    return decode(body, true);
  }

  /** Percent-decodes one component as UTF-8; malformed escapes are kept as written. */
  public static String percentDecode(String text, boolean plusIsSpace) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%' && isHex(text, i + 1) && isHex(text, i + 2)) {
        bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        bytes.write(' ');
      } else {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
          encoded = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        bytes.write(encoded, 0, encoded.length);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static Map<String, List<String>> decode(String raw, boolean plusIsSpace) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params
          .computeIfAbsent(percentDecode(name, plusIsSpace), k -> new ArrayList<>())
          .add(percentDecode(value, plusIsSpace));
    }
    return params;
  }

  private static boolean isHex(String text, int index) {
    return index < text.length() && Character.digit(text.charAt(index), 16) >= 0;
  }
}
