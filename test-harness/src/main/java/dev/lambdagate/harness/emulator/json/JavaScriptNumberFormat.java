package dev.lambdagate.harness.emulator.json;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats a double the way JavaScript's {@code Number.prototype.toString()} (and therefore {@code
 * JSON.stringify}) does: the shortest decimal that reads back as the same double, printed in plain
 * notation for exponents from -7 to 20 and as {@code 1.5e+21} / {@code 1e-7} outside.
 *
 * <p>{@link Double#toString(double)} cannot be used: it prints {@code 1.0E21}-style text and, on
 * Java 17, does not always choose the shortest digits.
 *
 * <p>Stateless and thread-safe.
 */
public final class JavaScriptNumberFormat {

  /** 2^53: every integer below it is exact, so the fast path can print it as a long. */
  private static final double EXACT_INTEGER_LIMIT = 9007199254740992d;

  private JavaScriptNumberFormat() {}

  /**
   * Returns {@code value} as JavaScript prints it. Non-finite values give {@code "NaN"}, {@code
   * "Infinity"} or {@code "-Infinity"}; callers producing JSON must map those to {@code null}
   * themselves, as {@code JSON.stringify} does.
   */
  public static String format(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "Infinity" : "-Infinity";
    }
    if (value == 0) {
      return "0"; // -0 prints as 0 too
    }
    if (value == Math.rint(value) && Math.abs(value) < EXACT_INTEGER_LIMIT) {
      return Long.toString((long) value);
    }
    String sign = value < 0 ? "-" : "";
    BigDecimal shortest = shortestRoundTrip(Math.abs(value));
    String digits = shortest.unscaledValue().toString();
    // value = digits * 10^(n - k), k = number of digits (ECMA-262 Number::toString naming)
    int k = digits.length();
    int n = k - shortest.scale();
    return sign + layOut(digits, k, n);
  }

  /**
   * The decimal with the fewest significant digits that parses back to {@code magnitude}; among
   * equally short candidates the one closest to the exact binary value, ties to even.
   */
  private static BigDecimal shortestRoundTrip(double magnitude) {
    BigDecimal exact = new BigDecimal(magnitude);
    for (int precision = 1; precision <= 17; precision++) {
      // Only the two neighbours at this precision can lie inside the rounding interval.
      BigDecimal below = exact.round(new MathContext(precision, RoundingMode.FLOOR));
      BigDecimal above = exact.round(new MathContext(precision, RoundingMode.CEILING));
      boolean belowWorks = below.doubleValue() == magnitude;
      boolean aboveWorks = above.doubleValue() == magnitude;
      if (belowWorks && aboveWorks) {
        int cmp = exact.subtract(below).compareTo(above.subtract(exact));
        if (cmp != 0) {
          return stripped(cmp < 0 ? below : above);
        }
        return stripped(exact.round(new MathContext(precision, RoundingMode.HALF_EVEN)));
      }
      if (belowWorks) {
        return stripped(below);
      }
      if (aboveWorks) {
        return stripped(above);
      }
    }
    return stripped(exact.round(MathContext.DECIMAL64));
  }

  private static BigDecimal stripped(BigDecimal decimal) {
    return decimal.stripTrailingZeros();
  }

  private static String layOut(String digits, int k, int n) {
    if (k <= n && n <= 21) {
      return digits + "0".repeat(n - k);
    }
    if (0 < n && n <= 21) {
      return digits.substring(0, n) + "." + digits.substring(n);
    }
    if (-6 < n && n <= 0) {
      return "0." + "0".repeat(-n) + digits;
    }
    int exponent = n - 1;
    String exponentText = (exponent < 0 ? "-" : "+") + Math.abs(exponent);
    if (k == 1) {
      return digits + "e" + exponentText;
    }
    return digits.charAt(0) + "." + digits.substring(1) + "e" + exponentText;
  }
}
