package dev.lambdagate.controlplane.xds;

import com.google.common.base.Ticker;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.NodeGroup;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ConfigWatcher} in front of java-control-plane's cache that stops the NACK loop.
 *
 * <p>A NACK carries the last <em>accepted</em> version, so the cache sees a client that is behind
 * and sends the rejected snapshot again at once, forever. Here a request with {@code error_detail}
 * is handed to the cache as if it carried the rejected version (the last one sent to that node for
 * that type): the cache then waits, and only a different snapshot is sent. Each rejection is logged
 * once per group, type and version, and reported to a {@link NackListener}.
 */
public final class NackHoldingWatcher implements ConfigWatcher {
  private static final Logger LOG = LoggerFactory.getLogger(NackHoldingWatcher.class);

  private final ConfigWatcher delegate;
  private final NodeGroup<String> groups;
  private final NackListener listener;

  /**
   * How long the version last sent to a node for a type is kept: Envoy answers a response with its
   * ACK or NACK within moments, and every response renews the entry. Without an end, every proxy
   * pod that ever connected (each has its own node id, and a client picks its own) would stay in
   * the map for the life of the control plane.
   */
  static final Duration KEPT_FOR = Duration.ofMinutes(10);

  /** Entries at most (node, group and type; rejected versions logged), whatever clients send. */
  static final int MAX_ENTRIES = 100_000;

  /** Node id, group and type to the version last sent. */
  private final Cache<String, String> lastSent;

  /** Group, type and version of each rejection logged (so each is logged once). */
  private final Cache<String, Boolean> logged;

  /** Where a rejection's one log line goes: the WARN log, or a test's list. */
  private final Consumer<String> warnings;

  public NackHoldingWatcher(
      ConfigWatcher delegate, NodeGroup<String> groups, NackListener listener) {
    this(delegate, groups, listener, LOG::warn);
  }

  NackHoldingWatcher(
      ConfigWatcher delegate,
      NodeGroup<String> groups,
      NackListener listener,
      Consumer<String> warnings) {
    this(delegate, groups, listener, warnings, Ticker.systemTicker());
  }

  /** With another clock for the entries' expiry (tests). */
  NackHoldingWatcher(
      ConfigWatcher delegate,
      NodeGroup<String> groups,
      NackListener listener,
      Consumer<String> warnings,
      Ticker ticker) {
    this.delegate = delegate;
    this.groups = groups;
    this.listener = listener;
    this.warnings = warnings;
    this.lastSent = bounded(ticker);
    this.logged = bounded(ticker);
  }

  /** Entries kept {@link #KEPT_FOR} after their last write, {@link #MAX_ENTRIES} at most. */
  private static <V> Cache<String, V> bounded(Ticker ticker) {
    return CacheBuilder.newBuilder()
        .ticker(ticker)
        .expireAfterWrite(KEPT_FOR.toNanos(), TimeUnit.NANOSECONDS)
        .maximumSize(MAX_ENTRIES)
        .build();
  }

  /** Node, group and type entries kept now (tests). */
  long entries() {
    lastSent.cleanUp();
    return lastSent.size();
  }

  @Override
  public Watch createWatch(
      boolean ads,
      XdsRequest request,
      Set<String> knownResourceNames,
      Consumer<Response> responseConsumer,
      boolean hasClusterChanged,
      boolean allowDefaultEmptyEdsUpdate) {
    DiscoveryRequest r = request.v3Request();
    String group = groups.hash(r.getNode());
    String type = r.getTypeUrl();
    String key = r.getNode().getId() + "|" + group + "|" + type;
    XdsRequest effective = request;
    if (r.hasErrorDetail()) {
      String rejected = lastSent.getIfPresent(key);
      if (rejected != null) {
        String detail = r.getErrorDetail().getMessage();
        if (logged.asMap().putIfAbsent(group + "|" + type + "|" + rejected, Boolean.TRUE) == null) {
          warnings.accept(
              "Envoy "
                  + r.getNode().getId()
                  + " (gateway "
                  + group
                  + ") rejected "
                  + shortType(type)
                  + " version "
                  + rejected
                  + ": "
                  + detail
                  + "; holding until the configuration changes");
        }
        listener.onNack(group, type, rejected, detail);
        effective = XdsRequest.create(r.toBuilder().setVersionInfo(rejected).build());
      }
    } else if (!r.getVersionInfo().isEmpty()
        && r.getVersionInfo().equals(lastSent.getIfPresent(key))) {
      listener.onAck(group, type, r.getVersionInfo());
    }
    Consumer<Response> tracking =
        response -> {
          lastSent.put(key, response.version());
          responseConsumer.accept(response);
        };
    return delegate.createWatch(
        ads,
        effective,
        knownResourceNames,
        tracking,
        hasClusterChanged,
        allowDefaultEmptyEdsUpdate);
  }

  @Override
  public DeltaWatch createDeltaWatch(
      DeltaXdsRequest request,
      String requesterVersion,
      Map<String, String> resourceVersions,
      Set<String> pendingResources,
      boolean isWildcard,
      Consumer<DeltaResponse> responseConsumer,
      boolean hasClusterChanged) {
    return delegate.createDeltaWatch(
        request,
        requesterVersion,
        resourceVersions,
        pendingResources,
        isWildcard,
        responseConsumer,
        hasClusterChanged);
  }

  static String shortType(String typeUrl) {
    int dot = typeUrl.lastIndexOf('.');
    return dot < 0 ? typeUrl : typeUrl.substring(dot + 1);
  }
}
