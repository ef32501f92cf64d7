package dev.lambdagate.harness.dataplane;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An ADS client: one stream to the control plane, wildcard CDS and LDS, RDS for the route
 * configuration names the listeners reference, each response applied through {@link HeldResources}
 * and then ACKed, or NACKed with an {@code error_detail} and the last good configuration kept. What
 * differs between the protocols lives in the two subclasses: {@link SotwAdsClient} ({@code
 * StreamAggregatedResources}, bootstrap {@code api_type: GRPC}) and {@link DeltaAdsClient} ({@code
 * DeltaAggregatedResources}, {@code api_type: DELTA_GRPC}); {@link #create} picks by {@link
 * DataPlaneOptions#adsApiType()}.
 *
 * <p>Shared here: the channel (TLS with the Gateway's client certificate, {@link
 * XdsClientCredentials}); the node, which as Envoy does with {@code set_node_on_first_message_only:
 * true} goes only on the first request of each stream; reconnecting with exponential backoff when
 * the stream fails, serving the last configuration meanwhile; and the accepted versions and last
 * rejections per type that the plane reports.
 *
 * <p>Thread-safety: all protocol state (here and in the subclasses) is confined to one scheduler
 * thread; {@link #acceptedVersions}, {@link #lastRejections} and {@link #connected} may be read
 * from any thread.
 */
abstract class AdsClient implements AutoCloseable {
  /** The types subscribed, in the order of a stream's first requests. */
  static final List<String> ORDER =
      List.of(XdsTranslator.CLUSTER_TYPE, XdsTranslator.LISTENER_TYPE, XdsTranslator.ROUTE_TYPE);

  final DataPlaneOptions options;
  final EmbeddedDataPlane plane;
  final HeldResources held;
  final ScheduledExecutorService exec =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "ads-client");
            t.setDaemon(true);
            return t;
          });

  /** The current stream's number; responses and failures of older streams are ignored. */
  int generation;

  private final Node node;
  private final Map<String, String> accepted = new ConcurrentHashMap<>();
  private final Map<String, String> rejections = new ConcurrentHashMap<>();
  private ManagedChannel channel;

  /** Whether the current stream's first request (the one carrying the node) was sent. */
  private boolean nodeSent;

  private Duration backoff;
  private volatile boolean connected;
  private volatile boolean closed;

  AdsClient(DataPlaneOptions options, EmbeddedDataPlane plane) {
    this.options = options;
    this.plane = plane;
    this.held = new HeldResources(plane);
    this.node =
        Node.newBuilder()
            .setId(options.nodeId())
            .setCluster("lambdagate-gateway")
            .setUserAgentName("lambdagate-embedded-dataplane")
            .setMetadata(
                Struct.newBuilder()
                    .putFields(
                        "gateway", Value.newBuilder().setStringValue(options.gateway()).build()))
            .build();
    this.backoff = options.initialBackoff();
  }

  /** The client for {@code options.adsApiType()}. */
  static AdsClient create(DataPlaneOptions options, EmbeddedDataPlane plane) {
    return switch (options.adsApiType()) {
      case GRPC -> new SotwAdsClient(options, plane);
      case DELTA_GRPC -> new DeltaAdsClient(options, plane);
    };
  }

  void start() throws IOException {
    XdsClientCredentials c = options.credentials().requireReadable();
    ChannelCredentials tls =
        TlsChannelCredentials.newBuilder()
            .keyManager(c.certificate().toFile(), c.privateKey().toFile())
            .trustManager(c.caCertificate().toFile())
            .build();
    channel = Grpc.newChannelBuilderForAddress(options.adsHost(), options.adsPort(), tls).build();
    exec.execute(this::connect);
  }

  Map<String, String> acceptedVersions() {
    return Map.copyOf(accepted);
  }

  Map<String, String> lastRejections() {
    return Map.copyOf(rejections);
  }

  boolean connected() {
    return connected;
  }

  // ------------------------------------------------------- for the protocols (exec thread)

  /** The protocol's name in log lines. */
  abstract String protocol();

  /**
   * Opens stream {@code gen} on {@code stub} (its responses through {@link #responses}) and sends
   * its first requests.
   */
  abstract void openStream(
      AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceStub stub, int gen);

  /** Half-closes the current stream, if any (the client is closing). */
  abstract void completeStream();

  /** The observer of stream {@code gen}: responses to {@code onResponse} on the exec thread. */
  <R> StreamObserver<R> responses(int gen, Consumer<R> onResponse) {
    return new StreamObserver<>() {
      @Override
      public void onNext(R response) {
        later(
            () -> {
              if (gen == generation) {
                connected = true;
                backoff = options.initialBackoff();
                onResponse.accept(response);
              }
            });
      }

      @Override
      public void onError(Throwable t) {
        later(() -> streamEnded(gen, t.getMessage()));
      }

      @Override
      public void onCompleted() {
        later(() -> streamEnded(gen, "closed by the server"));
      }
    };
  }

  /** The node for the stream's first request, null for every later one. */
  Node nodeOnFirstRequest() {
    if (nodeSent) {
      return null;
    }
    nodeSent = true;
    return node;
  }

  void recordAccepted(String type, String version) {
    accepted.put(type, version);
    rejections.remove(type);
  }

  void recordRejected(String type, String error) {
    rejections.put(type, error);
  }

  void later(Runnable task) {
    try {
      exec.execute(task);
    } catch (RejectedExecutionException closing) {
      // closed: nothing more to do
    }
  }

  static String shortType(String typeUrl) {
    return switch (typeUrl) {
      case XdsTranslator.CLUSTER_TYPE -> "CDS";
      case XdsTranslator.LISTENER_TYPE -> "LDS";
      case XdsTranslator.ROUTE_TYPE -> "RDS";
      default -> typeUrl;
    };
  }

  // ------------------------------------------------------------------ on the exec thread

  private void connect() {
    if (closed) {
      return;
    }
    int gen = ++generation;
    nodeSent = false;
    options
        .log()
        .accept(
            "ADS ("
                + protocol()
                + "): connecting to "
                + options.adsHost()
                + ":"
                + options.adsPort()
                + " (mutual TLS, client certificate "
                + options.credentials().certificate()
                + ") as node '"
                + options.nodeId()
                + "' (gateway "
                + options.gateway()
                + ")");
    openStream(AggregatedDiscoveryServiceGrpc.newStub(channel), gen);
  }

  private void streamEnded(int gen, String why) {
    if (gen != generation || closed) {
      return;
    }
    connected = false;
    generation++;
    Duration delay = backoff;
    backoff =
        backoff.multipliedBy(2).compareTo(options.maxBackoff()) > 0
            ? options.maxBackoff()
            : backoff.multipliedBy(2);
    options
        .log()
        .accept(
            "ADS: stream ended ("
                + why
                + "); still serving the last "
                + "configuration; reconnecting in "
                + delay.toMillis()
                + " ms");
    exec.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      exec.submit(
              () -> {
                generation++;
                completeStream();
              })
          .get(2, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // closing anyway
    }
    exec.shutdownNow();
    if (channel != null) {
      channel.shutdownNow();
      try {
        channel.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    connected = false;
  }
}
