package dev.lambdagate.harness.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The properties a stream's filter reads ({@code proxy_get_property}, looked up by exact path in
 * {@code FilterStream}): the route's cluster's {@code metadata.filter_metadata} string values come
 * out as {@code xds.cluster_metadata.filter_metadata.<namespace>.<key>}, as Envoy's Wasm host
 * resolves them; anything else under that prefix is "not found".
 */
class ListenerServerPropertiesTest {
  static final List<String> PREFIX = List.of("xds", "cluster_metadata", "filter_metadata");

  @Test
  void theRouteClustersMetadataStringsAreProperties() throws Exception {
    Cluster proto =
        Xds.cluster("lambdagate|default|lambda", "127.0.0.1", 9001).toBuilder()
            .setMetadata(
                Metadata.newBuilder()
                    .putFilterMetadata(
                        "dev.lambdagate",
                        Struct.newBuilder()
                            .putFields("backend", string("default/lambda"))
                            .putFields("version", string("7f3a9c"))
                            .putFields("weight", Value.newBuilder().setNumberValue(5).build())
                            .putFields("flag", Value.newBuilder().setBoolValue(true).build())
                            .putFields(
                                "nested",
                                Value.newBuilder()
                                    .setStructValue(
                                        Struct.newBuilder().putFields("inner", string("x")))
                                    .build())
                            .build())
                    .putFilterMetadata(
                        "other.ns", Struct.newBuilder().putFields("k", string("v")).build()))
            .build();
    ClusterConfig cluster = XdsTranslator.cluster(proto);

    Map<List<String>, byte[]> p = properties(cluster.name(), cluster);

    assertThat(text(p, "xds", "cluster_name")).isEqualTo("lambdagate|default|lambda");
    assertThat(text(p, path("dev.lambdagate", "backend"))).isEqualTo("default/lambda");
    assertThat(text(p, path("dev.lambdagate", "version"))).isEqualTo("7f3a9c");
    assertThat(text(p, path("other.ns", "k"))).isEqualTo("v");
    // Only string leaves, one level under the namespace: numbers, booleans, Structs not found.
    assertThat(p)
        .doesNotContainKeys(
            path("dev.lambdagate", "weight"),
            path("dev.lambdagate", "flag"),
            path("dev.lambdagate", "nested"),
            path("dev.lambdagate", "missing"));
    // Exact paths: the namespace is one segment, not "dev" then "lambdagate".
    assertThat(p)
        .doesNotContainKey(
            List.of("xds", "cluster_metadata", "filter_metadata", "dev", "lambdagate", "backend"));
    long metadataProperties =
        p.keySet().stream().filter(k -> k.size() > 3 && k.subList(0, 3).equals(PREFIX)).count();
    assertThat(metadataProperties).isEqualTo(3);
  }

  @Test
  void noClusterOrAnUnknownOneHasNoMetadataProperties() {
    Map<List<String>, byte[]> unknown = properties("not-in-cds", null);
    assertThat(text(unknown, "xds", "cluster_name")).isEqualTo("not-in-cds");
    assertThat(unknown.keySet()).noneMatch(k -> k.size() > 3 && k.subList(0, 3).equals(PREFIX));

    Map<List<String>, byte[]> direct = properties(null, null);
    assertThat(direct).doesNotContainKey(List.of("xds", "cluster_name"));
    assertThat(text(direct, "xds", "route_name")).isEqualTo("route-1");
  }

  static Map<List<String>, byte[]> properties(String clusterName, ClusterConfig cluster) {
    return ListenerServer.filterProperties(
        Map.of(),
        "route-1",
        "vh",
        "http",
        clusterName,
        cluster,
        new InetSocketAddress("127.0.0.1", 40000),
        new InetSocketAddress("127.0.0.1", 8080),
        "req-1");
  }

  static List<String> path(String namespace, String key) {
    return List.of("xds", "cluster_metadata", "filter_metadata", namespace, key);
  }

  static String text(Map<List<String>, byte[]> p, String... path) {
    return text(p, List.of(path));
  }

  static String text(Map<List<String>, byte[]> p, List<String> path) {
    byte[] v = p.get(path);
    return v == null ? null : new String(v, StandardCharsets.UTF_8);
  }

  static Value string(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }
}
