package dev.lambdagate.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.config.ConfigException;
import dev.lambdagate.config.FilterConfigParser;
import dev.lambdagate.config.RouteFilters;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestRewriterTest {

  static RouteFilters filters(String json) throws ConfigException {
    String doc =
        ("{'backends': {'b': {'lambda': {'functionName': 'echo'}, 'credentials':"
                + " {'accessKeyId': 'AKID', 'secretAccessKey': 's'}}}, 'routeFilters': {'r': "
                + json
                + "}}")
            .replace('\'', '"');
    return FilterConfigParser.parse(doc.getBytes(StandardCharsets.UTF_8)).routeFilters().get("r");
  }

  static RouteFilters prefix(String matched, String value) throws ConfigException {
    return filters(
        "{'path': {'type': 'ReplacePrefixMatch', 'matchedPrefix': '"
            + matched
            + "', 'value': '"
            + value
            + "'}}");
  }

  /** The table in Gateway API's HTTPPathModifier documentation, plus the edges around "/". */
  @ParameterizedTest(name = "prefix {0} -> {1}: {2} becomes {3}")
  @CsvSource({
    "/foo,  /xyz,  /foo/bar, /xyz/bar",
    "/foo,  /xyz/, /foo/bar, /xyz/bar",
    "/foo/, /xyz,  /foo/bar, /xyz/bar",
    "/foo/, /xyz/, /foo/bar, /xyz/bar",
    "/foo,  /xyz,  /foo,     /xyz",
    "/foo,  /xyz,  /foo/,    /xyz/",
    "/foo,  /,     /foo/bar, /bar",
    "/foo/, /,     /foo/bar, /bar",
    "/foo,  /,     /foo,     /",
    "/,     /v2,   /bar,     /v2/bar",
    "/,     /v2,   /,        /v2",
    "/foo,  /xyz,  /foobar,  /foobar",
  })
  void replacesThePrefixAsGatewayApiSays(String matched, String value, String path, String expected)
      throws Exception {
    assertThat(RequestRewriter.path(prefix(matched, value), path)).isEqualTo(expected);
  }

  @Test
  void keepsTheQueryString() throws Exception {
    assertThat(RequestRewriter.path(prefix("/echo", "/v2"), "/echo/a?x=1&y=/echo"))
        .isEqualTo("/v2/a?x=1&y=/echo");
    assertThat(
            RequestRewriter.path(
                filters("{'path': {'type': 'ReplaceFullPath', 'value': '/new'}}"), "/old/path?q=1"))
        .isEqualTo("/new?q=1");
    assertThat(RequestRewriter.path(null, "/same?q")).isEqualTo("/same?q");
  }

  @Test
  void headersAreRemovedThenSetThenAdded() throws Exception {
    RouteFilters f =
        filters(
            "{'requestHeaders': {"
                + "'set': [{'name': 'X-Team', 'value': 'payments'}],"
                + "'add': [{'name': 'x-tag', 'value': 'gateway'}],"
                + "'remove': ['cookie', 'x-gone']}}");
    HeaderList in =
        HeaderList.of(
            "host",
            "a.example",
            "X-Team",
            "client",
            "x-tag",
            "client-tag",
            "Cookie",
            "s=1",
            "accept",
            "*/*");

    HeaderList out = RequestRewriter.headers(f, in);

    assertThat(out)
        .isEqualTo(
            HeaderList.of(
                "host",
                "a.example",
                "x-tag",
                "client-tag",
                "accept",
                "*/*",
                "x-team",
                "payments",
                "x-tag",
                "gateway"));
  }

  @Test
  void hostnameReplacesTheHostInPlace() throws Exception {
    HeaderList out =
        RequestRewriter.headers(
            filters("{'hostname': 'internal.example'}"),
            HeaderList.of("accept", "*/*", "host", "public.example"));
    assertThat(out).isEqualTo(HeaderList.of("accept", "*/*", "host", "internal.example"));
  }

  @Test
  void nothingToDoReturnsTheSameList() throws Exception {
    HeaderList in = HeaderList.of("host", "a");
    assertThat(
            RequestRewriter.headers(
                filters("{'path': {'type': 'ReplaceFullPath', 'value': '/x'}}"), in))
        .isSameAs(in);
    assertThat(RequestRewriter.headers(null, in)).isSameAs(in);
  }
}
