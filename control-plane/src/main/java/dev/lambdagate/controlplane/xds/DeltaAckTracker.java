package dev.lambdagate.controlplane.xds;

import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports ACKs and NACKs of incremental (delta) ADS streams to a {@link NackListener}, as {@link
 * NackHoldingWatcher} does for state-of-the-world streams.
 *
 * <p>A delta ACK or NACK names the response it answers by its nonce only (no version), so the
 * version, type and Gateway of every response sent are kept per stream and nonce until answered or
 * the stream ends. A NACK is a request with that nonce and an {@code error_detail}; it is logged
 * once per group, type and version. java-control-plane's delta streams need no holding: the server
 * tracks what it sent itself, so a NACK does not make it re-send (unlike state of the world, where
 * the NACK's version makes the cache send the rejected snapshot again).
 *
 * <p>Thread-safety: thread-safe; gRPC calls it from any thread.
 */
public final class DeltaAckTracker implements DiscoveryServerCallbacks {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaAckTracker.class);

  /** What one response carried. */
  private record Sent(String group, String typeUrl, String version) {}

  private final GatewayNodeGroup groups;
  private final NackListener listener;
  private final Consumer<String> warnings;

  /** stream id -> nonce -> what was sent with it, until answered. */
  private final Map<Long, Map<String, Sent>> pending = new ConcurrentHashMap<>();

  private final Set<String> logged = ConcurrentHashMap.newKeySet();

  public DeltaAckTracker(GatewayNodeGroup groups, NackListener listener) {
    this(groups, listener, LOG::warn);
  }

  DeltaAckTracker(GatewayNodeGroup groups, NackListener listener, Consumer<String> warnings) {
    this.groups = groups;
    this.listener = listener;
    this.warnings = warnings;
  }

  @Override
  public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
    // State of the world: NackHoldingWatcher reports these.
  }

  @Override
  public void onV3StreamDeltaResponse(
      long streamId, DeltaDiscoveryRequest request, DeltaDiscoveryResponse response) {
    pending
        .computeIfAbsent(streamId, id -> new ConcurrentHashMap<>())
        .put(
            response.getNonce(),
            new Sent(
                groups.hash(request.getNode()),
                response.getTypeUrl(),
                response.getSystemVersionInfo()));
  }

  @Override
  public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
    if (request.getResponseNonce().isEmpty()) {
      return; // a subscription, not an answer
    }
    Map<String, Sent> sent = pending.get(streamId);
    Sent s = sent == null ? null : sent.remove(request.getResponseNonce());
    if (s == null) {
      return; // an answer to a response this tracker never saw (or a stale nonce)
    }
    if (request.hasErrorDetail()) {
      String detail = request.getErrorDetail().getMessage();
      if (logged.add(s.group() + "|" + s.typeUrl() + "|" + s.version())) {
        warnings.accept(
            "Envoy "
                + request.getNode().getId()
                + " (gateway "
                + s.group()
                + ") rejected "
                + NackHoldingWatcher.shortType(s.typeUrl())
                + " version "
                + s.version()
                + " (delta): "
                + detail);
      }
      listener.onNack(s.group(), s.typeUrl(), s.version(), detail);
    } else {
      listener.onAck(s.group(), s.typeUrl(), s.version());
    }
  }

  @Override
  public void onStreamClose(long streamId, String typeUrl) {
    pending.remove(streamId);
  }

  @Override
  public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
    pending.remove(streamId);
  }
}
