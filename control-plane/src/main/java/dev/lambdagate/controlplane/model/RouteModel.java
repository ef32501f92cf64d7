package dev.lambdagate.controlplane.model;

import dev.lambdagate.controlplane.state.ResourceKey;
import java.util.List;

/**
 * One Envoy route: one match of one rule of an HTTPRoute.
 *
 * @param name the Envoy route name {@code ns/route/rule-i/match-j} (the filter's {@code
 *     xds.route_name})
 * @param backends weighted destinations; empty when {@code directResponse} or {@code redirect} is
 *     set
 * @param directResponse when non-null, the route answers 500 with this message
 * @param creationTimestamp sort key for Gateway API precedence
 * @param timeoutMillis the rule's {@code timeouts.request} (0 = none), or null for Envoy's default
 *     (15 s)
 * @param redirect when non-null (and {@code directResponse} is null), Envoy answers with this
 *     redirect ({@code RequestRedirect}); no function is invoked
 */
public record RouteModel(
    String name,
    ResourceKey route,
    int rule,
    int match,
    MatchModel matchSpec,
    List<WeightedBackend> backends,
    String directResponse,
    HeaderModifier requestHeaders,
    UrlRewrite urlRewrite,
    String creationTimestamp,
    Long timeoutMillis,
    Redirect redirect) {

  public RouteModel {
    backends = List.copyOf(backends);
  }

  /**
   * The hash of {@code name} alone (equal routes have equal names, so it agrees with {@code
   * equals}): routes are kept in hash sets and maps by the ten thousand on every build and
   * translation, and the record's own hash would walk every component each time.
   */
  @Override
  public int hashCode() {
    return name.hashCode();
  }

  /** A destination of the route. */
  public record WeightedBackend(String backendId, String clusterName, int weight) {}

  /** HTTPRoute match: path, headers, query parameters, method. */
  public record MatchModel(
      String pathType,
      String pathValue,
      List<StringMatch> headers,
      List<StringMatch> queryParams,
      String method) {
    public MatchModel {
      headers = List.copyOf(headers);
      queryParams = List.copyOf(queryParams);
    }
  }

  /** {@code type} is {@code Exact} or {@code RegularExpression}. */
  public record StringMatch(String name, String type, String value) {}

  /** {@code RequestHeaderModifier}. */
  public record HeaderModifier(List<Header> set, List<Header> add, List<String> remove) {
    public HeaderModifier {
      set = List.copyOf(set);
      add = List.copyOf(add);
      remove = List.copyOf(remove);
    }
  }

  public record Header(String name, String value) {}

  /**
   * {@code URLRewrite}: {@code pathType} is {@code ReplacePrefixMatch} or {@code ReplaceFullPath}
   * (or null), {@code replacement} its value. The prefix replaced is the match's PathPrefix.
   */
  public record UrlRewrite(String hostname, String pathType, String replacement) {}

  /**
   * {@code RequestRedirect}: each of {@code scheme}, {@code hostname}, {@code port} and {@code
   * pathType} is null when the filter leaves that part of the URL as the request had it; {@code
   * pathType} is {@code ReplaceFullPath} or {@code ReplacePrefixMatch}, {@code path} its value (the
   * prefix replaced is the match's PathPrefix); {@code statusCode} is 301, 302, 303, 307 or 308.
   */
  public record Redirect(
      String scheme, String hostname, Integer port, String pathType, String path, int statusCode) {}
}
