package dev.lambdagate.controlplane.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lambdagate.config.Endpoint;
import dev.lambdagate.controlplane.model.BackendModel;
import dev.lambdagate.controlplane.model.Credentials;
import dev.lambdagate.controlplane.model.LambdaTarget;
import dev.lambdagate.controlplane.model.PortModel;
import dev.lambdagate.controlplane.model.RouteModel;
import dev.lambdagate.controlplane.model.VirtualHostModel;
import dev.lambdagate.controlplane.state.ResourceKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class FilterConfigWriterTest {
  private static final LambdaTarget ECHO = echo("ApiGatewayV2", null);

  private static LambdaTarget echo(String transform, Integer functionErrorStatus) {
    return new LambdaTarget(
        "echo",
        null,
        "us-east-1",
        "123456789012",
        null,
        "Sync",
        transform,
        null,
        Endpoint.https("lambda.us-east-1.amazonaws.com"),
        functionErrorStatus,
        null,
        null);
  }

  private static final Endpoint STS = Endpoint.https("sts.us-east-1.amazonaws.com");
  private static final Credentials.Inline LONG_TERM =
      new Credentials.Inline("AKIALONGTERM", "long-term-secret", null);

  private static BackendModel backend(String id, Credentials c) {
    return new BackendModel(id, "lambdagate|" + id.replace('/', '|'), null, ECHO, c, null);
  }

  private static RouteModel route(
      String name,
      List<RouteModel.WeightedBackend> backends,
      String directResponse,
      RouteModel.UrlRewrite rewrite,
      RouteModel.HeaderModifier headers) {
    return new RouteModel(
        name,
        new ResourceKey("HTTPRoute", "default", "r"),
        0,
        0,
        new RouteModel.MatchModel("PathPrefix", "/api", List.of(), List.of(), null),
        backends,
        directResponse,
        headers,
        rewrite,
        "",
        null,
        null);
  }

  private static List<PortModel> ports(RouteModel... routes) {
    return List.of(
        new PortModel(
            "default/gw/8080",
            8080,
            List.of(new VirtualHostModel("*", List.of("*"), List.of(routes)))));
  }

  private static JsonNode json(List<BackendModel> backends, List<PortModel> ports)
      throws Exception {
    return new ObjectMapper().readTree(FilterConfigWriter.json(backends, ports));
  }

  @Test
  void functionErrorStatusReachesTheFiltersLambdaObjectOnlyWhenSet() throws Exception {
    LambdaTarget with500 = echo("None", 500);
    Credentials.Inline keys = new Credentials.Inline("AKIA", "secret", null);
    List<BackendModel> backends =
        List.of(
            new BackendModel("default/a", "lambdagate|default|a", null, with500, keys, null),
            new BackendModel("default/b", "lambdagate|default|b", null, ECHO, keys, null));
    String json = FilterConfigWriter.json(backends, List.of());

    // Read back by the filter's own parser: what the filter will answer a function error with.
    dev.lambdagate.config.FilterConfig parsed =
        dev.lambdagate.config.FilterConfigParser.parse(
            json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(lambda(parsed, "default/a").functionErrorStatus()).isEqualTo(500);
    assertThat(lambda(parsed, "default/b").functionErrorStatus())
        .isEqualTo(dev.lambdagate.config.LambdaConfig.DEFAULT_FUNCTION_ERROR_STATUS);
    assertThat(
            new ObjectMapper()
                .readTree(json)
                .at("/backends/default~1b/lambda")
                .has("functionErrorStatus"))
        .isFalse();
  }

  private static dev.lambdagate.config.LambdaConfig lambda(
      dev.lambdagate.config.FilterConfig config, String backendId) {
    return ((dev.lambdagate.config.LambdaBackend) config.backends().get(backendId)).lambda();
  }

  @Test
  void onlyTheSessionOfExchangedKeysIsWrittenAndNoneIsAnError() throws Exception {
    Credentials.SecretSession source =
        new Credentials.SecretSession(LONG_TERM, "us-east-1", STS, null);
    List<BackendModel> backends =
        List.of(
            backend(
                "default/issued",
                source.withSession(new Credentials.Inline("ASIASESSION", "session-secret", "tok"))),
            backend("default/pending", source));
    String text = FilterConfigWriter.json(backends, List.of());
    assertThat(text).doesNotContain("AKIALONGTERM").doesNotContain("long-term-secret");
    JsonNode j = new ObjectMapper().readTree(text);
    JsonNode issued = j.at("/backends/default~1issued/credentials");
    assertThat(issued.get("accessKeyId").asText()).isEqualTo("ASIASESSION");
    assertThat(issued.get("sessionToken").asText()).isEqualTo("tok");
    JsonNode pending = j.at("/backends/default~1pending");
    assertThat(pending.get("error").asText())
        .startsWith("Backend default/pending: no session credentials for its Secret's keys yet");
    assertThat(pending.has("lambda")).isFalse();
    assertThat(j.at("/clusters").toString())
        .isEqualTo(
            "{\"lambdagate|default|issued\":\"default/issued\","
                + "\"lambdagate|default|pending\":\"default/pending\"}");
  }

  @Test
  void roleChainingWritesTheRoleAndItsBase() throws Exception {
    Credentials.WebIdentity identity =
        new Credentials.WebIdentity(
            "arn:aws:iam::123456789012:role/gw",
            "jwt",
            "us-east-1",
            STS,
            "lambdagate-sts|us-east-1");
    Credentials.Chained chained =
        new Credentials.Chained(
            identity,
            "arn:aws:iam::444455556666:role/invoker",
            null,
            "ext",
            "us-east-1",
            STS,
            "lambdagate-sts|us-east-1");
    JsonNode c =
        json(List.of(backend("default/fn", chained)), List.of())
            .at("/backends/default~1fn/credentials");
    assertThat(c.at("/assumeRole/roleArn").asText())
        .isEqualTo("arn:aws:iam::444455556666:role/invoker");
    assertThat(c.at("/assumeRole/externalId").asText()).isEqualTo("ext");
    assertThat(c.at("/assumeRole").has("roleSessionName")).isFalse();
    assertThat(c.at("/assumeRole/stsEndpoint").asText())
        .isEqualTo("https://sts.us-east-1.amazonaws.com");
    assertThat(c.at("/webIdentity/token").asText()).isEqualTo("jwt");
    assertThat(c.at("/webIdentity/stsCluster").asText()).isEqualTo("lambdagate-sts|us-east-1");
  }

  @Test
  void routesNameTheirSingleBackendOrTheErrorABrokenRouteAnswers() throws Exception {
    RouteModel single =
        route(
            "default/r/rule-0/match-0",
            List.of(new RouteModel.WeightedBackend("default/fn", "lambdagate|default|fn", 1)),
            null,
            null,
            null);
    RouteModel split =
        route(
            "default/r/rule-1/match-0",
            List.of(
                new RouteModel.WeightedBackend("default/fn", "lambdagate|default|fn", 1),
                new RouteModel.WeightedBackend("default/other", "lambdagate|default|other", 1)),
            null,
            null,
            null);
    RouteModel broken =
        route("default/r/rule-2/match-0", List.of(), "rule 2 has no backendRefs", null, null);
    JsonNode j = json(List.of(backend("default/fn", LONG_TERM)), ports(single, split, broken));
    assertThat(j.at("/routes").toString())
        .as("a weighted route is routed by Envoy's cluster, not by name")
        .isEqualTo(
            "{\"default/r/rule-0/match-0\":\"default/fn\","
                + "\"default/r/rule-2/match-0\":\"invalid-route:default/r/rule-2/match-0\"}");
    assertThat(j.at("/backends").get("invalid-route:default/r/rule-2/match-0").toString())
        .isEqualTo("{\"error\":\"rule 2 has no backendRefs\"}");
    assertThat(j.has("routeFilters")).isFalse();
  }

  /**
   * What Envoy gets (the Listener's constant JSON, each backend's entry in its cluster, each
   * route's filters or error in the route) holds what the whole document holds, read back by the
   * filter's parser.
   */
  @Test
  void theEntriesInClustersAndRoutesHoldWhatTheWholeDocumentHolds() throws Exception {
    BackendModel fn = backend("default/fn", new Credentials.Inline("ASIAX", "s", "t"));
    BackendModel broken =
        new BackendModel(
            "default/broken",
            "lambdagate|default|broken",
            null,
            null,
            null,
            "Secret default/x not found");
    RouteModel single =
        route(
            "default/r/rule-0/match-0",
            List.of(new RouteModel.WeightedBackend("default/fn", "lambdagate|default|fn", 1)),
            null,
            null,
            null);
    RouteModel rewritten =
        route(
            "default/r/rule-1/match-0",
            List.of(new RouteModel.WeightedBackend("default/fn", "lambdagate|default|fn", 1)),
            null,
            new RouteModel.UrlRewrite("internal.example.com", "ReplaceFullPath", "/v2"),
            null);
    RouteModel invalid =
        route("default/r/rule-2/match-0", List.of(), "rule 2 has no backendRefs", null, null);
    List<BackendModel> backends = List.of(broken, fn);
    ObjectMapper mapper = new ObjectMapper();
    JsonNode whole =
        mapper.readTree(FilterConfigWriter.json(backends, ports(single, rewritten, invalid)));

    dev.lambdagate.config.FilterConfig listener =
        dev.lambdagate.config.FilterConfigParser.parse(
            FilterConfigWriter.listenerJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(listener.clusterMetadataBackends()).isTrue();
    assertThat(listener.routeMetadata()).isTrue();
    assertThat(listener.backends()).isEmpty();
    for (BackendModel b : backends) {
      String entry = FilterConfigWriter.backendJson(b);
      assertThat(mapper.readTree(entry)).as(b.id()).isEqualTo(whole.at("/backends").get(b.id()));
      dev.lambdagate.config.Backend parsed =
          dev.lambdagate.config.FilterConfigParser.parseClusterBackend(
              entry.getBytes(java.nio.charset.StandardCharsets.UTF_8), b.clusterName());
      assertThat(parsed instanceof dev.lambdagate.config.InvalidBackend)
          .isEqualTo(b.error() != null);
    }
    assertThat(FilterConfigWriter.routeJson(single)).as("no filters, not broken").isNull();
    JsonNode filters = mapper.readTree(FilterConfigWriter.routeJson(rewritten));
    assertThat(filters.get("filters")).isEqualTo(whole.at("/routeFilters").get(rewritten.name()));
    assertThat(
            dev.lambdagate.config.FilterConfigParser.parseRouteEntry(
                    FilterConfigWriter.routeJson(rewritten)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .filters()
                .pathValue())
        .isEqualTo("/v2");
    JsonNode error = mapper.readTree(FilterConfigWriter.routeJson(invalid));
    assertThat(error.get("error").asText())
        .isEqualTo(
            whole.at("/backends").get("invalid-route:" + invalid.name()).get("error").asText());
  }

  @Test
  void routeFiltersCarryTheMatchedPrefix() throws Exception {
    RouteModel rewritten =
        route(
            "default/r/rule-0/match-0",
            List.of(new RouteModel.WeightedBackend("default/fn", "lambdagate|default|fn", 1)),
            null,
            new RouteModel.UrlRewrite("internal", "ReplacePrefixMatch", "/v2"),
            new RouteModel.HeaderModifier(
                List.of(new RouteModel.Header("x-set", "1")), List.of(), List.of("x-drop")));
    JsonNode f =
        json(List.of(backend("default/fn", LONG_TERM)), ports(rewritten))
            .at("/routeFilters/default~1r~1rule-0~1match-0");
    assertThat(f.toString())
        .isEqualTo(
            "{\"hostname\":\"internal\",\"path\":{\"type\":\"ReplacePrefixMatch\","
                + "\"matchedPrefix\":\"/api\",\"value\":\"/v2\"},\"requestHeaders\":{\"set\":"
                + "[{\"name\":\"x-set\",\"value\":\"1\"}],\"remove\":[\"x-drop\"]}}");
  }
}
