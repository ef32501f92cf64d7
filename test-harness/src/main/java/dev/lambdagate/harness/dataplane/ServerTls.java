package dev.lambdagate.harness.dataplane;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Downstream TLS of a listener, as Envoy terminates it for filter chains with a {@code
 * DownstreamTlsContext}: the chain is chosen by the client's SNI the way Envoy matches {@code
 * filter_chain_match.server_names} (an exact name first, then the longest {@code *.} suffix, then
 * the chain without server names; no match, no connection), and the chain's certificate by the key
 * type the handshake asks for. The embedded data plane speaks HTTP/1.1 only, so of the chain's ALPN
 * protocols it only ever selects {@code http/1.1}.
 *
 * <p>Immutable; thread-safe. Two instances are equal when their chains are (the same
 * configuration), whatever their SSL contexts.
 */
final class ServerTls {
  /** How long a client may take to complete the handshake. */
  static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  /** One certificate chain and its key (never printed). */
  record Certificate(String secretName, X509Certificate[] chain, PrivateKey key) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Certificate c
          && java.util.Arrays.equals(chain, c.chain)
          && key.equals(c.key)
          && secretName.equals(c.secretName);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(chain);
    }

    @Override
    public String toString() {
      return "Certificate[" + chain[0].getSubjectX500Principal() + "]";
    }
  }

  /**
   * One filter chain.
   *
   * @param serverNames empty: any SNI (and none)
   * @param protocols the TLS versions enabled, e.g. {@code TLSv1.2}
   * @param alpn the ALPN protocols offered, in preference order
   */
  record Chain(
      String name,
      List<String> serverNames,
      List<Certificate> certificates,
      List<String> protocols,
      List<String> alpn) {
    Chain {
      serverNames = List.copyOf(serverNames);
      certificates = List.copyOf(certificates);
      protocols = List.copyOf(protocols);
      alpn = List.copyOf(alpn);
    }
  }

  private final List<Chain> chains;
  private final Map<String, Chain> exact = new LinkedHashMap<>();
  private final Map<String, Chain> wildcard = new LinkedHashMap<>();
  private final Chain catchAll;
  private final SSLContext context;

  ServerTls(List<Chain> chains) throws GeneralSecurityException {
    this.chains = List.copyOf(chains);
    Chain any = null;
    for (Chain c : chains) {
      if (c.serverNames().isEmpty()) {
        any = c;
      }
      for (String n : c.serverNames()) {
        String name = n.toLowerCase(Locale.ROOT);
        if (name.startsWith("*.")) {
          wildcard.put(name.substring(1), c); // ".example.com"
        } else {
          exact.put(name, c);
        }
      }
    }
    this.catchAll = any;
    this.context = SSLContext.getInstance("TLS");
    context.init(new KeyManager[] {new SniKeyManager()}, null, null);
  }

  List<Chain> chains() {
    return chains;
  }

  /**
   * The chain for {@code sni} (null: the client sent none), as Envoy's filter chain match picks it,
   * or null: Envoy would close the connection.
   */
  Chain chainFor(String sni) {
    if (sni != null) {
      String name = sni.toLowerCase(Locale.ROOT);
      Chain c = exact.get(name);
      if (c != null) {
        return c;
      }
      // Longest suffix first: a.b.example.com tries .b.example.com, then .example.com, then .com.
      for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
        c = wildcard.get(name.substring(dot));
        if (c != null) {
          return c;
        }
      }
    }
    return catchAll;
  }

  /**
   * Runs the server handshake over an accepted connection; the TLS socket to serve on. A failed
   * handshake (no chain for the SNI, no common protocol, a client that goes away) throws; the
   * caller closes the connection.
   */
  SSLSocket handshake(Socket plain) throws IOException {
    SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(plain, null, true);
    s.setUseClientMode(false);
    List<String> protocols = new ArrayList<>();
    for (Chain c : chains) {
      for (String p : c.protocols()) {
        if (!protocols.contains(p)) {
          protocols.add(p);
        }
      }
    }
    s.setEnabledProtocols(protocols.toArray(String[]::new));
    s.setHandshakeApplicationProtocolSelector(
        (socket, offered) -> {
          Chain c = chainFor(sni(socket.getHandshakeSession()));
          // Only HTTP/1.1 is spoken here; "" means no ALPN, as when nothing matches.
          return c != null && c.alpn().contains("http/1.1") && offered.contains("http/1.1")
              ? "http/1.1"
              : "";
        });
    int before = plain.getSoTimeout();
    s.setSoTimeout((int) HANDSHAKE_TIMEOUT.toMillis());
    s.startHandshake();
    Chain c = chainFor(sni(s.getSession()));
    if (c == null || !c.protocols().contains(s.getSession().getProtocol())) {
      s.close();
      throw new IOException("TLS version not enabled on the chosen filter chain");
    }
    s.setSoTimeout(before);
    return s;
  }

  /** The SNI host name of a handshake, or null. */
  static String sni(SSLSession session) {
    if (session instanceof ExtendedSSLSession e) {
      for (SNIServerName n : e.getRequestedServerNames()) {
        if (n.getType() == StandardConstants.SNI_HOST_NAME) {
          return ((SNIHostName) n).getAsciiName();
        }
      }
    }
    return null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServerTls t && chains.equals(t.chains);
  }

  @Override
  public int hashCode() {
    return Objects.hash(chains);
  }

  @Override
  public String toString() {
    return "ServerTls" + chains.stream().map(Chain::name).toList();
  }

  /** Picks the certificate of the chain the SNI selects, of the key type asked for. */
  private final class SniKeyManager extends X509ExtendedKeyManager {
    /** Aliases are {@code chainIndex/certificateIndex}. */
    private String choose(String keyType, SSLSession handshake) {
      Chain c = chainFor(sni(handshake));
      if (c == null) {
        return null;
      }
      int ci = chains.indexOf(c);
      for (int i = 0; i < c.certificates().size(); i++) {
        if (c.certificates().get(i).key().getAlgorithm().equals(keyType)) {
          return ci + "/" + i;
        }
      }
      return null;
    }

    private Certificate certificate(String alias) {
      if (alias == null) {
        return null;
      }
      int slash = alias.indexOf('/');
      try {
        return chains
            .get(Integer.parseInt(alias.substring(0, slash)))
            .certificates()
            .get(Integer.parseInt(alias.substring(slash + 1)));
      } catch (RuntimeException e) {
        return null;
      }
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return socket instanceof SSLSocket s ? choose(keyType, s.getHandshakeSession()) : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return choose(keyType, engine.getHandshakeSession());
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      Certificate c = certificate(alias);
      return c == null ? null : c.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      Certificate c = certificate(alias);
      return c == null ? null : c.key();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      List<String> out = new ArrayList<>();
      for (int ci = 0; ci < chains.size(); ci++) {
        List<Certificate> certs = chains.get(ci).certificates();
        for (int i = 0; i < certs.size(); i++) {
          if (certs.get(i).key().getAlgorithm().equals(keyType)) {
            out.add(ci + "/" + i);
          }
        }
      }
      return out.isEmpty() ? null : out.toArray(String[]::new);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }
  }
}
