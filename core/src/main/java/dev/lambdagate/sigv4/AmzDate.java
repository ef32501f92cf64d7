package dev.lambdagate.sigv4;

/**
 * The SigV4 timestamp, {@code yyyyMMdd'T'HHmmss'Z'} in UTC (for example {@code 20150830T123600Z}),
 * and its date stamp {@code yyyyMMdd}. Stateless, hence thread-safe.
 *
 * <p>The calendar arithmetic is written out (Howard Hinnant's {@code civil_from_days} and {@code
 * days_from_civil}, proleptic Gregorian calendar) because the Wasm build has no {@code java.time}.
 * Supported instants are years 0000 to 9999, the ones the four-digit format can express.
 */
public final class AmzDate {
  /** Length of {@code yyyyMMdd'T'HHmmss'Z'}. */
  public static final int LENGTH = 16;

  /** Length of the date stamp {@code yyyyMMdd}. */
  public static final int DATE_STAMP_LENGTH = 8;

  private static final long SECONDS_PER_DAY = 86_400L;

  /** 0000-01-01T00:00:00Z. */
  static final long MIN_EPOCH_SECONDS = -62_167_219_200L;

  /** 9999-12-31T23:59:59Z. */
  static final long MAX_EPOCH_SECONDS = 253_402_300_799L;

  private AmzDate() {}

  /** {@code epochSeconds} (seconds since 1970-01-01T00:00:00Z) as {@code yyyyMMdd'T'HHmmss'Z'}. */
  public static String format(long epochSeconds) {
    char[] out = new char[LENGTH];
    write(epochSeconds, out);
    return new String(out);
  }

  /** The date stamp {@code yyyyMMdd} of {@code epochSeconds}, in UTC. */
  public static String dateStamp(long epochSeconds) {
    char[] out = new char[LENGTH];
    write(epochSeconds, out);
    return new String(out, 0, DATE_STAMP_LENGTH);
  }

  /**
   * Parses {@code yyyyMMdd'T'HHmmss'Z'} back to epoch seconds.
   *
   * @throws IllegalArgumentException if {@code text} is not exactly that form or names no real
   *     instant (month 13, 30 February, hour 24, second 60, ...)
   */
  public static long parse(CharSequence text) {
    if (text == null
        || text.length() != LENGTH
        || text.charAt(8) != 'T'
        || text.charAt(15) != 'Z') {
      throw invalid(text);
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 4, 2);
    int day = digits(text, 6, 2);
    int hour = digits(text, 9, 2);
    int minute = digits(text, 11, 2);
    int second = digits(text, 13, 2);
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || day > daysInMonth(year, month)
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      throw invalid(text);
    }
    return daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second;
  }

  private static void write(long epochSeconds, char[] out) {
    if (epochSeconds < MIN_EPOCH_SECONDS || epochSeconds > MAX_EPOCH_SECONDS) {
      throw new IllegalArgumentException(
          "epoch seconds " + epochSeconds + " outside years 0000..9999");
    }
    // Floor division by hand: instants before 1970 belong to the day that starts before them.
    long days = epochSeconds / SECONDS_PER_DAY;
    int secondOfDay = (int) (epochSeconds % SECONDS_PER_DAY);
    if (secondOfDay < 0) {
      secondOfDay += (int) SECONDS_PER_DAY;
      days--;
    }

    // civil_from_days (https://howardhinnant.github.io/date_algorithms.html#civil_from_days).
    long z = days + 719_468L;
    long era = (z >= 0 ? z : z - 146_096L) / 146_097L;
    long dayOfEra = z - era * 146_097L; // [0, 146096]
    long yearOfEra =
        (dayOfEra - dayOfEra / 1_460L + dayOfEra / 36_524L - dayOfEra / 146_096L)
            / 365L; // [0, 399]
    long dayOfYear = dayOfEra - (365L * yearOfEra + yearOfEra / 4L - yearOfEra / 100L); // [0, 365]
    long shiftedMonth = (5L * dayOfYear + 2L) / 153L; // [0, 11], March = 0
    int day = (int) (dayOfYear - (153L * shiftedMonth + 2L) / 5L + 1L);
    int month = (int) (shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
    int year = (int) (yearOfEra + era * 400L + (month <= 2 ? 1 : 0));

    put(out, 0, year, 4);
    put(out, 4, month, 2);
    put(out, 6, day, 2);
    out[8] = 'T';
    put(out, 9, secondOfDay / 3600, 2);
    put(out, 11, (secondOfDay / 60) % 60, 2);
    put(out, 13, secondOfDay % 60, 2);
    out[15] = 'Z';
  }

  /** days_from_civil: days since 1970-01-01 of a proleptic Gregorian date. */
  public static long daysFromCivil(int year, int month, int day) {
    long y = month <= 2 ? year - 1L : year;
    long era = (y >= 0 ? y : y - 399L) / 400L;
    long yearOfEra = y - era * 400L; // [0, 399]
    long dayOfYear = (153L * (month > 2 ? month - 3 : month + 9) + 2L) / 5L + day - 1L; // [0, 365]
    long dayOfEra = yearOfEra * 365L + yearOfEra / 4L - yearOfEra / 100L + dayOfYear;
    return era * 146_097L + dayOfEra - 719_468L;
  }

  /** Days in {@code month} (1-12) of {@code year}, proleptic Gregorian. */
  public static int daysInMonth(int year, int month) {
    switch (month) {
      case 2:
        boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        return leap ? 29 : 28;
      case 4:
      case 6:
      case 9:
      case 11:
        return 30;
      default:
        return 31;
    }
  }

  private static void put(char[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  /** The decimal number in {@code text[at, at + count)}, or -1 if a character is not a digit. */
  private static int digits(CharSequence text, int at, int count) {
    int value = 0;
    for (int i = at; i < at + count; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static IllegalArgumentException invalid(CharSequence text) {
    return new IllegalArgumentException("not a yyyyMMdd'T'HHmmss'Z' timestamp: " + text);
  }
}
