package dev.lambdagate.lambda;

import dev.lambdagate.config.RouteFilters;

/**
 * Applies a route's {@link RouteFilters} to the request a function sees, with the semantics of
 * Gateway API's {@code URLRewrite} and {@code RequestHeaderModifier} (and of Envoy's {@code
 * prefix_rewrite}/{@code regex_rewrite}, {@code host_rewrite_literal} and header mutations, which
 * implement them for other backends). Stateless.
 */
public final class RequestRewriter {

  private RequestRewriter() {}

  /**
   * The request target after the path rewrite; the query string is kept.
   *
   * @param pathAndQuery e.g. {@code /echo/x?a=1}
   */
  public static String path(RouteFilters filters, String pathAndQuery) {
    if (filters == null || filters.pathRewrite() == RouteFilters.PathRewrite.NONE) {
      return pathAndQuery;
    }
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query = q < 0 ? "" : pathAndQuery.substring(q);
    String rewritten;
    if (filters.pathRewrite() == RouteFilters.PathRewrite.REPLACE_FULL_PATH) {
      rewritten = filters.pathValue();
    } else {
      rewritten = replacePrefix(path, filters.matchedPrefix(), filters.pathValue());
    }
    return rewritten + query;
  }

  /**
   * Gateway API's {@code ReplacePrefixMatch}: the prefix matched on path-element boundaries is
   * replaced, and a trailing {@code /} of either the prefix or the replacement does not double or
   * lose the separator ({@code /foo} → {@code /xyz} and {@code /foo/} → {@code /xyz/} both turn
   * {@code /foo/bar} into {@code /xyz/bar}; {@code /} as replacement turns it into {@code /bar}). A
   * path that does not start with the prefix (the route cannot have matched it) is left alone.
   */
  static String replacePrefix(String path, String prefix, String replacement) {
    String p = trimTrailingSlashes(prefix);
    if (!path.startsWith(p) || (path.length() > p.length() && path.charAt(p.length()) != '/')) {
      return path;
    }
    String rest = path.substring(p.length());
    if (p.isEmpty() && rest.equals("/")) {
      rest = ""; // prefix "/" matched the whole path "/"
    }
    String out = trimTrailingSlashes(replacement) + rest;
    if (out.isEmpty()) {
      return "/";
    }
    return out.charAt(0) == '/' ? out : "/" + out;
  }

  private static String trimTrailingSlashes(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '/') {
      end--;
    }
    return s.substring(0, end);
  }

  /**
   * The headers after the hostname rewrite ({@code host}), then removals, then set (replacing every
   * header of that name), then add (after any of that name). Names compare without regard to case.
   * Returns {@code headers} itself when there is nothing to do.
   */
  public static HeaderList headers(RouteFilters filters, HeaderList headers) {
    if (filters == null
        || (filters.hostname() == null
            && filters.set().isEmpty()
            && filters.add().isEmpty()
            && filters.remove().isEmpty())) {
      return headers;
    }
    HeaderList out =
        new HeaderList(headers.size() + filters.set().size() + filters.add().size() + 1);
    boolean hostSeen = false;
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i);
      if (dropped(filters, name)) {
        continue;
      }
      if (filters.hostname() != null && HeaderNames.equalsIgnoreCase(name, "host")) {
        if (!hostSeen) {
          out.add(name, filters.hostname());
          hostSeen = true;
        }
        continue;
      }
      out.add(name, headers.value(i));
    }
    if (filters.hostname() != null && !hostSeen && !dropped(filters, "host")) {
      out.add("host", filters.hostname());
    }
    for (int i = 0; i < filters.set().size(); i++) {
      out.add(filters.set().get(i).name(), filters.set().get(i).value());
    }
    for (int i = 0; i < filters.add().size(); i++) {
      out.add(filters.add().get(i).name(), filters.add().get(i).value());
    }
    return out;
  }

  /** Removed, or replaced by a set of the same name. */
  private static boolean dropped(RouteFilters filters, String name) {
    for (int i = 0; i < filters.remove().size(); i++) {
      if (HeaderNames.equalsIgnoreCase(filters.remove().get(i), name)) {
        return true;
      }
    }
    for (int i = 0; i < filters.set().size(); i++) {
      if (HeaderNames.equalsIgnoreCase(filters.set().get(i).name(), name)) {
        return true;
      }
    }
    return false;
  }
}
