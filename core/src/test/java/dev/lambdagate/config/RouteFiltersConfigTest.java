package dev.lambdagate.config;

import static dev.lambdagate.config.ConfigJson.KEYS;
import static dev.lambdagate.config.ConfigJson.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RouteFiltersConfigTest {
  static final String ROUTE = "default/lambda/rule-0/match-0";

  static String config(String filters) {
    return "{'backends': {'default/lambda': {'lambda': {'functionName': 'echo'}, 'credentials': "
        + KEYS
        + "}},"
        + " 'routes': {'"
        + ROUTE
        + "': 'default/lambda'},"
        + " 'routeFilters': {'"
        + ROUTE
        + "': "
        + filters
        + "}}";
  }

  @Test
  void readsEveryPart() throws Exception {
    RouteFilters f =
        parse(
                config(
                    "{'hostname': 'api.example.com',"
                        + " 'path': {'type': 'ReplacePrefixMatch', 'matchedPrefix': '/echo', 'value': '/v2'},"
                        + " 'requestHeaders': {'set': [{'name': 'X-Team', 'value': 'a'}], 'add': [{'name': 'x-tag', 'value': 'b'}],"
                        + " 'remove': ['Cookie']}}"))
            .routeFilters()
            .get(ROUTE);

    assertThat(f.hostname()).isEqualTo("api.example.com");
    assertThat(f.pathRewrite()).isEqualTo(RouteFilters.PathRewrite.REPLACE_PREFIX_MATCH);
    assertThat(f.matchedPrefix()).isEqualTo("/echo");
    assertThat(f.pathValue()).isEqualTo("/v2");
    assertThat(f.set()).extracting(dev.lambdagate.sigv4.Header::name).containsExactly("x-team");
    assertThat(f.add()).extracting(dev.lambdagate.sigv4.Header::value).containsExactly("b");
    assertThat(f.remove()).containsExactly("cookie");
  }

  @Test
  void fullPathNeedsNoPrefixAndAbsentPartsDoNothing() throws Exception {
    RouteFilters f =
        parse(config("{'path': {'type': 'ReplaceFullPath', 'value': '/x'}}"))
            .routeFilters()
            .get(ROUTE);
    assertThat(f.pathRewrite()).isEqualTo(RouteFilters.PathRewrite.REPLACE_FULL_PATH);
    assertThat(f.hostname()).isNull();
    assertThat(f.set()).isEmpty();
    assertThat(parse(config("{}")).routeFilters().get(ROUTE).pathRewrite())
        .isEqualTo(RouteFilters.PathRewrite.NONE);
  }

  @Test
  void badInputIsNamedByItsPath() {
    String at = "routeFilters." + ROUTE + ".";
    assertThatThrownBy(() -> parse(config("{'path': {'type': 'ReplaceRegex', 'value': '/x'}}")))
        .hasMessageContaining(at + "path.type")
        .hasMessageContaining("ReplaceFullPath or ReplacePrefixMatch");
    assertThatThrownBy(
            () -> parse(config("{'path': {'type': 'ReplacePrefixMatch', 'value': '/x'}}")))
        .hasMessageContaining(at + "path.matchedPrefix");
    assertThatThrownBy(() -> parse(config("{'path': {'type': 'ReplaceFullPath', 'value': 'x'}}")))
        .hasMessageContaining(at + "path.value")
        .hasMessageContaining("must start with /");
    assertThatThrownBy(
            () -> parse(config("{'path': {'type': 'ReplaceFullPath', 'value': '/x?y=1'}}")))
        .hasMessageContaining(at + "path.value");
    assertThatThrownBy(() -> parse(config("{'hostname': 'a b'}")))
        .hasMessageContaining(at + "hostname");
    assertThatThrownBy(
            () -> parse(config("{'requestHeaders': {'set': [{'name': ':path', 'value': '/'}]}}")))
        .hasMessageContaining(at + "requestHeaders.set[0].name")
        .hasMessageContaining(":path");
    assertThatThrownBy(
            () ->
                parse(config("{'requestHeaders': {'add': [{'name': 'x', 'value': 'a\\r\\nb'}]}}")))
        .hasMessageContaining(at + "requestHeaders.add[0].value")
        .hasMessageContaining("CR, LF");
    assertThatThrownBy(() -> parse(config("{'requestHeaders': {'remove': [7]}}")))
        .hasMessageContaining(at + "requestHeaders.remove[0]");
    assertThatThrownBy(() -> parse(config("'x'")))
        .hasMessageContaining("routeFilters." + ROUTE)
        .hasMessageContaining("an object");
  }
}
