package dev.lambdagate.sigv4;

/**
 * Normalises a request path the way SigV4 does for every service except S3: {@code .} and {@code
 * ..} segments are resolved (RFC 3986, section 5.2.4; {@code ..} never climbs above the root) and
 * empty segments ({@code //}) are dropped. Stateless, hence thread-safe.
 *
 * <p>The result always starts with {@code /}. It ends with {@code /} when the input did, or when
 * its last segment was {@code .} or {@code ..} (which name a directory): {@code /a/b/..} gives
 * {@code /a/}, {@code //example//} gives {@code /example/}, {@code /example/..} gives {@code /}.
 *
 * <p>The input is the path as it arrived, still percent-encoded; an escaped dot ({@code %2E}) is
 * not a dot segment, and an escaped slash ({@code %2F}) does not separate segments. S3 signs object
 * keys verbatim ({@code my//key/./x} is a valid key), so its paths are never normalised.
 */
public final class PathNormalizer {
  private PathNormalizer() {}

  /** The normalised form of {@code path} (no query string); {@code path} itself if already so. */
  public static String normalize(String path) {
    return normalize(path, 0, path.length());
  }

  /**
   * The normalised form of {@code text[from, to)}, a path without its query string. An empty path
   * gives {@code /}.
   */
  public static String normalize(String text, int from, int to) {
    if (from >= to) {
      return "/";
    }
    if (isNormalized(text, from, to)) {
      // The common case, a path such as /2015-03-31/functions/f/invocations: no copy when the
      // path is the whole string.
      return text.substring(from, to);
    }
    int slashes = 0;
    for (int i = from; i < to; i++) {
      if (text.charAt(i) == '/') {
        slashes++;
      }
    }
    // The kept segments, as [start, end) offsets into text: a stack that ".." pops.
    int[] starts = new int[slashes + 1];
    int[] ends = new int[slashes + 1];
    int depth = 0;
    boolean trailingSlash;
    int start = from;
    while (true) {
      int end = start;
      while (end < to && text.charAt(end) != '/') {
        end++;
      }
      int length = end - start;
      boolean namesDirectory = true;
      if (length == 0 || (length == 1 && text.charAt(start) == '.')) {
        // Empty or ".": nothing to keep.
      } else if (length == 2 && text.charAt(start) == '.' && text.charAt(start + 1) == '.') {
        if (depth > 0) {
          depth--;
        }
      } else {
        starts[depth] = start;
        ends[depth] = end;
        depth++;
        namesDirectory = false;
      }
      if (end >= to) {
        trailingSlash = namesDirectory;
        break;
      }
      start = end + 1;
    }
    if (depth == 0) {
      return "/";
    }
    StringBuilder out = new StringBuilder(to - from + 1);
    for (int k = 0; k < depth; k++) {
      out.append('/').append(text, starts[k], ends[k]);
    }
    if (trailingSlash) {
      out.append('/');
    }
    return out.toString();
  }

  /** True when {@code text[from, to)} starts with "/" and has no empty, "." or ".." segment. */
  static boolean isNormalized(String text, int from, int to) {
    if (text.charAt(from) != '/') {
      return false;
    }
    int segmentStart = from + 1;
    for (int i = from + 1; i <= to; i++) {
      if (i == to || text.charAt(i) == '/') {
        int length = i - segmentStart;
        // An empty last segment is a trailing slash, which is kept; anywhere else it is "//".
        if ((length == 0 && i != to)
            || (length == 1 && text.charAt(segmentStart) == '.')
            || (length == 2
                && text.charAt(segmentStart) == '.'
                && text.charAt(segmentStart + 1) == '.')) {
          return false;
        }
        segmentStart = i + 1;
      }
    }
    return true;
  }
}
