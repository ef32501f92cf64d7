package dev.lambdagate.harness.dataplane;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The state-of-the-world ADS client: one {@code StreamAggregatedResources} stream; wildcard CDS and
 * LDS, RDS for the route configuration names the listeners reference. Every response is ACKed
 * (version and nonce) once applied, or NACKed (last accepted version, the nonce, and an {@code
 * error_detail}) and the last good configuration kept. When the stream fails, it reconnects with
 * exponential backoff, keeping what it serves and re-sending the versions it holds.
 *
 * <p>The channel is TLS with the Gateway's client certificate ({@link XdsClientCredentials}), and,
 * as Envoy does with {@code set_node_on_first_message_only: true}, the node goes only on the first
 * request of each stream.
 *
 * <p>Thread-safety: all protocol state is confined to one scheduler thread.
 */
final class AdsClient implements AutoCloseable {
  private static final List<String> ORDER =
      List.of(XdsTranslator.CLUSTER_TYPE, XdsTranslator.LISTENER_TYPE, XdsTranslator.ROUTE_TYPE);

  private final DataPlaneOptions options;
  private final EmbeddedDataPlane plane;
  private final Node node;
  private final ScheduledExecutorService exec =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "ads-client");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, TypeState> types = new HashMap<>();
  private final Map<String, String> accepted = new ConcurrentHashMap<>();
  private final Map<String, String> rejections = new ConcurrentHashMap<>();
  private ManagedChannel channel;
  private StreamObserver<DiscoveryRequest> requests;
  private int generation;

  /** Whether the current stream's first request (the one carrying the node) was sent. */
  private boolean nodeSent;

  private Duration backoff;
  private volatile boolean connected;
  private volatile boolean closed;

  /** Per type: what was last accepted and seen. */
  private static final class TypeState {
    String version = "";
    String nonce = "";
    Set<String> names = new TreeSet<>();
    String nackedVersion;
    String nackedError;
  }

  AdsClient(DataPlaneOptions options, EmbeddedDataPlane plane) {
    this.options = options;
    this.plane = plane;
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
    for (String t : ORDER) {
      types.put(t, new TypeState());
    }
    this.backoff = options.initialBackoff();
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
            "ADS: connecting to "
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
    requests =
        AggregatedDiscoveryServiceGrpc.newStub(channel)
            .streamAggregatedResources(
                new StreamObserver<>() {
                  @Override
                  public void onNext(DiscoveryResponse response) {
                    later(
                        () -> {
                          if (gen == generation) {
                            onResponse(response);
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
                });
    // On a new stream, nonces start over; versions are what we hold (Envoy does the same).
    for (TypeState s : types.values()) {
      s.nonce = "";
      s.nackedVersion = null;
    }
    send(XdsTranslator.CLUSTER_TYPE, null);
    send(XdsTranslator.LISTENER_TYPE, null);
    TypeState rds = types.get(XdsTranslator.ROUTE_TYPE);
    rds.names = plane.routeNamesInUse();
    if (!rds.names.isEmpty()) {
      send(XdsTranslator.ROUTE_TYPE, null);
    }
  }

  private void later(Runnable task) {
    try {
      exec.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // closed: nothing more to do
    }
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

  private void onResponse(DiscoveryResponse response) {
    connected = true;
    backoff = options.initialBackoff();
    String type = response.getTypeUrl();
    TypeState state = types.get(type);
    if (state == null) {
      // A type we never asked for: NACK it so the server knows.
      sendRaw(
          DiscoveryRequest.newBuilder()
              .setTypeUrl(type)
              .setResponseNonce(response.getNonce())
              .setErrorDetail(
                  Status.newBuilder()
                      .setCode(Code.INVALID_ARGUMENT_VALUE)
                      .setMessage("type " + type + " is not supported by the embedded data plane"))
              .build());
      return;
    }
    state.nonce = response.getNonce();
    try {
      apply(type, response.getResourcesList());
      state.version = response.getVersionInfo();
      state.nackedVersion = null;
      accepted.put(type, state.version);
      rejections.remove(type);
      options
          .log()
          .accept(
              "ADS: ACK "
                  + shortType(type)
                  + " version "
                  + response.getVersionInfo()
                  + " ("
                  + response.getResourcesCount()
                  + " resources)");
      send(type, null);
    } catch (XdsRejectedException e) {
      String error = e.getMessage();
      rejections.put(type, error);
      boolean repeat =
          response.getVersionInfo().equals(state.nackedVersion) && error.equals(state.nackedError);
      state.nackedVersion = response.getVersionInfo();
      state.nackedError = error;
      if (!repeat) {
        options
            .log()
            .accept(
                "ADS: NACK "
                    + shortType(type)
                    + " version "
                    + response.getVersionInfo()
                    + ": "
                    + error
                    + " (keeping version '"
                    + state.version
                    + "')");
        send(type, error);
      } else {
        // The server re-sent what was just rejected: answer, but slowly.
        int gen = generation;
        String nonce = state.nonce;
        exec.schedule(
            () -> {
              if (gen == generation && nonce.equals(state.nonce)) {
                send(type, error);
              }
            },
            options.renackDelay().toMillis(),
            TimeUnit.MILLISECONDS);
      }
    }
    if (type.equals(XdsTranslator.LISTENER_TYPE)) {
      TypeState rds = types.get(XdsTranslator.ROUTE_TYPE);
      Set<String> wanted = plane.routeNamesInUse();
      if (!wanted.equals(rds.names)) {
        rds.names = wanted;
        send(XdsTranslator.ROUTE_TYPE, null);
      }
    }
  }

  private void apply(String type, List<Any> resources) throws XdsRejectedException {
    switch (type) {
      case XdsTranslator.CLUSTER_TYPE -> {
        Map<String, ClusterConfig> next = new LinkedHashMap<>();
        for (Any any : resources) {
          ClusterConfig c = XdsTranslator.cluster(unpack(any, Cluster.class));
          if (next.put(c.name(), c) != null) {
            throw new XdsRejectedException("duplicate cluster '" + c.name() + "'");
          }
        }
        plane.applyClusters(next);
      }
      case XdsTranslator.LISTENER_TYPE -> {
        Map<String, ListenerConfig> next = new LinkedHashMap<>();
        for (Any any : resources) {
          ListenerConfig l = XdsTranslator.listener(unpack(any, Listener.class));
          if (next.put(l.name(), l) != null) {
            throw new XdsRejectedException("duplicate listener '" + l.name() + "'");
          }
        }
        plane.applyListeners(next);
      }
      case XdsTranslator.ROUTE_TYPE -> {
        Map<String, RouteTable> next = new LinkedHashMap<>();
        for (Any any : resources) {
          RouteTable t = XdsTranslator.routes(unpack(any, RouteConfiguration.class));
          next.put(t.name(), t);
        }
        plane.applyRoutes(next);
      }
      default -> throw new IllegalStateException(type);
    }
  }

  private static <T extends com.google.protobuf.Message> T unpack(Any any, Class<T> type)
      throws XdsRejectedException {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new XdsRejectedException(
          "cannot decode " + any.getTypeUrl() + ": " + e.getMessage(), e);
    }
  }

  private void send(String type, String error) {
    TypeState state = types.get(type);
    DiscoveryRequest.Builder b =
        DiscoveryRequest.newBuilder()
            .setTypeUrl(type)
            .setVersionInfo(state.version)
            .setResponseNonce(state.nonce);
    if (type.equals(XdsTranslator.ROUTE_TYPE)) {
      b.addAllResourceNames(state.names);
    }
    if (error != null) {
      b.setErrorDetail(Status.newBuilder().setCode(Code.INVALID_ARGUMENT_VALUE).setMessage(error));
    }
    sendRaw(b.build());
  }

  private void sendRaw(DiscoveryRequest request) {
    if (requests == null) {
      return;
    }
    if (!nodeSent) {
      request = request.toBuilder().setNode(node).build();
      nodeSent = true;
    }
    try {
      requests.onNext(request);
    } catch (RuntimeException e) {
      options.log().accept("ADS: cannot send (" + e.getMessage() + ")");
    }
  }

  private static String shortType(String typeUrl) {
    return switch (typeUrl) {
      case XdsTranslator.CLUSTER_TYPE -> "CDS";
      case XdsTranslator.LISTENER_TYPE -> "LDS";
      case XdsTranslator.ROUTE_TYPE -> "RDS";
      default -> typeUrl;
    };
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
                if (requests != null) {
                  try {
                    requests.onCompleted();
                  } catch (RuntimeException ignored) {
                    // the stream is already gone
                  }
                }
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
    Objects.requireNonNull(node);
  }
}
