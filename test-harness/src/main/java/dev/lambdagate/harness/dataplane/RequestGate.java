package dev.lambdagate.harness.dataplane;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The checks Envoy's HTTP/1 codec and connection manager make before a request is routed, with the
 * answers Envoy gives: more headers than {@code max_headers_count} or more header bytes than {@code
 * max_request_headers_kb} → 431 and the connection closed; a header name with an underscore under
 * {@code REJECT_REQUEST} → 400 and closed (dropped under {@code DROP_HEADER}); then the path:
 * escaped slashes ({@code %2F}, {@code %5C}) per {@code path_with_escaped_slashes_action} (400 /
 * 307 to the unescaped path / unescaped), {@code normalize_path} (RFC 3986 dot segments removed,
 * escapes of unreserved characters decoded, {@code \} as {@code /}), {@code merge_slashes} — the
 * order of Envoy's {@code ConnectionManagerUtility::maybeNormalizePath}. The query string is never
 * touched. Stateless.
 */
final class RequestGate {
  private RequestGate() {}

  /**
   * The outcome: {@code reply} non-null means answer it (and close the connection when {@code
   * close}); otherwise route {@code headers} (the path possibly rewritten).
   */
  record Verdict(ReplyAndClose reply, List<String[]> headers) {}

  /** A reply the connection manager gives itself. */
  record ReplyAndClose(int status, String body, String location, boolean close) {}

  static Verdict check(List<String[]> headers, RequestLimits limits) {
    int count = 0;
    long bytes = 0;
    for (String[] h : headers) {
      bytes += h[0].length() + h[1].length();
      if (!h[0].startsWith(":")) {
        count++;
      }
    }
    if (count > limits.maxHeadersCount() || bytes > limits.maxRequestHeadersBytes()) {
      return new Verdict(
          new ReplyAndClose(431, "Request Header Fields Too Large", null, true), headers);
    }
    List<String[]> out = headers;
    if (limits.rejectUnderscores() || limits.dropUnderscores()) {
      out = new ArrayList<>();
      for (String[] h : headers) {
        if (!h[0].startsWith(":") && h[0].indexOf('_') >= 0) {
          if (limits.rejectUnderscores()) {
            return new Verdict(new ReplyAndClose(400, "Bad Request", null, true), headers);
          }
          continue;
        }
        out.add(h);
      }
    }
    String full = header(out, ":path");
    int q = full.indexOf('?');
    String path = q < 0 ? full : full.substring(0, q);
    String query = q < 0 ? "" : full.substring(q);
    boolean redirect = false;
    if (limits.escapedSlashes() != RequestLimits.EscapedSlashes.KEEP_UNCHANGED
        && hasEscapedSlash(path)) {
      if (limits.escapedSlashes() == RequestLimits.EscapedSlashes.REJECT_REQUEST) {
        return new Verdict(new ReplyAndClose(400, "", null, false), out);
      }
      path = unescapeSlashes(path);
      redirect = limits.escapedSlashes() == RequestLimits.EscapedSlashes.UNESCAPE_AND_REDIRECT;
    }
    if (limits.normalizePath()) {
      path = normalize(path);
      if (path == null) {
        return new Verdict(new ReplyAndClose(400, "", null, false), out);
      }
    }
    if (limits.mergeSlashes()) {
      path = path.replaceAll("/{2,}", "/");
    }
    if (redirect) {
      return new Verdict(new ReplyAndClose(307, "", path + query, false), out);
    }
    if (!(path + query).equals(full)) {
      out = new ArrayList<>(out);
      out.removeIf(h -> h[0].equals(":path"));
      out.add(new String[] {":path", path + query});
    }
    return new Verdict(null, out);
  }

  static boolean hasEscapedSlash(String path) {
    String p = path.toUpperCase(Locale.ROOT);
    return p.contains("%2F") || p.contains("%5C");
  }

  static String unescapeSlashes(String path) {
    return path.replaceAll("%2[fF]", "/").replaceAll("%5[cC]", "\\\\");
  }

  /**
   * Envoy's {@code PathUtil::canonicalPath}: escapes of unreserved characters decoded, other
   * escapes upper-cased, {@code \} read as {@code /}, dot segments removed; null when the path does
   * not start with {@code /}.
   */
  static String normalize(String path) {
    if (!path.startsWith("/") && !path.startsWith("\\")) {
      return null;
    }
    StringBuilder decoded = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '%'
          && i + 2 < path.length()
          && hex(path.charAt(i + 1)) >= 0
          && hex(path.charAt(i + 2)) >= 0) {
        char v = (char) (hex(path.charAt(i + 1)) * 16 + hex(path.charAt(i + 2)));
        if (unreserved(v)) {
          decoded.append(v);
        } else {
          decoded
              .append('%')
              .append(Character.toUpperCase(path.charAt(i + 1)))
              .append(Character.toUpperCase(path.charAt(i + 2)));
        }
        i += 2;
      } else {
        decoded.append(c == '\\' ? '/' : c);
      }
    }
    // RFC 3986 5.2.4, on segments: "." dropped, ".." pops (never above the root)
    String[] segments = decoded.substring(1).split("/", -1);
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < segments.length; i++) {
      String s = segments[i];
      boolean last = i == segments.length - 1;
      if (s.equals(".")) {
        if (last) {
          kept.add("");
        }
      } else if (s.equals("..")) {
        if (!kept.isEmpty()) {
          kept.remove(kept.size() - 1);
        }
        if (last) {
          kept.add("");
        }
      } else {
        kept.add(s);
      }
    }
    return "/" + String.join("/", kept);
  }

  private static boolean unreserved(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }

  private static String header(List<String[]> headers, String name) {
    for (String[] h : headers) {
      if (h[0].equals(name)) {
        return h[1];
      }
    }
    return "/";
  }
}
