package dev.lambdagate.harness.dataplane;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * An RDS route configuration (or an HCM's inline {@code route_config}), matched the way Envoy
 * matches: virtual host by {@code :authority} (exact, then the longest {@code *.suffix} wildcard,
 * then the longest {@code prefix.*}, then {@code *}), then the first route in order whose path,
 * header and query parameter matchers all match.
 */
public record RouteTable(
    String name,
    List<VirtualHost> virtualHosts,
    HeaderMutation mutation,
    boolean ignorePortInHostMatching) {

  public RouteTable {
    virtualHosts = List.copyOf(virtualHosts);
  }

  /** A request as the router sees it: lower-case header names, pseudo headers included. */
  public record Request(String method, String path, String authority, List<String[]> headers) {
    public String header(String name) {
      for (String[] h : headers) {
        if (h[0].equals(name)) {
          return h[1];
        }
      }
      return null;
    }

    /** The path without its query string. */
    public String pathOnly() {
      int q = path.indexOf('?');
      return q < 0 ? path : path.substring(0, q);
    }

    /** The raw query string (no '?'), or "". */
    public String query() {
      int q = path.indexOf('?');
      return q < 0 ? "" : path.substring(q + 1);
    }
  }

  /** One virtual host. */
  public record VirtualHost(
      String name, List<String> domains, List<Route> routes, HeaderMutation mutation) {
    public VirtualHost {
      domains = List.copyOf(domains);
      routes = List.copyOf(routes);
    }
  }

  /**
   * One route: a matcher and what to do, and the string values of its {@code
   * metadata.filter_metadata} (which a Wasm filter reads as {@code
   * xds.route_metadata.filter_metadata.<namespace>.<key>}).
   */
  public record Route(
      String name,
      Predicate<Request> matcher,
      Action action,
      HeaderMutation mutation,
      Map<String, Map<String, String>> filterMetadata) {

    public Route {
      filterMetadata = Map.copyOf(filterMetadata);
    }

    /** The route's metadata strings as Wasm properties: path to UTF-8 bytes. */
    Map<List<String>, byte[]> metadataProperties() {
      return XdsTranslator.metadataProperties("route_metadata", filterMetadata);
    }
  }

  /** What a matched route does. */
  public sealed interface Action permits Forward, DirectResponse, Redirect {}

  /**
   * {@code redirect}: the router answers with a Location built as Envoy's {@code
   * Http::Utility::newUri} builds it, after the path is rewritten as {@code
   * RouteEntryImplBase::rewritePathHeader} rewrites it for a redirect.
   *
   * @param scheme {@code scheme_redirect} ({@code https} for {@code https_redirect}), or null
   * @param host {@code host_redirect}, or null
   * @param port {@code port_redirect}, or 0
   * @param pathRedirect {@code path_redirect}, or null
   * @param pathRewrite its {@code prefix_rewrite} or {@code regex_rewrite}
   * @param status 301, 302, 303, 307 or 308
   */
  public record Redirect(
      String scheme,
      String host,
      int port,
      String pathRedirect,
      PathRewrite pathRewrite,
      boolean stripQuery,
      int status)
      implements Action {

    /**
     * The Location header for a request with this {@code :path}, {@code :authority}, {@code
     * :scheme} and {@code x-forwarded-proto}.
     */
    public String location(
        String path, String authority, String requestScheme, String forwardedProto) {
      String current = pathRewrite.apply(path);
      String finalScheme = scheme != null ? scheme : requestScheme;
      String finalPort = port > 0 ? ":" + port : "";
      String finalHost =
          host != null ? host : requestHost(authority, finalScheme, finalPort, forwardedProto);
      String finalPath;
      boolean redirectHasQuery = pathRedirect != null && pathRedirect.indexOf('?') >= 0;
      if (pathRedirect != null) {
        int q = current.indexOf('?');
        finalPath = redirectHasQuery || q < 0 ? pathRedirect : pathRedirect + current.substring(q);
      } else {
        finalPath = current;
      }
      if (!finalPath.startsWith("/")) {
        finalPath = "/" + finalPath;
      }
      if (!redirectHasQuery && stripQuery && finalPath.indexOf('?') >= 0) {
        finalPath = finalPath.substring(0, finalPath.indexOf('?'));
      }
      return finalScheme + "://" + finalHost + finalPort + finalPath;
    }

    /**
     * The request's host for the Location: without its port when a port is given, or when the
     * scheme changes from the one {@code x-forwarded-proto} names and the port is that scheme's
     * default ({@code processRequestHost} in Envoy's {@code source/common/http/utility.cc}).
     */
    private static String requestHost(
        String authority, String newScheme, String newPort, String forwardedProto) {
      if (authority == null || authority.isEmpty()) {
        return "";
      }
      int hostEnd;
      if (authority.charAt(0) == '[') {
        hostEnd = authority.lastIndexOf("]:");
        if (hostEnd >= 0) {
          hostEnd += 1;
        }
      } else {
        hostEnd = authority.lastIndexOf(':');
      }
      if (hostEnd < 0) {
        return authority;
      }
      String requestPort = authority.substring(hostEnd);
      String proto = forwardedProto == null ? "" : forwardedProto;
      boolean removePort = !newPort.isEmpty();
      if (!newScheme.equals(proto)) {
        removePort |= proto.equalsIgnoreCase("https") && requestPort.equals(":443");
        removePort |= proto.equalsIgnoreCase("http") && requestPort.equals(":80");
      }
      return removePort ? authority.substring(0, hostEnd) : authority;
    }
  }

  /** {@code direct_response}. */
  public record DirectResponse(int status, byte[] body) implements Action {}

  /** {@code route}: a cluster or weighted clusters, with rewrites. */
  public record Forward(
      List<WeightedCluster> clusters,
      int totalWeight,
      PathRewrite pathRewrite,
      String hostRewriteLiteral,
      boolean autoHostRewrite,
      Duration timeout,
      RouteRetry retry)
      implements Action {

    public Forward {
      clusters = List.copyOf(clusters);
    }

    /** Picks a cluster: the only one, or by weight as Envoy's weighted_clusters does. */
    public WeightedCluster pick() {
      if (clusters.size() == 1) {
        return clusters.get(0);
      }
      int total =
          totalWeight > 0 ? totalWeight : clusters.stream().mapToInt(WeightedCluster::weight).sum();
      if (total <= 0) {
        return clusters.get(0);
      }
      int r = ThreadLocalRandom.current().nextInt(total);
      for (WeightedCluster c : clusters) {
        r -= c.weight();
        if (r < 0) {
          return c;
        }
      }
      return clusters.get(clusters.size() - 1);
    }

    /** The path the router sends upstream, given the path as it leaves the filters. */
    public String rewritePath(String path) {
      return pathRewrite.apply(path);
    }
  }

  /**
   * A route's {@code prefix_rewrite} (of the match's prefix) or {@code regex_rewrite} (of the path
   * without its query), as a forwarding route and a redirect both have them.
   */
  public record PathRewrite(
      String matchedPrefix, String prefixRewrite, Pattern regexRewrite, String regexSubstitution) {

    /** No rewrite. */
    public static final PathRewrite NONE = new PathRewrite(null, null, null, null);

    /** {@code path} rewritten. */
    public String apply(String path) {
      if (prefixRewrite != null && matchedPrefix != null && path.startsWith(matchedPrefix)) {
        return prefixRewrite + path.substring(matchedPrefix.length());
      }
      if (regexRewrite != null) {
        int q = path.indexOf('?');
        String p = q < 0 ? path : path.substring(0, q);
        String rest = q < 0 ? "" : path.substring(q);
        return regexRewrite.matcher(p).replaceAll(regexSubstitution) + rest;
      }
      return path;
    }
  }

  /** One cluster of a route (weight 1 when the route names a single cluster). */
  public record WeightedCluster(
      String name, int weight, HeaderMutation mutation, String hostRewriteLiteral) {}

  /** The outcome of matching: the virtual host and route, or no route. */
  public record Match(VirtualHost virtualHost, Route route) {}

  /** The matching route, or null (Envoy answers 404). */
  public Match match(Request request, boolean stripPort) {
    VirtualHost vh = selectVirtualHost(request.authority(), stripPort || ignorePortInHostMatching);
    if (vh == null) {
      return null;
    }
    for (Route route : vh.routes()) {
      if (route.matcher().test(request)) {
        return new Match(vh, route);
      }
    }
    return null;
  }

  VirtualHost selectVirtualHost(String authority, boolean stripPort) {
    String host = authority == null ? "" : authority.toLowerCase(Locale.ROOT);
    if (stripPort) {
      host = stripPort(host);
    }
    VirtualHost suffixBest = null;
    int suffixLen = -1;
    VirtualHost prefixBest = null;
    int prefixLen = -1;
    VirtualHost any = null;
    for (VirtualHost vh : virtualHosts) {
      for (String d : vh.domains()) {
        String domain = d.toLowerCase(Locale.ROOT);
        if (domain.equals("*")) {
          if (any == null) {
            any = vh;
          }
        } else if (domain.startsWith("*")) {
          String suffix = domain.substring(1);
          if (host.length() > suffix.length()
              && host.endsWith(suffix)
              && suffix.length() > suffixLen) {
            suffixBest = vh;
            suffixLen = suffix.length();
          }
        } else if (domain.endsWith("*")) {
          String prefix = domain.substring(0, domain.length() - 1);
          if (host.length() > prefix.length()
              && host.startsWith(prefix)
              && prefix.length() > prefixLen) {
            prefixBest = vh;
            prefixLen = prefix.length();
          }
        } else if (domain.equals(host)) {
          return vh;
        }
      }
    }
    if (suffixBest != null) {
      return suffixBest;
    }
    if (prefixBest != null) {
      return prefixBest;
    }
    return any;
  }

  static String stripPort(String host) {
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end > 0 ? host.substring(0, end + 1) : host;
    }
    int colon = host.lastIndexOf(':');
    if (colon > 0 && host.indexOf(':') == colon) {
      return host.substring(0, colon);
    }
    return host;
  }
}
