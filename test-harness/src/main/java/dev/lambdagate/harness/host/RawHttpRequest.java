package dev.lambdagate.harness.host;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An HTTP/1.1 request in text form, as in the AWS SigV4 test suite's {@code .req} files and in the
 * files the {@code filter} command reads: a request line, header lines, an empty line, then the
 * body.
 *
 * <p>What is accepted, following RFC 9112 (message syntax) and RFC 9110 (fields):
 *
 * <ul>
 *   <li>Lines end with LF or CRLF, mixed freely; the CR of a CRLF is never part of a value. A CR
 *       anywhere else in the head is an error (RFC 9112: a bare CR is invalid).
 *   <li>A header line is {@code Name:value}. The name is a token directly followed by the colon
 *       (white space before the colon is an error, as RFC 9112 requires a server to reject). The
 *       optional white space (spaces and tabs) around the value is not part of it.
 *   <li>A line starting with a space or tab continues the previous header's value (obsolete line
 *       folding, which AWS's suite uses): it is joined to the value with one space, its own
 *       surrounding white space dropped.
 *   <li>The request line is {@code METHOD SP target SP HTTP/version}; the target is everything in
 *       between, spaces included (the suite has targets with spaces).
 *   <li>The body is every byte after the empty line, as is. Without an empty line there is none.
 * </ul>
 *
 * White space inside a value is kept: it is significant to whoever reads the value (SigV4 collapses
 * it when it canonicalises, the suite's {@code get-header-value-trim} checks that).
 *
 * @param method request method
 * @param target request target exactly as written (path and query, not decoded)
 * @param headers headers in order; names as written, values without surrounding white space
 * @param body body bytes (empty when none)
 */
public record RawHttpRequest(String method, String target, List<String[]> headers, byte[] body) {

  /**
   * Parses a request.
   *
   * @throws IllegalArgumentException if it is not a request as described above; the message names
   *     the line that is wrong
   */
  public static RawHttpRequest parse(byte[] raw) {
    List<String> lines = new ArrayList<>();
    int bodyStart = -1;
    int lineStart = 0;
    for (int i = 0; i <= raw.length; i++) {
      if (i < raw.length && raw[i] != '\n') {
        continue;
      }
      int lineEnd = i > lineStart && raw[i - 1] == '\r' && i < raw.length ? i - 1 : i;
      if (i == raw.length && lineEnd > lineStart && raw[lineEnd - 1] == '\r') {
        lineEnd--; // a CR at the very end of the file ends the last line too
      }
      if (lineEnd == lineStart && i < raw.length && !lines.isEmpty()) {
        bodyStart = i + 1; // the empty line: the body follows
        break;
      }
      if (i < raw.length || lineEnd > lineStart) {
        lines.add(new String(raw, lineStart, lineEnd - lineStart, StandardCharsets.UTF_8));
      }
      lineStart = i + 1;
    }
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).indexOf('\r') >= 0) {
        // RFC 9112 section 2.2: a bare CR makes the element invalid.
        throw new IllegalArgumentException(
            "line "
                + (i + 1)
                + ": a CR that does not end the line (a bare CR is not allowed in HTTP)");
      }
    }
    if (lines.isEmpty() || lines.get(0).isBlank()) {
      throw new IllegalArgumentException(
          "line 1: expected a request line such as 'GET / HTTP/1.1'");
    }
    String requestLine = lines.get(0);
    int firstSpace = requestLine.indexOf(' ');
    int lastSpace = requestLine.lastIndexOf(' ');
    if (firstSpace <= 0
        || lastSpace <= firstSpace
        || !requestLine.startsWith("HTTP/", lastSpace + 1)) {
      throw new IllegalArgumentException(
          "line 1: expected 'METHOD TARGET HTTP/1.1', got '" + requestLine + "'");
    }
    String method = requestLine.substring(0, firstSpace);
    String target = requestLine.substring(firstSpace + 1, lastSpace);

    List<String[]> headers = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (isOws(line.charAt(0))) {
        if (headers.isEmpty()) {
          throw new IllegalArgumentException(
              "line "
                  + (i + 1)
                  + ": a continuation line (starting with white space) before any header");
        }
        String[] last = headers.get(headers.size() - 1);
        String more = trimOws(line);
        if (!more.isEmpty()) {
          last[1] = last[1].isEmpty() ? more : last[1] + " " + more;
        }
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(
            "line " + (i + 1) + ": expected 'Name: value', got '" + line + "'");
      }
      String name = line.substring(0, colon);
      for (int k = 0; k < name.length(); k++) {
        if (!isTokenChar(name.charAt(k))) {
          throw new IllegalArgumentException(
              "line "
                  + (i + 1)
                  + ": header name '"
                  + name
                  + "' has '"
                  + name.charAt(k)
                  + "', which a field name cannot contain"
                  + (isOws(name.charAt(k)) ? " (no white space before the colon)" : ""));
        }
      }
      headers.add(new String[] {name, trimOws(line.substring(colon + 1))});
    }
    byte[] body = bodyStart < 0 ? new byte[0] : Arrays.copyOfRange(raw, bodyStart, raw.length);
    return new RawHttpRequest(method, target, headers, body);
  }

  /** The first value of a header (case-insensitive), or null. */
  public String header(String name) {
    for (String[] h : headers) {
      if (h[0].equalsIgnoreCase(name)) {
        return h[1];
      }
    }
    return null;
  }

  /** RFC 9110 OWS: space or horizontal tab. */
  private static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }

  private static String trimOws(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isOws(s.charAt(start))) {
      start++;
    }
    while (end > start && isOws(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  /** RFC 9110 tchar. */
  private static boolean isTokenChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
