package dev.lambdagate.harness.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.lambdagate.harness.host.FilterOutcome;
import dev.lambdagate.harness.host.FilterStream;
import dev.lambdagate.harness.host.FilterVm;
import dev.lambdagate.harness.host.FilterVmOptions;
import dev.lambdagate.harness.host.HttpMessage;
import dev.lambdagate.harness.host.ModuleUnderTest;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.wasm.v3.Wasm;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.wasm.v3.PluginConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The files in envoy-configs/ parse as Envoy's Bootstrap and the filter accepts their JSON. */
class EnvoyConfigsTest {

  @Test
  void adsBootstrapPointsAtTheControlPlaneOverAds() throws Exception {
    Bootstrap b = EnvoyConfigs.bootstrap("ads-bootstrap.yaml");
    assertThat(b.getNode().getId()).isNotEmpty();
    assertThat(b.getNode().getMetadata().getFieldsOrThrow("gateway").getStringValue())
        .isEqualTo("default/http");
    assertThat(b.getAdmin().getAddress().getSocketAddress().getPortValue()).isEqualTo(19000);
    assertThat(
            b.getLayeredRuntime()
                .getLayers(0)
                .getStaticLayer()
                .getFieldsOrThrow("re2.max_program_size.error_level")
                .getNumberValue())
        .as("the same RE2 program size limit as the provisioned bootstrap")
        .isEqualTo(dev.lambdagate.controlplane.model.RegexCheck.ENVOY_PROGRAM_SIZE_LIMIT);
    assertThat(b.getDynamicResources().getCdsConfig().hasAds()).isTrue();
    assertThat(b.getDynamicResources().getLdsConfig().hasAds()).isTrue();
    String xds =
        b.getDynamicResources().getAdsConfig().getGrpcServices(0).getEnvoyGrpc().getClusterName();
    Cluster cluster =
        b.getStaticResources().getClustersList().stream()
            .filter(c -> c.getName().equals(xds))
            .findFirst()
            .orElseThrow();
    var address =
        cluster
            .getLoadAssignment()
            .getEndpoints(0)
            .getLbEndpoints(0)
            .getEndpoint()
            .getAddress()
            .getSocketAddress();
    assertThat(address.getAddress() + ":" + address.getPortValue()).isEqualTo("127.0.0.1:18000");
    assertThat(cluster.getTypedExtensionProtocolOptionsMap()).isNotEmpty(); // gRPC needs h2
    assertThat(b.getAdmin().getAddress().getSocketAddress().getAddress()).isEqualTo("127.0.0.1");
    assertThat(b.getDynamicResources().getAdsConfig().getSetNodeOnFirstMessageOnly()).isTrue();
    // ADS is mutual TLS with the Gateway's files from the control plane's default --tls-dir.
    UpstreamTlsContext tls =
        cluster.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
    String dir =
        dev.lambdagate.controlplane.ControlPlaneMain.DEFAULT_TLS_DIR
            .resolve("gateways/default/http")
            .toString();
    if (dir.startsWith("/tmp/")) { // the file names /tmp, java.io.tmpdir on Linux
      assertThat(
              tls.getCommonTlsContext().getTlsCertificates(0).getCertificateChain().getFilename())
          .isEqualTo(dir + "/tls.crt");
      assertThat(tls.getCommonTlsContext().getValidationContext().getTrustedCa().getFilename())
          .isEqualTo(dir + "/ca.crt");
    }
    assertThat(tls.getSni()).isEqualTo("localhost");
    assertThat(b.getOverloadManager().getResourceMonitorsList())
        .extracting(m -> m.getName())
        .containsExactly(
            "envoy.resource_monitors.fixed_heap",
            "envoy.resource_monitors.global_downstream_max_connections");
  }

