package dev.lambdagate.controlplane.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lambdagate.controlplane.PgvValidation;
import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.kube.CrdSchemaValidator;
import dev.lambdagate.controlplane.model.EdgeLimits;
import dev.lambdagate.controlplane.model.GatewayModel;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.wasm.v3.Wasm;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.wasm.v3.FailurePolicy;
import io.envoyproxy.envoy.extensions.wasm.v3.PluginConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What every emitted listener carries for the edge (docs/control-plane.md, "Edge hardening"),
 * FAIL_RELOAD on the wire, the Lambda clusters' buffer limit, and GatewayParameters' {@code
 * spec.edgeLimits} overriding the defaults.
 */
class EdgeHardeningTest {
  static final int EIGHT_MIB = 8 * 1024 * 1024;

  static GatewayModel gateway(String example, String gatewayParametersExtra) throws Exception {
    Path dir = TestSupport.examplesDir().resolve(example);
    String yaml;
    try (Stream<Path> files = Files.list(dir)) {
      yaml =
          files
              .sorted()
              .map(
                  f -> {
                    try {
                      return Files.readString(f);
                    } catch (java.io.IOException e) {
                      throw new IllegalStateException(e);
                    }
                  })
              .collect(Collectors.joining("\n---\n"));
    }
    if (gatewayParametersExtra != null) {
      yaml = yaml.replace("spec:\n  kube:\n", "spec:\n" + gatewayParametersExtra + "  kube:\n");
    }
    return TestSupport.modelBuilder()
        .build(TestSupport.loader().loadString(example, yaml))
        .gateways()
        .get(0);
  }

