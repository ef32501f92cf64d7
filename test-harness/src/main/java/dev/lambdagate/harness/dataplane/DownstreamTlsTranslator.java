package dev.lambdagate.harness.dataplane;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.lambdagate.controlplane.tls.Pem;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The downstream TLS side of an LDS listener: its listener filters and filter chains' {@code
 * DownstreamTlsContext}s become a {@link ServerTls}, or are rejected as Envoy would reject them (a
 * certificate or key that does not load, a key that is not the certificate's, two chains matching
 * the same names) or as the embedded data plane cannot serve them (SDS, files, other match fields).
 * Errors name the listener, the chain and the field, never a key. Stateless.
 */
final class DownstreamTlsTranslator {
  static final String TLS_INSPECTOR = "envoy.filters.listener.tls_inspector";
  static final String TLS_INSPECTOR_TYPE =
      "type.googleapis.com/" + TlsInspector.getDescriptor().getFullName();
  static final String DOWNSTREAM_TLS_TYPE =
      "type.googleapis.com/" + DownstreamTlsContext.getDescriptor().getFullName();

  private DownstreamTlsTranslator() {}

  /** Only the TLS inspector is known; it reads the SNI the chains match on. */
  static void checkListenerFilters(Listener l, String where) throws XdsRejectedException {
    for (ListenerFilter f : l.getListenerFiltersList()) {
      String type = f.hasTypedConfig() ? f.getTypedConfig().getTypeUrl() : "";
      if (!(type.equals(TLS_INSPECTOR_TYPE)
          || (type.isEmpty() && f.getName().equals(TLS_INSPECTOR)))) {
        throw new XdsRejectedException(
            where
                + ": listener filter '"
                + f.getName()
                + "' is not supported (only "
                + TLS_INSPECTOR
                + ")");
      }
    }
  }

