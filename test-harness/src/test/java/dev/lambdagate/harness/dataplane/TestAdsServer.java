package dev.lambdagate.harness.dataplane;

import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.Status;
import dev.lambdagate.controlplane.tls.GatewayCredentialFiles;
import dev.lambdagate.controlplane.tls.XdsServerTls;
import dev.lambdagate.controlplane.xds.GatewayAuthInterceptor;
import dev.lambdagate.controlplane.xds.GatewayNodeGroup;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An ADS server for tests: java-control-plane's {@code SimpleCache} behind its {@code
 * V3DiscoveryServer}, served as the control plane serves it — mutual TLS with a CA of its own, the
 * Gateway taken from the client certificate and the stream's first node filled into later requests
 * ({@link GatewayAuthInterceptor}), snapshots keyed by Gateway — on a localhost port that survives
 * {@link #stop}/{@link #start} (so "the control plane went away and came back" can be tested).
 * Records every request as the client sent it, per stream, state of the world and delta alike.
 */
final class TestAdsServer implements AutoCloseable {
  final SimpleCache<String> cache = new SimpleCache<>(new GatewayNodeGroup());

  /** Every request as received from the client (before the node is filled in). */
  final List<Recorded> requests = new CopyOnWriteArrayList<>();

  /** The same, one list per stream, in the order streams started. */
  final List<List<Recorded>> streams = new CopyOnWriteArrayList<>();

  /**
   * One request as the client sent it: a state-of-the-world {@link DiscoveryRequest} or a {@link
   * DeltaDiscoveryRequest}, read through the fields both have.
   */
  record Recorded(Message raw) {
    boolean delta() {
      return raw instanceof DeltaDiscoveryRequest;
    }

    DeltaDiscoveryRequest asDelta() {
      return (DeltaDiscoveryRequest) raw;
    }

    String getTypeUrl() {
      return delta() ? asDelta().getTypeUrl() : ((DiscoveryRequest) raw).getTypeUrl();
    }

    boolean hasNode() {
      return delta() ? asDelta().hasNode() : ((DiscoveryRequest) raw).hasNode();
    }

    Node getNode() {
      return delta() ? asDelta().getNode() : ((DiscoveryRequest) raw).getNode();
    }

    String getResponseNonce() {
      return delta() ? asDelta().getResponseNonce() : ((DiscoveryRequest) raw).getResponseNonce();
    }

    boolean hasErrorDetail() {
      return delta() ? asDelta().hasErrorDetail() : ((DiscoveryRequest) raw).hasErrorDetail();
    }

    Status getErrorDetail() {
      return delta() ? asDelta().getErrorDetail() : ((DiscoveryRequest) raw).getErrorDetail();
    }

    /** The version a state-of-the-world request carries; delta requests carry none (""). */
    String getVersionInfo() {
      return delta() ? "" : ((DiscoveryRequest) raw).getVersionInfo();
    }
  }

  private final V3DiscoveryServer discovery;
  private final GatewayCredentialFiles files;
  private final XdsServerTls tls;
  private Server server;
  private int port;

  TestAdsServer() throws IOException {
    discovery = new V3DiscoveryServer(cache);
    files =
        GatewayCredentialFiles.open(
            Files.createTempDirectory("lambdagate-test-ads-"), Clock.systemUTC());
    tls = XdsServerTls.forLoopback(files.ca());
  }

  /** Client credentials of Gateway {@code gateway} from this server's CA. */
  XdsClientCredentials credentials(String gateway) throws IOException {
    GatewayCredentialFiles.Paths p = files.ensureGateway(gateway);
    return new XdsClientCredentials(p.caCertificate(), p.certificate(), p.privateKey());
  }

  Path directory() {
    return files.directory();
  }

  /**
   * Binds port 0 the first time; a restart after {@link #stop} binds the port it had, because the
   * data plane reconnects to the address it was given, as Envoy does. That port is free for other
   * processes only between stop and start, a window no test can avoid that restarts the server.
   */
  TestAdsServer start() throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port), tls.credentials())
            // The recorder is listed last so that it sees requests first, as the client sent them.
            .addService(
                ServerInterceptors.intercept(
                    discovery.getAggregatedDiscoveryServiceImpl(),
                    new GatewayAuthInterceptor(),
                    new Recorder()))
            .build()
            .start();
    port = server.getPort();
    return this;
  }

  void stop() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  int port() {
    return port;
  }

  /**
   * Serves {@code version} to {@code gateway}. Each resource carries the version in its metadata
   * ({@code filter_metadata["lambdagate.test"].snapshot}), so every snapshot changes every
   * resource: a delta server then re-sends all of them, as a state-of-the-world server does, and a
   * test can wait for any type's accepted version whatever the protocol.
   */
  void set(
      String gateway,
      String version,
      List<Cluster> clusters,
      List<Listener> listeners,
      List<RouteConfiguration> routes) {
    io.envoyproxy.envoy.config.core.v3.Metadata stamp =
        io.envoyproxy.envoy.config.core.v3.Metadata.newBuilder()
            .putFilterMetadata(
                "lambdagate.test",
                Struct.newBuilder()
                    .putFields("snapshot", Value.newBuilder().setStringValue(version).build())
                    .build())
            .build();
    cache.setSnapshot(
        gateway,
        Snapshot.create(
            clusters.stream().map(c -> c.toBuilder().setMetadata(stamp).build()).toList(),
            List.of(),
            listeners.stream().map(l -> l.toBuilder().setMetadata(stamp).build()).toList(),
            routes.stream().map(r -> r.toBuilder().setMetadata(stamp).build()).toList(),
            List.of(),
            version));
  }

  /** NACKs seen (requests with an error_detail) for a type URL. */
  List<Recorded> nacks(String typeUrl) {
    return requests.stream()
        .filter(r -> r.getTypeUrl().equals(typeUrl) && r.hasErrorDetail())
        .toList();
  }

  @Override
  public void close() throws InterruptedException {
    if (server != null) {
      stop();
    }
  }

  private final class Recorder implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      List<Recorded> stream = new CopyOnWriteArrayList<>();
      streams.add(stream);
      return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
          next.startCall(call, headers)) {
        @Override
        public void onMessage(Q message) {
          if (message instanceof DiscoveryRequest || message instanceof DeltaDiscoveryRequest) {
            Recorded r = new Recorded((Message) message);
            requests.add(r);
            stream.add(r);
          }
          super.onMessage(message);
        }
      };
    }
  }
}
