package dev.lambdagate.controlplane.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.BoolValue;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.model.GatewayModel;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.wasm.v3.Wasm;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import org.junit.jupiter.api.Test;

/**
 * The Wasm PluginConfig on the wire carries {@code allow_on_headers_stop_iteration = true} (field
 * 9, BoolValue), which Envoy 1.35+ needs for a filter that stops the request headers until the body
 * arrives — though the API protos in use do not know the field.
 */
class AllowOnHeadersStopIterationTest {
  @Test
  void pluginConfigBytesCarryField9True() throws Exception {
    GatewayModel gateway =
        TestSupport.modelBuilder()
            .build(TestSupport.loader().loadDirectory(TestSupport.examplesDir().resolve("secret")))
            .gateways()
            .get(0);
    EnvoyResources resources = TestSupport.translator().translate(gateway);
    Listener listener = resources.listeners().get(0);
    HttpConnectionManager hcm =
        listener
            .getFilterChains(0)
            .getFilters(0)
            .getTypedConfig()
            .unpack(HttpConnectionManager.class);
    HttpFilter wasmFilter = hcm.getHttpFilters(0);
    assertThat(wasmFilter.getName()).isEqualTo("envoy.filters.http.wasm");
    // Re-parse from the bytes Envoy receives.
    Wasm wasm = Wasm.parseFrom(wasmFilter.getTypedConfig().getValue());
    CodedInputStream in = CodedInputStream.newInstance(wasm.getConfig().toByteArray());
    BoolValue found = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == 9) {
        assertThat(WireFormat.getTagWireType(tag)).isEqualTo(WireFormat.WIRETYPE_LENGTH_DELIMITED);
        found = BoolValue.parseFrom(in.readBytes());
      } else {
        in.skipField(tag);
      }
    }
    assertThat(found).as("field 9 on the wire").isEqualTo(BoolValue.of(true));
  }
}
