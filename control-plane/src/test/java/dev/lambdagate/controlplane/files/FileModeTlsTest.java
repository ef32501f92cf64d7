package dev.lambdagate.controlplane.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.ControlPlaneMain;
import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.tls.GatewayCredentialFiles;
import dev.lambdagate.controlplane.tls.GatewayIdentity;
import dev.lambdagate.controlplane.tls.Pem;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File mode keeps its CA in {@code --tls-dir}, writes each Gateway's client credentials there,
 * binds ADS to 127.0.0.1, and a client holding those files (as a local Envoy would) gets the
 * Gateway's configuration. A restart reuses the CA, so written credentials stay valid.
 */
class FileModeTlsTest {
  @Test
  void gatewayCredentialsAreWrittenAndWorkAndTheCaIsReused(@TempDir Path tlsDir) throws Exception {
    String manifests = TestSupport.examplesDir().resolve("secret").toString();
    String caPem;
    try (ControlPlaneMain.Running cp =
        ControlPlaneMain.start(
            "--manifests",
            manifests,
            "--ads-port",
            "0",
            "--tls-dir",
            tlsDir.toString(),
            "--sts-check",
            "off")) {
      assertThat(cp.adsAddress()).isEqualTo("127.0.0.1");
      GatewayCredentialFiles.Paths p = awaitFiles(tlsDir, "default/http");
      assertThat(Files.getPosixFilePermissions(p.privateKey()))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      assertThat(Files.getPosixFilePermissions(tlsDir.resolve("ca.key")))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      assertThat(
              GatewayIdentity.of(
                  Pem.parseCertificate(Files.readString(p.certificate()), "tls.crt")))
          .isEqualTo("default/http");
      caPem = Files.readString(tlsDir.resolve("ca.crt"));
      assertThat(Files.readString(p.caCertificate())).isEqualTo(caPem);

      ManagedChannel channel =
          NettyChannelBuilder.forAddress(
                  new InetSocketAddress("127.0.0.1", cp.adsPort()),
                  TlsChannelCredentials.newBuilder()
                      .keyManager(p.certificate().toFile(), p.privateKey().toFile())
                      .trustManager(p.caCertificate().toFile())
                      .build())
              .build();
      try {
        BlockingQueue<DiscoveryResponse> got = new LinkedBlockingQueue<>();
        StreamObserver<DiscoveryRequest> req =
            AggregatedDiscoveryServiceGrpc.newStub(channel)
                .streamAggregatedResources(
                    new StreamObserver<>() {
                      @Override
                      public void onNext(DiscoveryResponse r) {
                        got.add(r);
                      }

                      @Override
                      public void onError(Throwable t) {}

                      @Override
                      public void onCompleted() {}
                    });
        req.onNext(
            DiscoveryRequest.newBuilder()
                .setNode(Node.newBuilder().setId("local"))
                .setTypeUrl(Resources.V3.LISTENER_TYPE_URL)
                .build());
        DiscoveryResponse lds = got.poll(10, TimeUnit.SECONDS);
        assertThat(lds).isNotNull();
        assertThat(lds.getResources(0).unpack(Listener.class).getName())
            .isEqualTo("default/http/8080");
        req.onCompleted();
      } finally {
        channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
      }
    }
    try (ControlPlaneMain.Running again =
        ControlPlaneMain.start(
            "--manifests",
            manifests,
            "--ads-port",
            "0",
            "--tls-dir",
            tlsDir.toString(),
            "--sts-check",
            "off")) {
      assertThat(Files.readString(tlsDir.resolve("ca.crt"))).as("CA reused").isEqualTo(caPem);
      assertThat(again.tlsDirectory()).isEqualTo(tlsDir);
    }
  }

  private static GatewayCredentialFiles.Paths awaitFiles(Path dir, String gateway)
      throws InterruptedException {
    Path g = dir.resolve("gateways").resolve(gateway);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline && !Files.exists(g.resolve("ca.crt"))) {
      Thread.sleep(50);
    }
    return new GatewayCredentialFiles.Paths(
        g.resolve("tls.crt"), g.resolve("tls.key"), g.resolve("ca.crt"));
  }
}
