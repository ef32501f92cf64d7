package dev.lambdagate.controlplane.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gateway API's duration format ({@code 1h30m}, {@code 10s}, {@code 500ms}), shared by HTTPRoute
 * {@code timeouts} and GatewayParameters' edge limits. Stateless; thread-safe.
 */
final class GatewayDuration {
  private static final Pattern PART = Pattern.compile("([0-9]{1,5})(h|ms|m|s)");

  private GatewayDuration() {}

  /** {@code d} in milliseconds, or null (Envoy's default) when it does not parse. */
  static Long millis(String d) {
    Matcher m = PART.matcher(d);
    long total = 0;
    int end = 0;
    while (m.find() && m.start() == end) {
      long n = Long.parseLong(m.group(1));
      total +=
          switch (m.group(2)) {
            case "h" -> n * 3_600_000;
            case "m" -> n * 60_000;
            case "s" -> n * 1000;
            default -> n;
          };
      end = m.end();
    }
    return end == d.length() && end > 0 ? total : null;
  }
}
