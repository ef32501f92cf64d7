package dev.lambdagate.controlplane.provision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.util.JsonFormat;
import dev.lambdagate.controlplane.PgvValidation;
import dev.lambdagate.controlplane.model.RegexCheck;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.overload.v3.OverloadManager;
import io.envoyproxy.envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig;
import io.envoyproxy.envoy.extensions.resource_monitors.fixed_heap.v3.FixedHeapConfig;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import org.junit.jupiter.api.Test;

/**
 * The provisioned bootstrap parses strictly into Envoy's Bootstrap proto, and its overload manager
 * (the edge guidance's heap and connection limits) passes Envoy's validation rules.
 */
class EnvoyBootstrapTest {
  @Test
  void overloadManagerBoundsHeapAndConnections() throws Exception {
    String yaml =
        EnvoyBootstrap.yaml("default", "http", "lambdagate.lambdagate-system", 18000, 18080);
    Bootstrap.Builder b = Bootstrap.newBuilder();
    JsonFormat.parser()
        .usingTypeRegistry(
            JsonFormat.TypeRegistry.newBuilder()
                .add(FixedHeapConfig.getDescriptor())
                .add(DownstreamConnectionsConfig.getDescriptor())
                .add(HttpProtocolOptions.getDescriptor())
                // the readiness listener and the mutual-TLS ADS cluster
                .add(
                    io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3
                        .HttpConnectionManager.getDescriptor())
                .add(io.envoyproxy.envoy.extensions.filters.http.router.v3.Router.getDescriptor())
                .add(
                    io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
                        .getDescriptor())
                .build())
        .merge(new ObjectMapper().writeValueAsString(new YAMLMapper().readTree(yaml)), b);
    assertThat(
            b.getLayeredRuntime()
                .getLayers(0)
                .getStaticLayer()
                .getFieldsOrThrow("re2.max_program_size.error_level")
                .getNumberValue())
        .as("Envoy's RE2 program size limit, raised for the route regexes the control plane allows")
        .isEqualTo(RegexCheck.ENVOY_PROGRAM_SIZE_LIMIT);
    assertThat(b.getLayeredRuntime().getLayers(1).hasAdminLayer()).isTrue();
    OverloadManager om = b.build().getOverloadManager();
    PgvValidation.validate(om);
    assertThat(om.getResourceMonitorsList())
        .extracting(m -> m.getName())
        .containsExactly(
            "envoy.resource_monitors.fixed_heap",
            "envoy.resource_monitors.global_downstream_max_connections");
    FixedHeapConfig heap = om.getResourceMonitors(0).getTypedConfig().unpack(FixedHeapConfig.class);
    assertThat(heap.getMaxHeapSizeBytes()).isEqualTo(EnvoyBootstrap.MAX_HEAP_BYTES);
    assertThat(
            om.getResourceMonitors(1)
                .getTypedConfig()
                .unpack(DownstreamConnectionsConfig.class)
                .getMaxActiveDownstreamConnections())
        .isEqualTo(EnvoyBootstrap.MAX_DOWNSTREAM_CONNECTIONS);
    assertThat(om.getActionsList())
        .extracting(a -> a.getName() + "@" + a.getTriggers(0).getThreshold().getValue())
        .containsExactly(
            "envoy.overload_actions.shrink_heap@0.95",
            "envoy.overload_actions.stop_accepting_requests@0.98");
  }
}
