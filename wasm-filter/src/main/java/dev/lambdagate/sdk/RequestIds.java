package dev.lambdagate.sdk;

/**
 * The id an error reply and its log line share: the request's {@code x-request-id} (Envoy sets one
 * on every request unless told not to), else one made up here. Not thread-safe (a Wasm VM is
 * single-threaded).
 *
 * <p>A made-up id only has to be unique enough to find the log line, not unpredictable: it is an
 * xorshift sequence seeded from the host clock, formatted like a UUID, so no import beyond the
 * proxy-wasm ABI is needed.
 */
public final class RequestIds {
  private static final int MAX_LENGTH = 128;
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static long state;

  private RequestIds() {}

  /**
   * Whether {@code id} (an {@code x-request-id}) may name a request as it is: 1 to 128 letters,
   * digits, '-', '_', '.'. A client's odd value must not reach a log line or a reply.
   */
  public static boolean isPlausible(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '.';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** A new id in UUID form ({@code 8-4-4-4-12} hex digits, version 4 bits set). */
  public static String generate() {
    return format(next(), next());
  }

  /** Two random words as a version-4 UUID string. */
  static String format(long high, long low) {
    high = (high & ~0xF000L) | 0x4000L; // version 4
    low = (low & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
    char[] out = new char[36];
    int p = 0;
    for (int i = 0; i < 32; i++) {
      if (i == 8 || i == 12 || i == 16 || i == 20) {
        out[p++] = '-';
      }
      long word = i < 16 ? high : low;
      int shift = (15 - (i & 15)) * 4;
      out[p++] = HEX[(int) ((word >>> shift) & 0xF)];
    }
    return new String(out);
  }

  private static long next() {
    if (state == 0) {
      state = Host.currentTimeNanos() ^ 0x9E3779B97F4A7C15L;
      if (state == 0) {
        state = 0x9E3779B97F4A7C15L;
      }
    }
    state ^= state >>> 12;
    state ^= state << 25;
    state ^= state >>> 27;
    return state * 0x2545F4914F6CDD1DL;
  }
}
