package dev.lambdagate.harness.v8;

import static dev.lambdagate.harness.v8.V8HostTest.base64;
import static dev.lambdagate.harness.v8.V8HostTest.header;
import static dev.lambdagate.harness.v8.V8HostTest.headers;
import static dev.lambdagate.harness.v8.V8HostTest.request;
import static dev.lambdagate.harness.v8.V8HostTest.wasm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Routed backends with {@code clusterMetadataBackends}, in V8: the backend of a request comes from
 * the selected cluster's {@code filter_metadata["dev.lambdagate"]} (read as the properties Envoy
 * resolves), is prepared again only when its version changes, and a cluster without an entry is
 * answered 500 rather than forwarded unsigned.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class V8ClusterMetadataTest {
  static final String CONFIG =
      "{\"backends\":{},\"clusterMetadataBackends\":true,\"routeMetadata\":true}";
  static final String METADATA = "xds\0cluster_metadata\0filter_metadata\0dev.lambdagate\0";
  static final String ROUTE_METADATA = "xds\0route_metadata\0filter_metadata\0dev.lambdagate\0";

  static NodeDriver driver;

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(
        NodeDriver.nodeAvailable(),
        "node is not on PATH: the V8 host tests need Node 20 (node --no-liftoff)");
    driver =
        NodeDriver.start(
            wasm(), CONFIG, "--log-level", "debug", "--allow-on-headers-stop-iteration");
    assertThat(driver.ready().path("ready").asBoolean()).as("%s", driver.ready()).isTrue();
  }

  @AfterAll
  static void stop() throws IOException {
    if (driver != null) {
      driver.close();
    }
  }

  static String entry(String function) {
    return entry(function, "");
  }

  static String entry(String function, String moreLambda) {
    return "{\"lambda\":{\"functionName\":\""
        + function
        + "\",\"region\":\"eu-west-1\",\"accountId\":\"123456789012\""
        + moreLambda
        + "},"
        + "\"credentials\":{\"accessKeyId\":\"AKIDEXAMPLE\",\"secretAccessKey\":\""
        + V8HostTest.SECRET
        + "\"}}";
  }

  /** Sends a POST routed to {@code cluster}, whose metadata is {@code version}/{@code entry}. */
  static JsonNode send(String cluster, String version, String entry) throws IOException {
    return send(cluster, version, entry, null, null, null);
  }

  /** As above, the matched route {@code route} carrying {@code routeVersion}/{@code routeEntry}. */
  static JsonNode send(
      String cluster,
      String version,
      String entry,
      String route,
      String routeVersion,
      String routeEntry)
      throws IOException {
    ObjectNode request =
        request(
            List.of(
                List.of(":method", "POST"),
                List.of(":path", "/orders"),
                List.of(":authority", "gw.example.com"),
                List.of("content-type", "application/json")),
            "{\"a\":1}");
    ObjectNode properties = request.putObject("properties");
    properties.put("xds.cluster_name", cluster);
    if (version != null) {
      properties.put(METADATA + "version", version);
    }
    if (entry != null) {
      properties.put(METADATA + "backend", entry);
    }
    if (route != null) {
      properties.put("xds.route_name", route);
    }
    if (routeVersion != null) {
      properties.put(ROUTE_METADATA + "version", routeVersion);
    }
    if (routeEntry != null) {
      properties.put(ROUTE_METADATA + "route", routeEntry);
    }
    ObjectNode response = request.putObject("response");
    response.set("headers", headers(List.of(List.of(":status", "200"))));
    response.put("body", base64("{}"));
    JsonNode result = driver.send(request);
    assertThat(result.path("error").isMissingNode()).as("result: %s", result).isTrue();
    return result;
  }

  /** Every log line of a result. */
  static String logs(JsonNode result) {
    StringBuilder all = new StringBuilder();
    for (JsonNode log : result.path("logs")) {
      all.append(log.path("message").asText()).append('\n');
    }
    return all.toString();
  }

  @Test
  void theClustersEntryIsTheBackend() throws IOException {
    JsonNode result = send("lambdagate|default|orders", "v1", entry("orders"));
    assertThat(result.path("localReply").asBoolean()).as("%s", result).isFalse();
    assertThat(header(result, ":path"))
        .startsWith("/2015-03-31/functions/")
        .contains("eu-west-1")
        .contains("orders")
        .endsWith("/invocations");
    assertThat(header(result, ":authority")).isEqualTo("lambda.eu-west-1.amazonaws.com");
    assertThat(header(result, "authorization"))
        .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
        .contains("/eu-west-1/lambda/aws4_request");
  }

  @Test
  void theVersionDecidesWhenTheEntryIsReadAgain() throws IOException {
    String cluster = "lambdagate|default|versioned";
    assertThat(header(send(cluster, "a1", entry("first")), ":path")).contains("first");
    // Same version, other entry: the prepared backend is kept (the entry is not even read).
    assertThat(header(send(cluster, "a1", entry("second")), ":path")).contains("first");
    // A new version: the entry is read and prepared again.
    assertThat(header(send(cluster, "a2", entry("second")), ":path")).contains("second");
  }

  @Test
  void aClusterWithoutAnEntryIsAnswered500NeverForwarded() throws IOException {
    JsonNode result = send("some-other-cluster", null, null);
    assertThat(result.path("localReply").asBoolean()).as("%s", result).isTrue();
    assertThat(header(result, ":status")).isEqualTo("500");
    assertThat(logs(result))
        .contains("cluster some-other-cluster has no lambdagate backend in its metadata");
  }

  @Test
  void anEntryThatDoesNotParseIsAnswered500AndNamesTheCluster() throws IOException {
    JsonNode result =
        send("lambdagate|default|broken", "b1", "{\"lambda\":{\"region\":\"us-east-1\"}}");
    assertThat(result.path("localReply").asBoolean()).as("%s", result).isTrue();
    assertThat(header(result, ":status")).isEqualTo("500");
    assertThat(logs(result))
        .contains("cluster lambdagate|default|broken metadata backend")
        .contains("functionName");
  }

  @Test
  void aRoutesFiltersInItsMetadataShapeTheEvent() throws IOException {
    JsonNode result =
        send(
            "lambdagate|default|events",
            "e1",
            entry("events", ",\"payloadTransformMode\":\"Envoy\""),
            "default/r/rule-0/match-0",
            "r1",
            "{\"filters\":{\"hostname\":\"internal.example\","
                + "\"path\":{\"type\":\"ReplaceFullPath\",\"value\":\"/v2\"}}}");
    assertThat(result.path("localReply").asBoolean()).as("%s", result).isFalse();
    JsonNode event =
        NodeDriver.JSON.readTree(V8LambdaModeTest.decode(result.path("body").asText()));
    assertThat(event.path("raw_path").asText()).isEqualTo("/v2");
    assertThat(event.path("headers").path("host").asText()).isEqualTo("internal.example");
    // A route without metadata leaves the request as the client sent it.
    JsonNode plain =
        NodeDriver.JSON.readTree(
            V8LambdaModeTest.decode(
                send(
                        "lambdagate|default|events",
                        "e1",
                        entry("events", ",\"payloadTransformMode\":\"Envoy\""))
                    .path("body")
                    .asText()));
    assertThat(plain.path("raw_path").asText()).isEqualTo("/orders");
  }

  @Test
  void aBrokenRouteInItsMetadataIsAnswered500() throws IOException {
    JsonNode result =
        send(
            "lambdagate|default|orders",
            "v1",
            entry("orders"),
            "default/r/rule-2/match-0",
            "x1",
            "{\"error\":\"rule 2 of HTTPRoute default/r has no backendRefs\"}");
    assertThat(result.path("localReply").asBoolean()).as("%s", result).isTrue();
    assertThat(header(result, ":status")).isEqualTo("500");
    assertThat(logs(result)).contains("rule 2 of HTTPRoute default/r has no backendRefs");
  }

  @Test
  void aRouteEntryThatDoesNotParseIsAnswered500AndNamesTheRoute() throws IOException {
    JsonNode result =
        send(
            "lambdagate|default|orders",
            "v1",
            entry("orders"),
            "default/r/rule-3/match-0",
            "y1",
            "{\"filters\":{\"path\":{\"type\":\"Sideways\",\"value\":\"/x\"}}}");
    assertThat(result.path("localReply").asBoolean()).as("%s", result).isTrue();
    assertThat(header(result, ":status")).isEqualTo("500");
    assertThat(logs(result))
        .contains("route default/r/rule-3/match-0: route metadata route.filters.path.type");
  }

  @Test
  void aRequestWithoutAClusterPassesUntouched() throws IOException {
    ObjectNode request =
        request(List.of(List.of(":method", "GET"), List.of(":path", "/direct")), "");
    JsonNode result = driver.send(request);
    assertThat(result.path("localReply").asBoolean()).as("%s", result).isFalse();
    assertThat(header(result, ":path")).isEqualTo("/direct");
    assertThat(header(result, "authorization")).isNull();
  }
}
