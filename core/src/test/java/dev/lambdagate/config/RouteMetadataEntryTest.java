package dev.lambdagate.config;

import static dev.lambdagate.config.ConfigJson.json;
import static dev.lambdagate.config.ConfigJson.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A route's entry as its metadata carries it, and the flag that says routes carry one. */
class RouteMetadataEntryTest {

  @Test
  void theFlagIsOffUnlessSet() throws Exception {
    assertThat(parse("{'backends': {}}").routeMetadata()).isFalse();
    assertThat(parse("{'backends': {}, 'routeMetadata': true}").routeMetadata()).isTrue();
  }

  @Test
  void readsFilters() throws Exception {
    RouteMetadataEntry e =
        FilterConfigParser.parseRouteEntry(
            json(
                "{'filters': {'hostname': 'internal.example.com', 'path': {'type':"
                    + " 'ReplacePrefixMatch', 'matchedPrefix': '/api', 'value': '/'}}}"));
    assertThat(e.invalid()).isNull();
    assertThat(e.filters().hostname()).isEqualTo("internal.example.com");
    assertThat(e.filters().pathRewrite()).isEqualTo(RouteFilters.PathRewrite.REPLACE_PREFIX_MATCH);
    assertThat(e.filters().matchedPrefix()).isEqualTo("/api");
  }

  @Test
  void readsAnError() throws Exception {
    RouteMetadataEntry e =
        FilterConfigParser.parseRouteEntry(json("{'error': 'rule 2 has no backendRefs'}"));
    assertThat(e.filters()).isNull();
    assertThat(e.invalid().message()).isEqualTo("rule 2 has no backendRefs");
  }

  @Test
  void badEntriesNameTheKey() {
    assertThatThrownBy(() -> FilterConfigParser.parseRouteEntry(json("{}")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("route metadata route")
        .hasMessageContaining("filters or error");
    assertThatThrownBy(
            () ->
                FilterConfigParser.parseRouteEntry(
                    json("{'filters': {'path': {'type': 'ReplaceFullPath', 'value': 'x'}}}")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("filters.path.value");
  }
}
