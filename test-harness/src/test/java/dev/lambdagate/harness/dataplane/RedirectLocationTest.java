package dev.lambdagate.harness.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The embedded data plane's redirect Location against the rules of Envoy's {@code
 * Http::Utility::newUri} and {@code processRequestHost} (source/common/http/utility.cc): the
 * scheme, host and port the redirect names replace the request's; the request's port is dropped
 * when a port is given, or when the scheme changes from the one x-forwarded-proto names and the
 * port is that scheme's default; a path_redirect keeps the request's query unless it has its own;
 * strip_query drops it.
 */
class RedirectLocationTest {

  @ParameterizedTest(name = "[{index}] {0} {1} -> {6}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        // scheme only: the request's port stays unless it is the old scheme's default
        "https|-|0|-|gw.example.com|/a?b=c|https://gw.example.com/a?b=c",
        "https|-|0|-|gw.example.com:80|/a|https://gw.example.com/a",
        "https|-|0|-|gw.example.com:8080|/a|https://gw.example.com:8080/a",
        "http|-|0|-|gw.example.com:80|/a|http://gw.example.com:80/a",
        // a port replaces the request's
        "-|-|8443|-|gw.example.com:8080|/a|http://gw.example.com:8443/a",
        "https|-|443|-|gw.example.com|/a|https://gw.example.com:443/a",
        // a host replaces the request's host and port
        "-|other.example.com|0|-|gw.example.com:8080|/a|http://other.example.com/a",
        "-|other.example.com|9000|-|gw.example.com:8080|/a|http://other.example.com:9000/a",
        "https|-|0|-|[::1]:80|/a|https://[::1]/a",
        // path_redirect: the request's query is kept unless the redirect has one
        "-|-|0|/new|gw.example.com|/old/x?q=1|http://gw.example.com/new?q=1",
        "-|-|0|/new?r=2|gw.example.com|/old/x?q=1|http://gw.example.com/new?r=2",
        "-|-|0|new|gw.example.com|/old|http://gw.example.com/new",
      })
  void locationIsBuiltAsEnvoyBuildsIt(
      String scheme,
      String host,
      int port,
      String pathRedirect,
      String authority,
      String path,
      String location) {
    RouteTable.Redirect redirect =
        new RouteTable.Redirect(
            scheme, host, port, pathRedirect, RouteTable.PathRewrite.NONE, false, 302);
    assertThat(redirect.location(path, authority, "http", "http")).isEqualTo(location);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/foo/bar?q=1|/xyz/bar?q=1",
        "/foo|/xyz",
      })
  void prefixRewriteReplacesTheMatchedPrefixAndKeepsTheQuery(String path, String expected) {
    RouteTable.Redirect redirect =
        new RouteTable.Redirect(
            null,
            null,
            0,
            null,
            new RouteTable.PathRewrite("/foo", "/xyz", null, null),
            false,
            301);
    assertThat(redirect.location(path, "h", "http", "http")).isEqualTo("http://h" + expected);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/foo/bar?q=1|/bar?q=1",
        "/foo|/",
        "/foo/|/",
      })
  void regexRewriteAppliesToThePathAlone(String path, String expected) {
    RouteTable.Redirect redirect =
        new RouteTable.Redirect(
            null,
            null,
            0,
            null,
            new RouteTable.PathRewrite(
                null, null, Pattern.compile("^/foo/*"), XdsTranslator.toJavaReplacement("/")),
            false,
            301);
    assertThat(redirect.location(path, "h", "http", "http")).isEqualTo("http://h" + expected);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/a?q=1|http://h/a",
        "/a|http://h/a",
      })
  void stripQueryDropsTheRequestsQuery(String path, String expected) {
    RouteTable.Redirect redirect =
        new RouteTable.Redirect(null, null, 0, null, RouteTable.PathRewrite.NONE, true, 302);
    assertThat(redirect.location(path, "h", "http", "http")).isEqualTo(expected);
  }
}