  /**
   * The TLS of {@code chains}, all of which carry a DownstreamTlsContext, each matching only on
   * {@code server_names}.
   */
  static ServerTls serverTls(List<FilterChain> chains, String where) throws XdsRejectedException {
    List<ServerTls.Chain> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    boolean catchAll = false;
    for (int i = 0; i < chains.size(); i++) {
      FilterChain fc = chains.get(i);
      String cwhere = where + ": filter chain " + (fc.getName().isEmpty() ? i : fc.getName());
      FilterChainMatch m = fc.getFilterChainMatch();
      if (!m.toBuilder().clearServerNames().build().equals(FilterChainMatch.getDefaultInstance())) {
        throw new XdsRejectedException(
            cwhere + ": filter_chain_match supports server_names only here");
      }
      if (m.getServerNamesCount() == 0) {
        if (catchAll) {
          throw new XdsRejectedException(
              cwhere + ": multiple filter chains with the same matching rules are defined");
        }
        catchAll = true;
      }
      for (String n : m.getServerNamesList()) {
        if (!names.add(n.toLowerCase(java.util.Locale.ROOT))) {
          throw new XdsRejectedException(
              cwhere + ": multiple filter chains with the same matching rules are defined");
        }
      }
      out.add(chain(fc, cwhere));
    }
    try {
      return new ServerTls(out);
    } catch (GeneralSecurityException e) {
      throw new XdsRejectedException(where + ": cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private static ServerTls.Chain chain(FilterChain fc, String where) throws XdsRejectedException {
    var ts = fc.getTransportSocket();
    if (!ts.hasTypedConfig() || !ts.getTypedConfig().getTypeUrl().equals(DOWNSTREAM_TLS_TYPE)) {
      throw new XdsRejectedException(
          where
              + ": transport_socket '"
              + ts.getName()
              + "' is not supported (envoy.transport_sockets.tls with a DownstreamTlsContext)");
    }
    DownstreamTlsContext ctx;
    try {
      ctx = ts.getTypedConfig().unpack(DownstreamTlsContext.class);
    } catch (InvalidProtocolBufferException e) {
      throw new XdsRejectedException(where + ": invalid DownstreamTlsContext", e);
    }
    if (ctx.hasRequireClientCertificate() && ctx.getRequireClientCertificate().getValue()) {
      throw new XdsRejectedException(where + ": require_client_certificate is not supported");
    }
    CommonTlsContext common = ctx.getCommonTlsContext();
    if (common.getTlsCertificateSdsSecretConfigsCount() > 0) {
      throw new XdsRejectedException(
          where + ": tls_certificate_sds_secret_configs (SDS) is not supported; inline only");
    }
    if (common.hasValidationContext() || common.hasValidationContextSdsSecretConfig()) {
      throw new XdsRejectedException(where + ": client certificate validation is not supported");
    }
    if (common.getTlsCertificatesCount() == 0) {
      throw new XdsRejectedException(where + ": no tls_certificates");
    }
    List<ServerTls.Certificate> certs = new ArrayList<>();
    for (int i = 0; i < common.getTlsCertificatesCount(); i++) {
      certs.add(certificate(common.getTlsCertificates(i), where + ": tls_certificates[" + i + "]"));
    }
    return new ServerTls.Chain(
        where,
        fc.getFilterChainMatch().getServerNamesList(),
        certs,
        protocols(common.getTlsParams(), where),
        common.getAlpnProtocolsList());
  }

  private static ServerTls.Certificate certificate(TlsCertificate c, String where)
      throws XdsRejectedException {
    String chainPem = inline(c.getCertificateChain(), where + ".certificate_chain");
    String keyPem = inline(c.getPrivateKey(), where + ".private_key");
    X509Certificate[] chain;
    try {
      chain =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(chainPem.getBytes(StandardCharsets.US_ASCII)))
              .stream()
              .map(X509Certificate.class::cast)
              .toArray(X509Certificate[]::new);
    } catch (GeneralSecurityException | RuntimeException e) {
      chain = new X509Certificate[0];
    }
    if (chain.length == 0) {
      throw new XdsRejectedException(where + ".certificate_chain: not a PEM certificate chain");
    }
    PrivateKey key;
    try {
      key = Pem.parsePrivateKey(keyPem, "private_key");
    } catch (RuntimeException e) {
      // Never pass on the parser's message: it could quote the key.
      throw new XdsRejectedException(where + ".private_key: not a PEM private key");
    }
    if (!keyMatches(key, chain[0])) {
      throw new XdsRejectedException(
          where + ": the private key is not the key of the certificate chain's first certificate");
    }
    return new ServerTls.Certificate(where, chain, key);
  }

  private static String inline(DataSource d, String where) throws XdsRejectedException {
    return switch (d.getSpecifierCase()) {
      case INLINE_STRING -> d.getInlineString();
      case INLINE_BYTES -> d.getInlineBytes().toString(StandardCharsets.US_ASCII);
      default ->
          throw new XdsRejectedException(
              where
                  + ": only inline_string/inline_bytes are supported (got "
                  + d.getSpecifierCase()
                  + ")");
    };
  }

  /** What Envoy checks when it loads a pair: the key signs what the certificate verifies. */
  static boolean keyMatches(PrivateKey key, X509Certificate cert) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        };
    if (algorithm == null || !key.getAlgorithm().equals(cert.getPublicKey().getAlgorithm())) {
      return false;
    }
    try {
      byte[] probe = "lambdagate key check".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(algorithm);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(algorithm);
      v.initVerify(cert.getPublicKey());
      v.update(probe);
      return v.verify(sig);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** Envoy's defaults for a server: TLS 1.2 to 1.3. */
  static List<String> protocols(TlsParameters p, String where) throws XdsRejectedException {
    int min = version(p.getTlsMinimumProtocolVersion(), 2, where);
    int max = version(p.getTlsMaximumProtocolVersion(), 3, where);
    if (min > max) {
      throw new XdsRejectedException(where + ": tls_minimum_protocol_version above the maximum");
    }
    List<String> out = new ArrayList<>();
    for (int v = min; v <= max; v++) {
      out.add(v == 0 ? "TLSv1" : "TLSv1." + v);
    }
    return out;
  }

  private static int version(TlsParameters.TlsProtocol p, int auto, String where)
      throws XdsRejectedException {
    return switch (p) {
      case TLS_AUTO -> auto;
      case TLSv1_0 -> 0;
      case TLSv1_1 -> 1;
      case TLSv1_2 -> 2;
      case TLSv1_3 -> 3;
      default -> throw new XdsRejectedException(where + ": unknown TLS protocol version");
    };
  }
}
