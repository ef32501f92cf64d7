package dev.lambdagate.controlplane.model;

import dev.lambdagate.controlplane.state.ResourceKey;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeader;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathModifier;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPQueryParamMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the rules of an HTTPRoute into {@link RouteModel}s, one per match: destinations with their
 * weights, or the 500 a broken rule answers (no backendRefs, all weights 0, no resolvable backend,
 * filters that cannot apply), its filters and timeout. Stateless; thread-safe.
 */
final class RouteRuleConverter {
  private static final Logger LOG = LoggerFactory.getLogger(RouteRuleConverter.class);

  /**
   * The rule filters lambdagate applies: the first two in the filter, to the request the function
   * sees; a redirect in Envoy's router, which answers it without invoking anything.
   */
  private static final List<String> APPLIED_FILTERS =
      List.of("RequestHeaderModifier", "URLRewrite", "RequestRedirect");

  /** The redirect status codes Gateway API allows (301 and 302 Core, the others Extended). */
  private static final List<Integer> REDIRECT_CODES = List.of(301, 302, 303, 307, 308);

  /** An HTTP field name (RFC 9110 token). */
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  /** A Gateway API PreciseHostname: a lower-case DNS name, no wildcard. */
  private static final Pattern HOSTNAME =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /**
   * A path Envoy can put in a Location header: RFC 3986 path characters, and a query after '?'
   * (Envoy keeps a redirect path's own query). No spaces, quotes or control characters.
   */
  private static final Pattern REDIRECT_PATH = Pattern.compile("/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*");

  private RouteRuleConverter() {}