  @Test
  void staticLambdaConfigIsCompleteAndTheFilterAcceptsIt() throws Exception {
    List<String> newer = new ArrayList<>();
    Bootstrap b = EnvoyConfigs.bootstrap(EnvoyConfigs.tree("static-lambda.yaml"), newer);
    assertThat(newer).containsExactly("allow_on_headers_stop_iteration");

    Listener listener = b.getStaticResources().getListeners(0);
    assertThat(listener.getAddress().getSocketAddress().getPortValue()).isEqualTo(8080);
    HttpConnectionManager hcm =
        listener
            .getFilterChains(0)
            .getFilters(0)
            .getTypedConfig()
            .unpack(HttpConnectionManager.class);
    assertThat(hcm.getHttpFiltersList())
        .extracting(f -> f.getName())
        .containsExactly("envoy.filters.http.wasm", "envoy.filters.http.router");
    PluginConfig plugin = hcm.getHttpFilters(0).getTypedConfig().unpack(Wasm.class).getConfig();
    assertThat(plugin.getVmConfig().getRuntime()).isEqualTo("envoy.wasm.runtime.v8");
    assertThat(plugin.getVmConfig().getCode().getLocal().getFilename())
        .isEqualTo("/etc/lambdagate/lambdagate.wasm");
    String json = plugin.getConfiguration().unpack(StringValue.class).getValue();

    Cluster cluster = b.getStaticResources().getClusters(0);
    String routed = hcm.getRouteConfig().getVirtualHosts(0).getRoutes(0).getRoute().getCluster();
    assertThat(cluster.getName()).isEqualTo(routed);
    var address =
        cluster
            .getLoadAssignment()
            .getEndpoints(0)
            .getLbEndpoints(0)
            .getEndpoint()
            .getAddress()
            .getSocketAddress();
    assertThat(address.getAddress() + ":" + address.getPortValue())
        .isEqualTo("lambda.us-east-1.amazonaws.com:443");
    assertThat(
            cluster.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class).getSni())
        .isEqualTo("lambda.us-east-1.amazonaws.com");

    // the embedded data plane understands the same listener and cluster
    ListenerConfig translated = XdsTranslator.listener(listener);
    assertThat(translated.wasm().configuration()).isEqualTo(json);
    // the same edge settings and failure policy the control plane emits
    assertThat(plugin.getFailurePolicy())
        .isEqualTo(io.envoyproxy.envoy.extensions.wasm.v3.FailurePolicy.FAIL_RELOAD);
    assertThat(translated.wasm().reload()).isTrue();
    assertThat(translated.bufferLimitBytes()).isEqualTo(8L * 1024 * 1024);
    assertThat(cluster.getPerConnectionBufferLimitBytes().getValue()).isEqualTo(8 * 1024 * 1024);
    assertThat(translated.limits())
        .isEqualTo(
            new RequestLimits(
                60 * 1024,
                100,
                true,
                false,
                true,
                true,
                RequestLimits.EscapedSlashes.UNESCAPE_AND_REDIRECT,
                java.time.Duration.ofSeconds(10)));
    assertThat(b.getOverloadManager().getActionsCount()).isEqualTo(2);
    assertThat(XdsTranslator.cluster(cluster).tls()).isTrue();

    // the real filter accepts the JSON and turns a request into a Lambda Invoke
    try (FilterVm vm = FilterVm.start(ModuleUnderTest.filter(), FilterVmOptions.of(json));
        FilterStream stream = vm.openStream(Map.of())) {
      FilterOutcome out =
          stream.request(
              new HttpMessage(
                  List.of(
                      new String[] {":method", "POST"},
                      new String[] {":path", "/"},
                      new String[] {":authority", "localhost:8080"},
                      new String[] {":scheme", "http"},
                      new String[] {"content-type", "application/json"}),
                  "{\"key1\":\"value1\"}".getBytes(StandardCharsets.UTF_8)));
      assertThat(out.localReply()).isFalse();
      assertThat(out.message().header(":path")).isEqualTo("/2015-03-31/functions/echo/invocations");
      assertThat(out.message().header(":authority")).isEqualTo("lambda.us-east-1.amazonaws.com");
      assertThat(out.message().header("authorization")).startsWith("AWS4-HMAC-SHA256 ");
    }
  }
}
