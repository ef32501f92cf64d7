package dev.lambdagate.harness.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lambdagate.controlplane.tls.CertificateAuthority;
import dev.lambdagate.controlplane.tls.IssuedCertificate;
import dev.lambdagate.harness.cli.RunCommand;
import dev.lambdagate.harness.emulator.lambda.InvocationRecord;
import dev.lambdagate.harness.host.ModuleUnderTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS end to end: the {@code run} stack on {@code examples/secret} with HTTPS listeners added to
 * its Gateway, each with a {@code kubernetes.io/tls} Secret. The control plane turns them into SNI
 * filter chains with DownstreamTlsContexts; the embedded data plane terminates TLS, choosing the
 * certificate by SNI as Envoy chooses the filter chain, and the request reaches the Lambda emulator
 * signed. An SNI no listener names gets the hostname-less listener's chain; on a port without one
 * it is refused; plaintext on an HTTPS port gets no HTTP answer.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class HttpsEndToEndTest {
  @TempDir static Path dir;
  static RunCommand.Stack stack;
  static int httpsPort;
  static int sniOnlyPort;
  static final ByteArrayOutputStream log = new ByteArrayOutputStream();
  static final CertificateAuthority CA = CertificateAuthority.create(Clock.systemUTC());
  static final IssuedCertificate SHOP = CA.issueServer(List.of("shop.example.com"), List.of());
  static final IssuedCertificate DEFAULT = CA.issueServer(List.of("gw.example.com"), List.of());
  static final IssuedCertificate WILD = CA.issueServer(List.of("*.api.example.com"), List.of());

  @BeforeAll
  static void start() throws Exception {
    int[] p = reserve(3);
    int lambdaPort = p[0];
    httpsPort = p[1];
    sniOnlyPort = p[2];
    Path source = QuickStartEndToEndTest.repoRoot().resolve("examples").resolve("secret");
    Path manifests = Files.createDirectories(dir.resolve("secret"));
    try (Stream<Path> files = Files.list(source)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.writeString(
            manifests.resolve(f.getFileName()),
            Files.readString(f).replace("http://127.0.0.1:9001", "http://127.0.0.1:" + lambdaPort));
      }
    }
    // The example's HTTP listener goes (its port is fixed); HTTPS listeners take its place.
    String gateway = Files.readString(manifests.resolve("gateway.yaml"));
    gateway =
        gateway.substring(0, gateway.indexOf("  - protocol: HTTP"))
            + https("default", httpsPort, null, "default-cert")
            + https("shop", httpsPort, "shop.example.com", "shop-cert")
            + https("api", httpsPort, "*.api.example.com", "wild-cert")
            + https("only", sniOnlyPort, "shop.example.com", "shop-cert");
    Files.writeString(manifests.resolve("gateway.yaml"), gateway);
    Files.writeString(
        manifests.resolve("tls.yaml"),
        secret("default-cert", DEFAULT)
            + "---\n"
            + secret("shop-cert", SHOP)
            + "---\n"
            + secret("wild-cert", WILD));
    stack =
        RunCommand.start(
            RunCommand.Options.defaults(manifests, ModuleUnderTest.path())
                .withPorts(lambdaPort, 0, 0, 0)
                .withDataPlane("embedded"),
            new PrintStream(log, true, StandardCharsets.UTF_8));
  }

  @AfterAll
  static void stop() {
    System.err.println(log.toString(StandardCharsets.UTF_8).replaceAll("(?m)^", "[stack] "));
    if (stack != null) {
      stack.close();
    }
    assertThat(log.toString(StandardCharsets.UTF_8))
        .as("no private key in the stack's log")
        .doesNotContain("PRIVATE KEY")
        .doesNotContain(SHOP.privateKeyPem().substring(40, 80));
  }

  static String https(String name, int port, String hostname, String secret) {
    return "  - protocol: HTTPS\n"
        + "    port: "
        + port
        + "\n"
        + "    name: "
        + name
        + "\n"
        + (hostname == null ? "" : "    hostname: \"" + hostname + "\"\n")
        + "    tls:\n"
        + "      certificateRefs:\n"
        + "      - name: "
        + secret
        + "\n"
        + "    allowedRoutes:\n"
        + "      namespaces:\n"
        + "        from: All\n";
  }

  static String secret(String name, IssuedCertificate c) {
    Base64.Encoder b64 = Base64.getEncoder();
    return "apiVersion: v1\nkind: Secret\nmetadata:\n  name: "
        + name
        + "\n  namespace: default\ntype: kubernetes.io/tls\ndata:\n  tls.crt: "
        + b64.encodeToString(c.certificatePem().getBytes(StandardCharsets.US_ASCII))
        + "\n  tls.key: "
        + b64.encodeToString(c.privateKeyPem().getBytes(StandardCharsets.US_ASCII))
        + "\n";
  }

  @Test
  void eachSniGetsItsListenersCertificateAndReachesLambdaSigned() throws Exception {
    Reply shop = send(httpsPort, "shop.example.com");
    assertThat(shop.certificate()).isEqualTo(SHOP.certificate());
    assertThat(shop.protocol()).isIn("TLSv1.2", "TLSv1.3");
    assertThat(shop.statusLine()).isEqualTo("HTTP/1.1 200 OK");
    InvocationRecord call = stack.lambda().invocations().last().orElseThrow();
    assertThat(call.verification().isValid()).isTrue();
    assertThat(call.bodyText()).isEqualTo(BODY);
    assertThat(shop.body()).contains("value1");

    // A wildcard hostname matches any subdomain depth, as Envoy's server_names and Gateway API do.
    assertThat(send(httpsPort, "v1.api.example.com").certificate()).isEqualTo(WILD.certificate());
    assertThat(send(httpsPort, "a.b.api.example.com").certificate()).isEqualTo(WILD.certificate());
    // api.example.com itself is not *.api.example.com: the default chain.
    assertThat(send(httpsPort, "api.example.com").certificate()).isEqualTo(DEFAULT.certificate());
  }

  @Test
  void anUnknownSniOrNoneGetsTheHostnamelessListenersChain() throws Exception {
    Reply other = send(httpsPort, "other.example.org");
    assertThat(other.certificate()).isEqualTo(DEFAULT.certificate());
    assertThat(other.statusLine()).isEqualTo("HTTP/1.1 200 OK");
    Reply none = send(httpsPort, null);
    assertThat(none.certificate()).isEqualTo(DEFAULT.certificate());
    assertThat(none.statusLine()).isEqualTo("HTTP/1.1 200 OK");
  }

  @Test
  void withoutAHostnamelessListenerAnUnknownSniIsRefused() throws Exception {
    assertThat(send(sniOnlyPort, "shop.example.com").certificate()).isEqualTo(SHOP.certificate());
    assertThatThrownBy(() -> send(sniOnlyPort, "other.example.org"))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> send(sniOnlyPort, null)).isInstanceOf(IOException.class);
  }

  @Test
  void plaintextOnAnHttpsPortGetsNoHttpAnswer() throws Exception {
    long seen = stack.lambda().invocations().count();
    try (Socket s = new Socket("127.0.0.1", httpsPort)) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      out.write(request("gw").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String reply;
      try {
        reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      } catch (IOException e) {
        reply = ""; // reset
      }
      assertThat(reply).doesNotStartWith("HTTP/1.1 200");
    }
    assertThat(stack.lambda().invocations().count()).isEqualTo(seen);
  }

  // ----------------------------------------------------------------------------- helpers

  record Reply(X509Certificate certificate, String protocol, String statusLine, String body) {}

  static final String BODY = "{\"key1\":\"value1\"}";

  static String request(String host) {
    return "POST /echo HTTP/1.1\r\nHost: "
        + host
        + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
        + BODY.length()
        + "\r\n\r\n"
        + BODY;
  }

  /** One POST /echo over TLS with {@code sni} (null: none), trusting only the test CA. */
  static Reply send(int port, String sni) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("ca", CA.certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
      s.setSoTimeout(60_000);
      SSLParameters params = s.getSSLParameters();
      // No endpoint identification: the test checks which certificate came, not the name.
      params.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
      params.setApplicationProtocols(new String[] {"h2", "http/1.1"});
      s.setSSLParameters(params);
      try {
        s.startHandshake();
      } catch (SSLException e) {
        throw new IOException("handshake failed: " + e.getMessage(), e);
      }
      assertThat(s.getApplicationProtocol())
          .as("the embedded data plane speaks HTTP/1.1 only")
          .isEqualTo("http/1.1");
      X509Certificate peer = (X509Certificate) s.getSession().getPeerCertificates()[0];
      s.getOutputStream()
          .write(request(sni == null ? "gw" : sni).getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      int eol = reply.indexOf("\r\n");
      return new Reply(
          peer,
          s.getSession().getProtocol(),
          eol < 0 ? reply : reply.substring(0, eol),
          reply.substring(reply.indexOf("\r\n\r\n") + 4));
    }
  }

  static int[] reserve(int n) throws IOException {
    int[] p = new int[n];
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0);
        held.add(s);
        p[i] = s.getLocalPort();
      }
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
    return p;
  }
}