  static HttpConnectionManager hcm(Listener l) throws Exception {
    return l.getFilterChains(0).getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class);
  }

  @Test
  void failReloadWithItsBackoffIsOnTheWire() throws Exception {
    Listener l = TestSupport.translator().translate(gateway("secret", null)).listeners().get(0);
    // re-parsed from the bytes Envoy receives
    Wasm wasm = Wasm.parseFrom(hcm(l).getHttpFilters(0).getTypedConfig().getValue());
    PluginConfig plugin = PluginConfig.parseFrom(wasm.getConfig().toByteArray());
    assertThat(plugin.getFailurePolicy()).isEqualTo(FailurePolicy.FAIL_RELOAD);
    assertThat(plugin.getFailOpen()).isFalse();
    assertThat(plugin.getReloadConfig().getBackoff().getBaseInterval().getSeconds()).isEqualTo(1);
    assertThat(plugin.getReloadConfig().getBackoff().getMaxInterval().getSeconds()).isEqualTo(30);
  }

  @Test
  void listenersAndLambdaClustersCarryTheEdgeSettings() throws Exception {
    EnvoyResources r = TestSupport.translator().translate(gateway("irsa", null));
    Listener l = r.listeners().get(0);
    assertThat(l.getPerConnectionBufferLimitBytes().getValue()).isEqualTo(EIGHT_MIB);
    HttpConnectionManager hcm = hcm(l);
    assertThat(hcm.getUseRemoteAddress().getValue()).isTrue();
    assertThat(hcm.getNormalizePath().getValue()).isTrue();
    assertThat(hcm.getMergeSlashes()).isTrue();
    assertThat(hcm.getPathWithEscapedSlashesAction())
        .isEqualTo(HttpConnectionManager.PathWithEscapedSlashesAction.UNESCAPE_AND_REDIRECT);
    assertThat(hcm.getCommonHttpProtocolOptions().getHeadersWithUnderscoresAction())
        .isEqualTo(HttpProtocolOptions.HeadersWithUnderscoresAction.REJECT_REQUEST);
    assertThat(hcm.getCommonHttpProtocolOptions().getMaxHeadersCount().getValue()).isEqualTo(100);
    assertThat(hcm.getCommonHttpProtocolOptions().getIdleTimeout().getSeconds()).isEqualTo(3600);
    assertThat(hcm.getMaxRequestHeadersKb().getValue()).isEqualTo(60);
    assertThat(hcm.getRequestHeadersTimeout().getSeconds()).isEqualTo(10);
    assertThat(hcm.getStreamIdleTimeout().getSeconds()).isEqualTo(300);
    assertThat(hcm.getRequestTimeout().getSeconds()).isEqualTo(960);
    assertThat(hcm.getHttp2ProtocolOptions().getMaxConcurrentStreams().getValue()).isEqualTo(100);
    // Envoy uses an HTTP/2 stream's window as its buffer limit: as large as the listener's
    assertThat(hcm.getHttp2ProtocolOptions().getInitialStreamWindowSize().getValue())
        .isEqualTo(EIGHT_MIB);
    for (Cluster c : r.clusters()) {
      if (c.getName().startsWith("lambdagate|")) {
        assertThat(c.getPerConnectionBufferLimitBytes().getValue())
            .as(c.getName())
            .isEqualTo(EIGHT_MIB);
      } else {
        assertThat(c.hasPerConnectionBufferLimitBytes()).as(c.getName()).isFalse();
      }
    }
    assertThat(r.clusters()).anyMatch(c -> c.getName().startsWith("lambdagate-sts|"));
    for (var m : r.all()) {
      PgvValidation.validate(m);
    }
  }

  @Test
  void gatewayParametersOverrideTheDefaultsFieldByField() throws Exception {
    String extra =
        """
          edgeLimits:
            bufferLimitBytes: 16777216
            requestHeadersTimeout: 5s
            requestTimeout: 0s
            maxRequestHeadersKb: 96
        """;
    GatewayModel g = gateway("irsa", extra);
    assertThat(g.edgeLimits())
        .isEqualTo(new EdgeLimits(16_777_216, 5_000, 300_000, 0, 3_600_000, 96, 100, 100));
    EnvoyResources r = new EnvoyTranslator(TranslatorOptions.defaults()).translate(g);
    HttpConnectionManager hcm = hcm(r.listeners().get(0));
    assertThat(r.listeners().get(0).getPerConnectionBufferLimitBytes().getValue())
        .isEqualTo(16_777_216);
    assertThat(hcm.getRequestHeadersTimeout().getSeconds()).isEqualTo(5);
    assertThat(hcm.getRequestTimeout().getSeconds()).isZero();
    assertThat(hcm.getMaxRequestHeadersKb().getValue()).isEqualTo(96);
    assertThat(hcm.getStreamIdleTimeout().getSeconds()).as("not overridden").isEqualTo(300);
    for (var m : r.all()) {
      PgvValidation.validate(m);
    }
    // the same document passes the CRD schema; an out-of-range one does not
    CrdSchemaValidator schema = CrdSchemaValidator.fromResource("crds/gatewayparameters.yaml");
    JsonNode doc =
        new YAMLMapper()
            .readTree(
                Files.readString(TestSupport.examplesDir().resolve("irsa/gatewayparameters.yaml"))
                    .replace("spec:\n", "spec:\n" + extra));
    assertThat(schema.validate(doc)).isEmpty();
    JsonNode bad =
        new YAMLMapper()
            .readTree(
                Files.readString(TestSupport.examplesDir().resolve("irsa/gatewayparameters.yaml"))
                    .replace(
                        "spec:\n",
                        "spec:\n"
                            + "  edgeLimits:\n    maxRequestHeadersKb: 9000\n    streamIdleTimeout: soon\n"));
    assertThat(String.join("\n", schema.validate(bad)))
        .contains("maxRequestHeadersKb")
        .contains("streamIdleTimeout");
  }

  @Test
  void anOverrideOutOfEnvoysRangeKeepsTheDefaults() throws Exception {
    GatewayModel g = gateway("irsa", "  edgeLimits:\n    bufferLimitBytes: 1024\n");
    assertThat(g.edgeLimits()).isEqualTo(EdgeLimits.DEFAULTS);
  }
}
