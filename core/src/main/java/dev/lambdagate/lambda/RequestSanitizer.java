package dev.lambdagate.lambda;

/**
 * Decides which of the client's headers must not reach the Lambda Invoke call.
 *
 * <p>Removed:
 *
 * <ul>
 *   <li>{@code authorization} and every {@code x-amz-*} header: the filter signs the call with its
 *       own credentials, and a client must not be able to choose the invocation type ({@code
 *       X-Amz-Invocation-Type}), client context, log type, security token, date or content hash;
 *   <li>hop-by-hop headers ({@code connection}, {@code keep-alive}, {@code proxy-connection},
 *       {@code transfer-encoding}, {@code te}, {@code trailer}, {@code upgrade}, {@code
 *       proxy-authorization}, {@code proxy-authenticate}) and any header that {@code connection}
 *       names;
 *   <li>{@code content-length}, because the Invoke payload usually differs from the client's body:
 *       the caller sets the length of the payload it sends (or lets Envoy do so);
 *   <li>{@code host}, which the caller sets to the Lambda endpoint's authority.
 * </ul>
 */
public final class RequestSanitizer {

  private RequestSanitizer() {}

  /** Whether a header with this name (any case) is always removed before invoking. */
  public static boolean isRemoved(String name) {
    if (HeaderNames.startsWithIgnoreCase(name, "x-amz-")) {
      return true;
    }
    if (HeaderNames.isHopByHop(name)) {
      return true;
    }
    return HeaderNames.equalsIgnoreCase(name, "authorization")
        || HeaderNames.equalsIgnoreCase(name, "content-length")
        || HeaderNames.equalsIgnoreCase(name, "host");
  }

  /**
   * Whether a header with this name is removed from a request whose {@code connection} header is
   * {@code connectionValue} (null when absent): always-removed names, and any name that {@code
   * connection} lists as a connection option.
   */
  public static boolean isRemoved(String name, String connectionValue) {
    return isRemoved(name) || (connectionValue != null && listsOption(connectionValue, name));
  }

  /** The headers that may be forwarded with the Invoke call, in their original order. */
  public static HeaderList sanitize(HeaderList incoming) {
    HeaderList kept = new HeaderList(incoming.size());
    for (int i = 0; i < incoming.size(); i++) {
      String name = incoming.name(i);
      if (!isRemoved(name) && !isNamedByConnection(incoming, name)) {
        kept.add(name, incoming.value(i));
      }
    }
    return kept;
  }

  /** Whether a {@code connection} header lists {@code name} as a connection option. */
  private static boolean isNamedByConnection(HeaderList headers, String name) {
    for (int i = 0; i < headers.size(); i++) {
      if (!HeaderNames.equalsIgnoreCase(headers.name(i), "connection")) {
        continue;
      }
      if (listsOption(headers.value(i), name)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the comma-separated {@code options} of a connection header include {@code name}. */
  private static boolean listsOption(String options, String name) {
    int start = 0;
    for (int j = 0; j <= options.length(); j++) {
      if (j == options.length() || options.charAt(j) == ',') {
        if (HeaderNames.equalsIgnoreCase(trim(options, start, j), name)) {
          return true;
        }
        start = j + 1;
      }
    }
    return false;
  }

  private static String trim(String s, int start, int end) {
    while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
      start++;
    }
    while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
      end--;
    }
    return s.substring(start, end);
  }
}
