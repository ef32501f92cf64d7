package dev.lambdagate.harness.host;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An HTTP/1.1 request in the text form of the AWS SigV4 test suite's {@code .req} files: a
 * request line, {@code Name:value} header lines (a line starting with a space or tab continues
 * the previous value), a blank line, then the body. CRLF and LF line ends are both accepted.
 *
 * @param method request method
 * @param target request target exactly as written (path and query, not decoded)
 * @param headers headers in order; names as written
 * @param body body bytes (empty when none)
 */
public record RawHttpRequest(String method, String target, List<String[]> headers, byte[] body) {

  /** Parses a request; the error names the line that is wrong. */
  public static RawHttpRequest parse(byte[] raw) {
    int bodyStart = -1;
    int headerEnd = raw.length;
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == '\n') {
        int next = i + 1;
        if (next < raw.length && raw[next] == '\n') {
          headerEnd = i;
          bodyStart = next + 1;
          break;
        }
        if (next + 1 < raw.length && raw[next] == '\r' && raw[next + 1] == '\n') {
          headerEnd = i;
          bodyStart = next + 2;
          break;
        }
      }
    }
    String head = new String(raw, 0, headerEnd, StandardCharsets.UTF_8);
    String[] lines = head.split("\r?\n", -1);
    if (lines.length == 0 || lines[0].isBlank()) {
      throw new IllegalArgumentException("line 1: expected a request line such as 'GET / HTTP/1.1'");
    }
    String[] requestLine = lines[0].split(" ");
    if (requestLine.length < 3 || !requestLine[requestLine.length - 1].startsWith("HTTP/")) {
      throw new IllegalArgumentException("line 1: expected 'METHOD TARGET HTTP/1.1', got '"
          + lines[0] + "'");
    }
    String method = requestLine[0];
    // A target may contain spaces in the suite (e.g. "/ HTTP"), so take everything in between.
    String target = lines[0].substring(method.length() + 1,
        lines[0].length() - requestLine[requestLine.length - 1].length() - 1);
    List<String[]> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty()) {
        continue;
      }
      if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && !headers.isEmpty()) {
        String[] last = headers.get(headers.size() - 1);
        last[1] = last[1] + " " + line.strip();
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("line " + (i + 1) + ": expected 'Name:value', got '"
            + line + "'");
      }
      headers.add(new String[] {line.substring(0, colon), line.substring(colon + 1)});
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
}
