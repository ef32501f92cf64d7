package dev.lambdagate.controlplane.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilterBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code RequestRedirect} rules: what becomes a redirect route, and what is refused and why. */
class RouteRuleConverterTest {

  @Test
  void aRedirectRuleNeedsNoBackendRefsAndInvokesNothing() {
    HTTPRouteRule rule =
        rule(
            "PathPrefix",
            redirect("https", "docs.example.com", 8443, "ReplacePrefixMatch", "/x", 301));
    assertThat(RouteRuleConverter.unsupportedFilter(rule)).isNull();

    List<RouteModel> routes =
        RouteRuleConverter.routeModels(route(rule), List.of(rule), List.of(List.of()));
    assertThat(routes).hasSize(1);
    RouteModel r = routes.get(0);
    assertThat(r.directResponse()).isNull();
    assertThat(r.backends()).isEmpty();
    assertThat(r.redirect())
        .isEqualTo(
            new RouteModel.Redirect(
                "https", "docs.example.com", 8443, "ReplacePrefixMatch", "/x", 301));
  }

  @Test
  void aBrokenBackendRefDoesNotBreakARedirect() {
    HTTPRouteRule rule =
        rule("PathPrefix", redirect(null, "a.example.com", null, null, null, null));
    BackendRefResolver.ResolvedRef missing =
        new BackendRefResolver.ResolvedRef(
            StatusReason.BACKEND_NOT_FOUND,
            "Backend default/gone not found",
            null,
            "invalid-ref:default/gone",
            "lambdagate|invalid|default|gone",
            1,
            null);
    RouteModel r =
        RouteRuleConverter.routeModels(route(rule), List.of(rule), List.of(List.of(missing)))
            .get(0);
    assertThat(r.directResponse()).isNull();
    assertThat(r.backends()).isEmpty();
    assertThat(r.redirect().hostname()).isEqualTo("a.example.com");
  }

  @Test
  void theStatusCodeDefaultsTo302() {
    HTTPRouteRule rule = rule("PathPrefix", redirect(null, null, null, null, null, null));
    RouteModel r =
        RouteRuleConverter.routeModels(route(rule), List.of(rule), List.of(List.of())).get(0);
    assertThat(r.redirect().statusCode()).isEqualTo(302);
  }

  @ParameterizedTest(name = "[{index}] {6}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "ftp|-|-|-|-|-|RequestRedirect scheme ftp is not http or https",
        "-|Bad_Host|-|-|-|-|RequestRedirect hostname Bad_Host is not a DNS name",
        "-|*.example.com|-|-|-|-|RequestRedirect hostname *.example.com is not a DNS name",
        "-|-|0|-|-|-|RequestRedirect port 0 is not from 1 to 65535",
        "-|-|65536|-|-|-|RequestRedirect port 65536 is not from 1 to 65535",
        "-|-|-|-|-|304|RequestRedirect statusCode 304 is not one of [301, 302, 303, 307, 308]",
        "-|-|-|ReplaceFullPath|new|-|RequestRedirect path new must start with /",
        "-|-|-|ReplaceFullPath|/a b|-|RequestRedirect path /a b has characters a URL path cannot have",
        "-|-|-|ReplaceFullPath|/a\"b|-|RequestRedirect path /a\"b has characters a URL path cannot have",
        "-|-|-|Regex|/a|-|RequestRedirect path type Regex is not ReplaceFullPath or ReplacePrefixMatch",
      })
  void valuesGatewayApiDoesNotAllowAreRefusedNamingThem(
      String scheme,
      String host,
      Integer port,
      String pathType,
      String path,
      Integer status,
      String why) {
    HTTPRouteRule rule = rule("PathPrefix", redirect(scheme, host, port, pathType, path, status));
    assertThat(RouteRuleConverter.unsupportedFilter(rule)).isEqualTo(why);
  }

  @Test
  void aRedirectCannotShareARuleWithARewriteOrASecondRedirect() {
    HTTPRouteFilter rewrite =
        new HTTPRouteFilterBuilder()
            .withType("URLRewrite")
            .withNewUrlRewrite()
            .withHostname("internal.example.com")
            .endUrlRewrite()
            .build();
    HTTPRouteFilter redirect = redirect(null, "a.example.com", null, null, null, null);
    assertThat(RouteRuleConverter.unsupportedFilter(rule("PathPrefix", redirect, rewrite)))
        .isEqualTo("RequestRedirect and URLRewrite cannot both be on a rule");
    assertThat(RouteRuleConverter.unsupportedFilter(rule("PathPrefix", redirect, redirect)))
        .isEqualTo("a rule may have one RequestRedirect and one URLRewrite filter at most");
  }

  @Test
  void replacePrefixMatchNeedsPathPrefixMatches() {
    HTTPRouteRule rule =
        rule("Exact", redirect(null, null, null, "ReplacePrefixMatch", "/x", null));
    assertThat(RouteRuleConverter.unsupportedFilter(rule))
        .isEqualTo(
            "RequestRedirect ReplacePrefixMatch needs PathPrefix matches, but a match of this rule"
                + " is Exact");
  }

  private static HTTPRouteFilter redirect(
      String scheme, String host, Integer port, String pathType, String path, Integer status) {
    var b =
        new HTTPRouteFilterBuilder()
            .withType("RequestRedirect")
            .withNewRequestRedirect()
            .withScheme(scheme)
            .withHostname(host)
            .withPort(port)
            .withStatusCode(status);
    if (pathType != null) {
      b =
          "ReplaceFullPath".equals(pathType)
              ? b.withNewPath().withType(pathType).withReplaceFullPath(path).endPath()
              : b.withNewPath().withType(pathType).withReplacePrefixMatch(path).endPath();
    }
    return b.endRequestRedirect().build();
  }

  private static HTTPRouteRule rule(String pathType, HTTPRouteFilter... filters) {
    return new HTTPRouteRuleBuilder()
        .addNewMatch()
        .withNewPath()
        .withType(pathType)
        .withValue("/docs")
        .endPath()
        .endMatch()
        .withFilters(filters)
        .build();
  }

  private static HTTPRoute route(HTTPRouteRule rule) {
    return new HTTPRouteBuilder()
        .withNewMetadata()
        .withName("r")
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .withRules(rule)
        .endSpec()
        .build();
  }
}
