package dev.lambdagate.controlplane.tls;

import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * Tests' side of ADS over mutual TLS: a CA, the server TLS it backs, and channels to a server on
 * 127.0.0.1 that present a Gateway's client certificate (or none).
 */
public final class XdsTestTls {
  public final CertificateAuthority ca;
  public final XdsServerTls server;

  private XdsTestTls(CertificateAuthority ca) {
    this.ca = ca;
    this.server = XdsServerTls.forLoopback(ca);
  }

  public static XdsTestTls create() {
    return new XdsTestTls(CertificateAuthority.create(Clock.systemUTC()));
  }

  /** The loopback address on an ephemeral port. */
  public static InetSocketAddress loopback() {
    return new InetSocketAddress("127.0.0.1", 0);
  }

  /** A channel presenting Gateway {@code gateway}'s certificate. */
  public ManagedChannel channel(int port, String gateway) {
    return channel(port, ca.issueGatewayClient(gateway), ca);
  }

  /** A channel presenting {@code client} (null: no client certificate), trusting {@code trust}. */
  public static ManagedChannel channel(
      int port, IssuedCertificate client, CertificateAuthority trust) {
    return channelBuilder(port, client, trust).build();
  }

  /** The builder of {@link #channel(int, IssuedCertificate, CertificateAuthority)}. */
  public static NettyChannelBuilder channelBuilder(
      int port, IssuedCertificate client, CertificateAuthority trust) {
    TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
    try {
      b.trustManager(stream(trust.certificatePem()));
      if (client != null) {
        b.keyManager(stream(client.certificatePem()), stream(client.privateKeyPem()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChannelCredentials creds = b.build();
    return NettyChannelBuilder.forAddress(new InetSocketAddress("127.0.0.1", port), creds);
  }

  private static ByteArrayInputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
  }
}
