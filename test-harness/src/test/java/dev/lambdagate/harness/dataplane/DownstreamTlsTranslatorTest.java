package dev.lambdagate.harness.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import dev.lambdagate.controlplane.tls.CertificateAuthority;
import dev.lambdagate.controlplane.tls.IssuedCertificate;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * LDS listeners with downstream TLS: SNI chains picked as Envoy's {@code server_names} match picks
 * them, and what Envoy (or the embedded data plane) cannot load NACKed without quoting a key.
 */
class DownstreamTlsTranslatorTest {
  static final CertificateAuthority CA = CertificateAuthority.create(Clock.systemUTC());
  static final IssuedCertificate A = CA.issueServer(List.of("a.example.com"), List.of());
  static final IssuedCertificate B = CA.issueServer(List.of("b.example.com"), List.of());

  static FilterChain chain(String name, IssuedCertificate c, String... serverNames) {
    return chain(name, c.certificatePem(), c.privateKeyPem(), serverNames);
  }

  static FilterChain chain(String name, String crt, String key, String... serverNames) {
    return withContext(
        name,
        DownstreamTlsContext.newBuilder()
            .setCommonTlsContext(
                CommonTlsContext.newBuilder()
                    .setTlsParams(
                        TlsParameters.newBuilder()
                            .setTlsMinimumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_2))
                    .addAlpnProtocols("h2")
                    .addAlpnProtocols("http/1.1")
                    .addTlsCertificates(
                        TlsCertificate.newBuilder()
                            .setCertificateChain(DataSource.newBuilder().setInlineString(crt))
                            .setPrivateKey(DataSource.newBuilder().setInlineString(key))))
            .build(),
        serverNames);
  }

  static FilterChain withContext(String name, DownstreamTlsContext ctx, String... serverNames) {
    FilterChain hcm = Xds.listener("l", 8443, "rc", List.of(Xds.router())).getFilterChains(0);
    FilterChain.Builder b =
        hcm.toBuilder()
            .setName(name)
            .setTransportSocket(
                TransportSocket.newBuilder()
                    .setName("envoy.transport_sockets.tls")
                    .setTypedConfig(Any.pack(ctx)));
    if (serverNames.length > 0) {
      b.setFilterChainMatch(FilterChainMatch.newBuilder().addAllServerNames(List.of(serverNames)));
    }
    return b.build();
  }

  static Listener listener(FilterChain... chains) {
    Listener plain = Xds.listener("l", 8443, "rc", List.of(Xds.router()));
    return plain.toBuilder()
        .clearFilterChains()
        .addAllFilterChains(List.of(chains))
        .addListenerFilters(
            ListenerFilter.newBuilder()
                .setName("envoy.filters.listener.tls_inspector")
                .setTypedConfig(Any.pack(TlsInspector.getDefaultInstance())))
        .build();
  }

  @Test
  void sniPicksTheExactNameThenTheLongestWildcardThenTheChainWithoutNames() throws Exception {
    ListenerConfig c =
        XdsTranslator.listener(
            listener(
                chain("any", A),
                chain("wide", A, "*.example.com"),
                chain("narrow", B, "*.api.example.com"),
                chain("exact", B, "v1.api.example.com")));
    ServerTls tls = c.tls();
    assertThat(c.secure()).isTrue();
    assertThat(tls.chainFor("v1.api.example.com").name()).endsWith("exact");
    assertThat(tls.chainFor("V2.API.example.com").name()).endsWith("narrow");
    assertThat(tls.chainFor("x.v2.api.example.com").name()).endsWith("narrow");
    assertThat(tls.chainFor("api.example.com").name()).endsWith("wide");
    assertThat(tls.chainFor("example.com").name())
        .as("*. never matches the parent")
        .endsWith("any");
    assertThat(tls.chainFor(null).name()).endsWith("any");
    assertThat(tls.chainFor("other.org").name()).endsWith("any");
    assertThat(tls.chains().get(0).protocols()).containsExactly("TLSv1.2", "TLSv1.3");

    ServerTls noCatchAll =
        XdsTranslator.listener(listener(chain("exact", B, "b.example.com"))).tls();
    assertThat(noCatchAll.chainFor("other.org")).as("Envoy closes the connection").isNull();
    assertThat(noCatchAll.chainFor(null)).isNull();
  }

  @Test
  void whatEnvoyCouldNotLoadIsRejectedWithoutQuotingTheKey() {
    assertThatThrownBy(
            () ->
                XdsTranslator.listener(
                    listener(chain("crossed", A.certificatePem(), B.privateKeyPem()))))
        .isInstanceOf(XdsRejectedException.class)
        .hasMessage(
            "listener 'l': filter chain crossed: tls_certificates[0]: the private key is not the"
                + " key of the certificate chain's first certificate");
    assertThatThrownBy(
            () ->
                XdsTranslator.listener(
                    listener(chain("garbage", A.certificatePem(), "MIIE-not-a-key-secret"))))
        .isInstanceOf(XdsRejectedException.class)
        .hasMessageEndingWith("tls_certificates[0].private_key: not a PEM private key")
        .hasMessageNotContaining("MIIE");
    assertThatThrownBy(
            () ->
                XdsTranslator.listener(
                    listener(
                        chain("x", A),
                        chain("y", B, "b.example.com"),
                        chain("z", A, "B.example.com"))))
        .isInstanceOf(XdsRejectedException.class)
        .hasMessageContaining("multiple filter chains with the same matching rules");
    assertThatThrownBy(
            () ->
                XdsTranslator.listener(
                    listener(
                        withContext(
                            "sds",
                            DownstreamTlsContext.newBuilder()
                                .setCommonTlsContext(
                                    CommonTlsContext.newBuilder()
                                        .addTlsCertificateSdsSecretConfigs(
                                            SdsSecretConfig.newBuilder().setName("cert")))
                                .build()))))
        .isInstanceOf(XdsRejectedException.class)
        .hasMessageContaining("(SDS) is not supported");
  }

  @Test
  void plaintextAndTlsChainsAndUnknownListenerFiltersAreRejected() {
    FilterChain plain = Xds.listener("l", 8443, "rc", List.of(Xds.router())).getFilterChains(0);
    assertThatThrownBy(
            () -> XdsTranslator.listener(listener(chain("tls", A, "a.example.com"), plain)))
        .isInstanceOf(XdsRejectedException.class)
        .hasMessageContaining("plaintext and TLS filter chains");
    Listener proxyProtocol =
        listener(chain("tls", A)).toBuilder()
            .addListenerFilters(
                ListenerFilter.newBuilder().setName("envoy.filters.listener.proxy_protocol"))
            .build();
    assertThatThrownBy(() -> XdsTranslator.listener(proxyProtocol))
        .isInstanceOf(XdsRejectedException.class)
        .hasMessageContaining("listener filter 'envoy.filters.listener.proxy_protocol'");
  }
}