  /**
   * The routes of {@code route}: rule {@code i}, match {@code j} named {@code
   * ns/route/rule-i/match-j}.
   *
   * @param refsByRule the resolved backendRefs of each rule ({@link BackendRefResolver})
   */
  static List<RouteModel> routeModels(
      HTTPRoute route,
      List<HTTPRouteRule> rules,
      List<List<BackendRefResolver.ResolvedRef>> refsByRule) {
    String ns = route.getMetadata().getNamespace();
    String rname = route.getMetadata().getName();
    ResourceKey rk = ModelBuilder.key("HTTPRoute", route);
    String created = Objects.toString(route.getMetadata().getCreationTimestamp(), "");
    List<RouteModel> out = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      HTTPRouteRule rule = rules.get(i);
      List<RouteModel.WeightedBackend> wbs = new ArrayList<>();
      String firstError = null;
      int validWeight = 0;
      for (BackendRefResolver.ResolvedRef rr : refsByRule.get(i)) {
        String bid;
        String cluster;
        if (rr.backend() != null) {
          String bns = rr.backend().getMetadata().getNamespace();
          String bname = rr.backend().getMetadata().getName();
          bid = bns + "/" + bname;
          cluster = BackendModel.clusterName(bns, bname);
          if (firstError == null && rr.backend().getSpec() == null) {
            firstError = "Backend " + bid + " has no spec";
          }
        } else {
          bid = rr.errorId();
          cluster = rr.errorCluster();
          if (firstError == null) {
            firstError = rr.message();
          }
        }
        if (rr.weight() > 0) {
          wbs.add(new RouteModel.WeightedBackend(bid, cluster, rr.weight()));
          if (rr.backend() != null) {
            validWeight += rr.weight();
          }
        }
      }
      String direct = null;
      if (refsByRule.get(i).isEmpty()) {
        direct = "rule " + i + " of HTTPRoute " + ns + "/" + rname + " has no backendRefs";
      } else if (wbs.isEmpty()) {
        direct =
            "every backendRef of rule " + i + " of HTTPRoute " + ns + "/" + rname + " has weight 0";
      } else if (validWeight == 0) {
        direct = firstError;
      }
      RuleFilters filters = ruleFilters(rule);
      RouteModel.HeaderModifier headers = filters.headers();
      RouteModel.UrlRewrite rewrite = filters.rewrite();
      RouteModel.Redirect redirect = filters.redirect();
      if (redirect != null) {
        // Envoy's router answers the redirect: the rule's backendRefs (if any) and header
        // changes have nothing to act on, so missing, zero-weight or broken backendRefs (the
        // only reasons for a direct response so far) do not break it.
        headers = null;
        direct = null;
        wbs = List.of();
      }
      // Every backend here is a Lambda function. Envoy's router would apply a rewrite or a
      // header change only after the filter has turned the request into the signed Invoke call
      // (too late for the event, and fatal to the signature), so they go to the filter
      // (routeFilters), which applies them to the request the function sees.
      String unsupported = unsupportedFilter(rule);
      if (unsupported != null && direct == null) {
        direct = "rule " + i + " of HTTPRoute " + ns + "/" + rname + ": " + unsupported;
        LOG.warn("{}", direct);
      }
      if (unsupported != null) {
        rewrite = null;
        headers = null;
        redirect = null;
      }
      Long timeout = null;
      if (rule.getTimeouts() != null && rule.getTimeouts().getRequest() != null) {
        timeout = GatewayDuration.millis(rule.getTimeouts().getRequest());
      }
      List<HTTPRouteMatch> matches = matches(rule);
      for (int j = 0; j < matches.size(); j++) {
        String invalid = invalidRegex(matches.get(j));
        if (invalid != null) {
          LOG.warn("rule {} match {} of HTTPRoute {}/{} left out: {}", i, j, ns, rname, invalid);
          continue;
        }
        String routeName = ns + "/" + rname + "/rule-" + i + "/match-" + j;
        out.add(
            new RouteModel(
                routeName,
                rk,
                i,
                j,
                matchModel(matches.get(j)),
                direct == null ? wbs : List.of(),
                direct,
                headers,
                rewrite,
                created,
                timeout,
                direct == null ? redirect : null));
      }
    }
    return out;
  }

  /** A rule's matches; a rule without any matches every request (one {@code PathPrefix /}). */
  private static List<HTTPRouteMatch> matches(HTTPRouteRule rule) {
    return rule.getMatches() == null || rule.getMatches().isEmpty()
        ? List.of(new HTTPRouteMatch())
        : rule.getMatches();
  }

  /**
   * Why an attached route is {@code Accepted=False} ({@code UnsupportedValue}): the first rule
   * whose filters cannot apply, else the matches left out; or null.
   */
  static String unsupportedValue(List<HTTPRouteRule> rules) {
    String filter = unsupportedFilter(rules);
    return filter != null ? filter : invalidMatch(rules);
  }

  /**
   * The matches that cannot be served ({@link #invalidRegex}): how many, and the first said why; or
   * null when there are none.
   */
  static String invalidMatch(List<HTTPRouteRule> rules) {
    String first = null;
    int count = 0;
    for (int i = 0; i < rules.size(); i++) {
      List<HTTPRouteMatch> matches = matches(rules.get(i));
      for (int j = 0; j < matches.size(); j++) {
        String why = invalidRegex(matches.get(j));
        if (why != null && count++ == 0) {
          first = "rule " + i + " match " + j + ": " + why;
        }
      }
    }
    if (count == 0) {
      return null;
    }
    return (count == 1 ? "1 match is" : count + " matches are") + " left out; " + first;
  }

  /**
   * Why a match cannot be served, or null. Its path, header and query-parameter regular expressions
   * go to Envoy as {@code safe_regex}, which is RE2; one that RE2 does not compile makes Envoy
   * reject the whole route table, which every route of the Gateway's listener shares. So the match
   * is left out, and the route's status says why ({@link RegexCheck}: repetition, size, syntax).
   */
  static String invalidRegex(HTTPRouteMatch m) {
    RouteModel.MatchModel match = matchModel(m);
    if ("RegularExpression".equals(match.pathType())) {
      String error = RegexCheck.problem(match.pathValue());
      if (error != null) {
        return "path regular expression " + error;
      }
    }
    for (RouteModel.StringMatch h : match.headers()) {
      String error = "RegularExpression".equals(h.type()) ? RegexCheck.problem(h.value()) : null;
      if (error != null) {
        return "header " + h.name() + " regular expression " + error;
      }
    }
    for (RouteModel.StringMatch q : match.queryParams()) {
      String error = "RegularExpression".equals(q.type()) ? RegexCheck.problem(q.value()) : null;
      if (error != null) {
        return "query parameter " + q.name() + " regular expression " + error;
      }
    }
    return null;
  }

  /** The first rule whose filters cannot apply, said why; or null. */
  static String unsupportedFilter(List<HTTPRouteRule> rules) {
    for (int i = 0; i < rules.size(); i++) {
      String why = unsupportedFilter(rules.get(i));
      if (why != null) {
        return "rule " + i + ": " + why;
      }
    }
    return null;
  }

  /**
   * Why a rule's filters cannot apply, or null when they can: only {@code RequestHeaderModifier}
   * and {@code URLRewrite} are applied, and only on the rule; Gateway API allows {@code
   * ReplacePrefixMatch} only when every match of the rule is a {@code PathPrefix} match (there is
   * no prefix to replace otherwise), and header names must be HTTP field names.
   */
  static String unsupportedFilter(HTTPRouteRule rule) {
    if (rule.getFilters() != null) {
      for (HTTPRouteFilter f : rule.getFilters()) {
        if (!APPLIED_FILTERS.contains(f.getType())) {
          // Ignoring it would serve the rule as if the filter were not there: a redirect would
          // invoke the function instead, a mirror would mirror nothing.
          return "filter "
              + f.getType()
              + " is not supported (lambdagate applies "
              + String.join(", ", APPLIED_FILTERS)
              + ")";
        }
      }
    }
    if (rule.getBackendRefs() != null) {
      for (var ref : rule.getBackendRefs()) {
        if (ref.getFilters() != null && !ref.getFilters().isEmpty()) {
          return "filters on a backendRef are not supported (put them on the rule)";
        }
      }
    }
    RuleFilters filters = ruleFilters(rule);
    RouteModel.UrlRewrite rewrite = filters.rewrite();
    RouteModel.Redirect redirect = filters.redirect();
    if (filters.count("RequestRedirect") > 1 || filters.count("URLRewrite") > 1) {
      return "a rule may have one RequestRedirect and one URLRewrite filter at most";
    }
    if (redirect != null && rewrite != null) {
      return "RequestRedirect and URLRewrite cannot both be on a rule";
    }
    String prefixReplacer =
        rewrite != null && "ReplacePrefixMatch".equals(rewrite.pathType())
            ? "URLRewrite"
            : redirect != null && "ReplacePrefixMatch".equals(redirect.pathType())
                ? "RequestRedirect"
                : null;
    if (prefixReplacer != null) {
      for (HTTPRouteMatch m : matches(rule)) {
        String type = matchModel(m).pathType();
        if (!"PathPrefix".equals(type)) {
          return prefixReplacer
              + " ReplacePrefixMatch needs PathPrefix matches, but a match of this"
              + " rule is "
              + type;
        }
      }
    }
    if (redirect != null) {
      String why = invalidRedirect(redirect);
      if (why != null) {
        return "RequestRedirect " + why;
      }
    }
    if (rewrite != null
        && rewrite.replacement() != null
        && !rewrite.replacement().startsWith("/")) {
      return "URLRewrite path " + rewrite.replacement() + " must start with /";
    }
    RouteModel.HeaderModifier headers = filters.headers();
    if (headers != null) {
      List<String> names = new ArrayList<>();
      headers.set().forEach(h -> names.add(h.name()));
      headers.add().forEach(h -> names.add(h.name()));
      names.addAll(headers.remove());
      for (String name : names) {
        if (name == null || !HEADER_NAME.matcher(name).matches()) {
          return "RequestHeaderModifier names " + name + ", which is not an HTTP header name";
        }
      }
    }
    return null;
  }

  /** Why a redirect cannot be served, or null (what the CRD's schema would have refused). */
  private static String invalidRedirect(RouteModel.Redirect r) {
    if (r.scheme() != null && !r.scheme().equals("http") && !r.scheme().equals("https")) {
      return "scheme " + r.scheme() + " is not http or https";
    }
    if (r.hostname() != null && !HOSTNAME.matcher(r.hostname()).matches()) {
      return "hostname " + r.hostname() + " is not a DNS name";
    }
    if (r.port() != null && (r.port() < 1 || r.port() > 65535)) {
      return "port " + r.port() + " is not from 1 to 65535";
    }
    if (!REDIRECT_CODES.contains(r.statusCode())) {
      return "statusCode " + r.statusCode() + " is not one of " + REDIRECT_CODES;
    }
    if (r.pathType() != null
        && !r.pathType().equals("ReplaceFullPath")
        && !r.pathType().equals("ReplacePrefixMatch")) {
      return "path type " + r.pathType() + " is not ReplaceFullPath or ReplacePrefixMatch";
    }
    if (r.pathType() != null && (r.path() == null || !r.path().startsWith("/"))) {
      return "path " + r.path() + " must start with /";
    }
    if (r.path() != null && !REDIRECT_PATH.matcher(r.path()).matches()) {
      return "path " + r.path() + " has characters a URL path cannot have";
    }
    return null;
  }

  private static List<RouteModel.Header> headerList(List<HTTPHeader> hs) {
    List<RouteModel.Header> out = new ArrayList<>();
    if (hs != null) {
      for (HTTPHeader h : hs) {
        out.add(new RouteModel.Header(h.getName(), h.getValue()));
      }
    }
    return out;
  }

  private static RouteModel.MatchModel matchModel(HTTPRouteMatch m) {
    String pathType = "PathPrefix";
    String pathValue = "/";
    if (m.getPath() != null) {
      pathType = m.getPath().getType() == null ? "PathPrefix" : m.getPath().getType();
      pathValue = m.getPath().getValue() == null ? "/" : m.getPath().getValue();
    }
    List<RouteModel.StringMatch> headers = new ArrayList<>();
    if (m.getHeaders() != null) {
      for (HTTPHeaderMatch h : m.getHeaders()) {
        headers.add(
            new RouteModel.StringMatch(
                h.getName(), h.getType() == null ? "Exact" : h.getType(), h.getValue()));
      }
    }
    List<RouteModel.StringMatch> query = new ArrayList<>();
    if (m.getQueryParams() != null) {
      for (HTTPQueryParamMatch q : m.getQueryParams()) {
        query.add(
            new RouteModel.StringMatch(
                q.getName(), q.getType() == null ? "Exact" : q.getType(), q.getValue()));
      }
    }
    return new RouteModel.MatchModel(pathType, pathValue, headers, query, m.getMethod());
  }

  /**
   * A rule's {@code RequestHeaderModifier}, {@code URLRewrite} and {@code RequestRedirect} (each
   * null when absent; the last of a type when there are several), and its filter types in order.
   */
  private record RuleFilters(
      RouteModel.HeaderModifier headers,
      RouteModel.UrlRewrite rewrite,
      RouteModel.Redirect redirect,
      List<String> types) {
    int count(String type) {
      return (int) types.stream().filter(type::equals).count();
    }
  }

  /** The value of a path modifier's type ({@code ReplaceFullPath} or the prefix), or null. */
  private static String pathValue(HTTPPathModifier path) {
    if (path == null || path.getType() == null) {
      return null;
    }
    return "ReplaceFullPath".equals(path.getType())
        ? path.getReplaceFullPath()
        : path.getReplacePrefixMatch();
  }

  private static RuleFilters ruleFilters(HTTPRouteRule rule) {
    RouteModel.HeaderModifier headers = null;
    RouteModel.UrlRewrite rewrite = null;
    RouteModel.Redirect redirect = null;
    List<String> types = new ArrayList<>();
    if (rule.getFilters() != null) {
      for (HTTPRouteFilter f : rule.getFilters()) {
        types.add(f.getType());
        if ("RequestRedirect".equals(f.getType()) && f.getRequestRedirect() != null) {
          var r = f.getRequestRedirect();
          redirect =
              new RouteModel.Redirect(
                  r.getScheme(),
                  r.getHostname(),
                  r.getPort(),
                  r.getPath() == null ? null : r.getPath().getType(),
                  pathValue(r.getPath()),
                  r.getStatusCode() == null ? 302 : r.getStatusCode());
        }
        if ("RequestHeaderModifier".equals(f.getType()) && f.getRequestHeaderModifier() != null) {
          var m = f.getRequestHeaderModifier();
          headers =
              new RouteModel.HeaderModifier(
                  headerList(m.getSet()),
                  headerList(m.getAdd()),
                  m.getRemove() == null ? List.of() : m.getRemove());
        } else if ("URLRewrite".equals(f.getType()) && f.getUrlRewrite() != null) {
          var u = f.getUrlRewrite();
          rewrite =
              new RouteModel.UrlRewrite(
                  u.getHostname(),
                  u.getPath() == null ? null : u.getPath().getType(),
                  pathValue(u.getPath()));
        }
      }
    }
    return new RuleFilters(headers, rewrite, redirect, types);
  }
}
