package dev.lambdagate.credentials;

import dev.lambdagate.sigv4.AmzDate;

/**
 * ISO-8601 UTC instants as STS writes them ({@code 2014-10-24T23:00:23Z}, also with a fraction of a
 * second such as {@code 2026-11-22T04:27:16.042291Z}, or an offset {@code +00:00}) to and from
 * epoch milliseconds. Written out because the Wasm build has no {@code java.time}.
 */
public final class IsoInstant {
  private static final long MILLIS_PER_DAY = 86_400_000L;

  private IsoInstant() {}

  /**
   * Parses {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|+HH:MM|-HH:MM)}.
   *
   * @throws IllegalArgumentException naming the text when it is not such an instant
   */
  public static long parseMillis(String text) {
    if (text == null
        || text.length() < 20
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || (text.charAt(10) != 'T' && text.charAt(10) != 't')
        || text.charAt(13) != ':'
        || text.charAt(16) != ':') {
      throw invalid(text);
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    if (month < 1
        || month > 12
        || day < 1
        || day > daysInMonth(year, month)
        || hour > 23
        || minute > 59
        || second > 60) {
      throw invalid(text);
    }
    int pos = 19;
    int millis = 0;
    if (pos < text.length() && text.charAt(pos) == '.') {
      pos++;
      int start = pos;
      int scale = 100;
      while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
        millis += (text.charAt(pos) - '0') * scale;
        scale /= 10;
        pos++;
      }
      if (pos == start) {
        throw invalid(text);
      }
    }
    long offsetMillis;
    if (pos == text.length() - 1 && (text.charAt(pos) == 'Z' || text.charAt(pos) == 'z')) {
      offsetMillis = 0;
    } else if (pos == text.length() - 6
        && (text.charAt(pos) == '+' || text.charAt(pos) == '-')
        && text.charAt(pos + 3) == ':') {
      int hours = digits(text, pos + 1, 2);
      int minutes = digits(text, pos + 4, 2);
      if (hours > 23 || minutes > 59) {
        throw invalid(text);
      }
      offsetMillis = (hours * 3600L + minutes * 60L) * 1000L;
      if (text.charAt(pos) == '-') {
        offsetMillis = -offsetMillis;
      }
    } else {
      throw invalid(text);
    }
    return daysFromCivil(year, month, day) * MILLIS_PER_DAY
        + (hour * 3600L + minute * 60L + second) * 1000L
        + millis
        - offsetMillis;
  }

  /** {@code epochMillis} as {@code yyyy-MM-ddTHH:mm:ssZ} (whole seconds), for log lines. */
  public static String format(long epochMillis) {
    long seconds = epochMillis / 1000L;
    if (epochMillis < 0 && seconds * 1000L != epochMillis) {
      seconds--;
    }
    long days = seconds / 86_400L;
    long secondOfDay = seconds % 86_400L;
    if (secondOfDay < 0) {
      secondOfDay += 86_400L;
      days--;
    }
    long z = days + 719_468L;
    long era = (z >= 0 ? z : z - 146_096L) / 146_097L;
    long dayOfEra = z - era * 146_097L;
    long yearOfEra =
        (dayOfEra - dayOfEra / 1_460L + dayOfEra / 36_524L - dayOfEra / 146_096L) / 365L;
    long dayOfYear = dayOfEra - (365L * yearOfEra + yearOfEra / 4L - yearOfEra / 100L);
    long shiftedMonth = (5L * dayOfYear + 2L) / 153L;
    long day = dayOfYear - (153L * shiftedMonth + 2L) / 5L + 1L;
    long month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
    long year = yearOfEra + era * 400L + (month <= 2 ? 1 : 0);
    StringBuilder out = new StringBuilder(20);
    pad(out, year, 4).append('-');
    pad(out, month, 2).append('-');
    pad(out, day, 2).append('T');
    pad(out, secondOfDay / 3600, 2).append(':');
    pad(out, (secondOfDay / 60) % 60, 2).append(':');
    pad(out, secondOfDay % 60, 2).append('Z');
    return out.toString();
  }

  private static StringBuilder pad(StringBuilder out, long value, int width) {
    String digits = Long.toString(value);
    for (int i = digits.length(); i < width; i++) {
      out.append('0');
    }
    return out.append(digits);
  }

  static long daysFromCivil(int year, int month, int day) {
    return AmzDate.daysFromCivil(year, month, day);
  }

  private static int daysInMonth(int year, int month) {
    return AmzDate.daysInMonth(year, month);
  }

  private static int digits(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw invalid(text);
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("not an ISO-8601 UTC instant: '" + text + "'");
  }
}
