package dev.lambdagate.lambda;

/**
 * Formats an instant as API Gateway's {@code requestTime}: the Common Log Format date {@code
 * 09/Apr/2015:12:34:56 +0000}, always in UTC. Integer arithmetic only (no java.time, which the
 * WebAssembly build does not have).
 */
final class ClfTime {

  private static final String[] MONTHS = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };
  private static final long MILLIS_PER_DAY = 86_400_000L;

  private ClfTime() {}

  static String format(long epochMillis) {
    long days = epochMillis / MILLIS_PER_DAY;
    long millisOfDay = epochMillis % MILLIS_PER_DAY;
    if (millisOfDay < 0) {
      days--;
      millisOfDay += MILLIS_PER_DAY;
    }
    // Civil date from days since 1970-01-01 (H. Hinnant's days_from_civil, inverted).
    long z = days + 719_468;
    long era = (z >= 0 ? z : z - 146_096) / 146_097;
    long dayOfEra = z - era * 146_097;
    long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long shiftedMonth = (5 * dayOfYear + 2) / 153;
    long day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1;
    long month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
    long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);

    long secondOfDay = millisOfDay / 1000;
    StringBuilder sb = new StringBuilder(26);
    twoDigits(sb, day);
    sb.append('/').append(MONTHS[(int) month - 1]).append('/').append(year).append(':');
    twoDigits(sb, secondOfDay / 3600);
    sb.append(':');
    twoDigits(sb, secondOfDay / 60 % 60);
    sb.append(':');
    twoDigits(sb, secondOfDay % 60);
    return sb.append(" +0000").toString();
  }

  private static void twoDigits(StringBuilder sb, long value) {
    sb.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
  }
}
