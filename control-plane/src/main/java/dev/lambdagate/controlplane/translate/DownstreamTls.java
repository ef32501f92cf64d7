package dev.lambdagate.controlplane.translate;

import com.google.protobuf.Any;
import dev.lambdagate.controlplane.model.TlsCertificate;
import dev.lambdagate.controlplane.model.TlsChain;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import java.util.List;

/**
 * The filter chains of an HTTPS port: one per Gateway listener, matched on SNI ({@code
 * filter_chain_match.server_names}, the listener's hostname; Envoy matches exact names first, then
 * the longest {@code *.} suffix, then the chain without server names), each terminating TLS with
 * its listener's certificates inline ({@code docs/control-plane.md}, "HTTPS listeners", says why
 * inline rather than SDS) and all running the port's one connection manager. The TLS inspector
 * listener filter reads the SNI Envoy matches on. Stateless.
 */
final class DownstreamTls {
  static final String TLS_INSPECTOR = "envoy.filters.listener.tls_inspector";

  /** What the chains offer by ALPN: the connection manager's codec is AUTO, so both work. */
  static final List<String> ALPN = List.of("h2", "http/1.1");

  private DownstreamTls() {}

  /** Adds the TLS inspector and one TLS filter chain per entry of {@code chains} to {@code l}. */
  static void addTo(Listener.Builder l, List<TlsChain> chains, Filter hcm) {
    l.addListenerFilters(
        ListenerFilter.newBuilder()
            .setName(TLS_INSPECTOR)
            .setTypedConfig(Any.pack(TlsInspector.getDefaultInstance())));
    for (TlsChain c : chains) {
      FilterChain.Builder fc =
          FilterChain.newBuilder()
              .setName(c.listener())
              .setTransportSocket(
                  TransportSocket.newBuilder()
                      .setName(EnvoyTranslator.TLS_SOCKET)
                      .setTypedConfig(Any.pack(context(c))))
              .addFilters(hcm);
      if (c.hostname() != null) {
        fc.setFilterChainMatch(FilterChainMatch.newBuilder().addServerNames(c.hostname()));
      }
      l.addFilterChains(fc);
    }
  }

  /** TLS 1.2 and 1.3 only, h2 and http/1.1 by ALPN, the chain's certificates. */
  static DownstreamTlsContext context(TlsChain c) {
    CommonTlsContext.Builder common =
        CommonTlsContext.newBuilder()
            .setTlsParams(
                TlsParameters.newBuilder()
                    .setTlsMinimumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_2)
                    .setTlsMaximumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_3))
            .addAllAlpnProtocols(ALPN);
    for (TlsCertificate cert : c.certificates()) {
      common.addTlsCertificates(
          io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate.newBuilder()
              .setCertificateChain(DataSource.newBuilder().setInlineString(cert.certificateChain()))
              .setPrivateKey(DataSource.newBuilder().setInlineString(cert.privateKey())));
    }
    return DownstreamTlsContext.newBuilder().setCommonTlsContext(common).build();
  }
}
