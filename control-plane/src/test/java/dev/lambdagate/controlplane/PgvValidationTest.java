package dev.lambdagate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import dev.lambdagate.controlplane.files.ManifestLoader;
import dev.lambdagate.controlplane.translate.EnvoyResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.wasm.v3.Wasm;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.pgv.ValidationException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generated validators are live and reach inside {@code Any}. */
class PgvValidationTest {

  static EnvoyResources irsa() throws Exception {
    var state =
        new ManifestLoader(k -> null).loadDirectory(TestSupport.examplesDir().resolve("irsa"));
    return TestSupport.translator()
        .translate(TestSupport.modelBuilder().build(state).gateways().get(0));
  }

  @Test
  void everyPackedTypeIsChecked() throws Exception {
    List<String> checked = new ArrayList<>();
    for (var m : irsa().all()) {
      checked.addAll(PgvValidation.validate(m));
    }
    assertThat(checked)
        .contains(
            "envoy.config.listener.v3.Listener",
            "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
            "envoy.extensions.filters.http.wasm.v3.Wasm",
            "envoy.extensions.filters.http.router.v3.Router",
            "envoy.config.route.v3.RouteConfiguration",
            "envoy.config.cluster.v3.Cluster",
            "envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext");
  }

  @Test
  void invalidTopLevelResourceIsRejected() {
    Cluster bad = Cluster.newBuilder().setName("").build();
    assertThatThrownBy(() -> PgvValidation.validate(bad)).isInstanceOf(ValidationException.class);
  }

  @Test
  void invalidMessageInsideAnyIsRejected() throws Exception {
    Listener l = irsa().listeners().get(0);
    var filter = l.getFilterChains(0).getFilters(0);
    HttpConnectionManager hcm = filter.getTypedConfig().unpack(HttpConnectionManager.class);
    Wasm wasm = hcm.getHttpFilters(0).getTypedConfig().unpack(Wasm.class);
    // VmConfig.code's oneof is required: an empty AsyncDataSource is invalid.
    Wasm badWasm =
        wasm.toBuilder()
            .setConfig(
                wasm.getConfig().toBuilder()
                    .setVmConfig(
                        wasm.getConfig().getVmConfig().toBuilder()
                            .clearCode()
                            .setCode(
                                io.envoyproxy.envoy.config.core.v3.AsyncDataSource
                                    .getDefaultInstance())))
            .build();
    HttpConnectionManager badHcm =
        hcm.toBuilder()
            .setHttpFilters(0, hcm.getHttpFilters(0).toBuilder().setTypedConfig(Any.pack(badWasm)))
            .build();
    Listener bad =
        l.toBuilder()
            .setFilterChains(
                0,
                l.getFilterChains(0).toBuilder()
                    .setFilters(0, filter.toBuilder().setTypedConfig(Any.pack(badHcm))))
            .build();
    assertThatThrownBy(() -> PgvValidation.validate(bad))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("AsyncDataSource");

    Cluster c =
        irsa().clusters().stream().filter(x -> x.hasTransportSocket()).findFirst().orElseThrow();
    UpstreamTlsContext tls =
        c.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
    UpstreamTlsContext badTls = tls.toBuilder().setSni("x".repeat(300)).build();
    Cluster badCluster =
        c.toBuilder()
            .setTransportSocket(
                TransportSocket.newBuilder()
                    .setName("envoy.transport_sockets.tls")
                    .setTypedConfig(Any.pack(badTls)))
            .build();
    assertThatThrownBy(() -> PgvValidation.validate(badCluster))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("UpstreamTlsContext.sni");
  }
}
