package dev.lambdagate.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.base.Ticker;
import com.google.rpc.Status;
import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The documented NACK handling: each rejection is logged once per group, type and version however
 * often Envoy repeats it, while every NACK still reaches the listener and holds the version.
 */
class NackHoldingWatcherTest {
  private static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";

  /** The cache's stand-in: answers every watch at once with the version it is set to. */
  private String cacheVersion = "v1";

  private final List<String> versionsAskedFor = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final List<String> nacks = new ArrayList<>();

  private final ConfigWatcher cache =
      new ConfigWatcher() {
        @Override
        public Watch createWatch(
            boolean ads,
            XdsRequest request,
            Set<String> known,
            java.util.function.Consumer<Response> consumer,
            boolean clusterChanged,
            boolean allowEmpty) {
          versionsAskedFor.add(request.v3Request().getVersionInfo());
          consumer.accept(Response.create(request, List.of(), cacheVersion));
          return new Watch(ads, allowEmpty, request, consumer);
        }

        @Override
        public DeltaWatch createDeltaWatch(
            io.envoyproxy.controlplane.cache.DeltaXdsRequest request,
            String version,
            java.util.Map<String, String> resourceVersions,
            Set<String> pending,
            boolean wildcard,
            java.util.function.Consumer<io.envoyproxy.controlplane.cache.DeltaResponse> consumer,
            boolean clusterChanged) {
          throw new UnsupportedOperationException();
        }
      };

  private long nanos;
  private final Ticker ticker =
      new Ticker() {
        @Override
        public long read() {
          return nanos;
        }
      };

  private final NackHoldingWatcher watcher =
      new NackHoldingWatcher(
          cache,
          node -> "gw",
          new NackListener() {
            @Override
            public void onNack(String group, String typeUrl, String version, String detail) {
              nacks.add(version + ": " + detail);
            }

            @Override
            public void onAck(String group, String typeUrl, String version) {}
          },
          warnings::add,
          ticker);

  private void send(String acceptedVersion, String errorDetail) {
    send("envoy-1", acceptedVersion, errorDetail);
  }

  private void send(String nodeId, String acceptedVersion, String errorDetail) {
    DiscoveryRequest.Builder r =
        DiscoveryRequest.newBuilder()
            .setNode(Node.newBuilder().setId(nodeId))
            .setTypeUrl(LDS)
            .setVersionInfo(acceptedVersion);
    if (errorDetail != null) {
      r.setErrorDetail(Status.newBuilder().setMessage(errorDetail));
    }
    watcher.createWatch(true, XdsRequest.create(r.build()), Set.of(), response -> {}, false, false);
  }

  @Test
  void aRepeatedNackIsLoggedOncePerVersionButAlwaysHeld() {
    send("", null); // first request: v1 sent
    send("", "bad listener"); // v1 rejected
    send("", "bad listener"); // and again, and again
    send("", "bad listener");

    assertThat(warnings)
        .containsExactly(
            "Envoy envoy-1 (gateway gw) rejected Listener version v1:"
                + " bad listener; holding until the configuration changes");
    assertThat(nacks).containsExactly("v1: bad listener", "v1: bad listener", "v1: bad listener");
    // Each NACK reached the cache as if it carried the rejected version, so the cache holds.
    assertThat(versionsAskedFor).containsExactly("", "v1", "v1", "v1");
  }

  /**
   * Every proxy pod has its own node id, and a client picks its own: what is kept per node ends, so
   * pods that came and went (or made-up ids) are not held for the life of the control plane. A node
   * still talking renews its entry with every response, so its NACKs stay held.
   */
  @Test
  void nodesThatWentAwayAreForgottenAndAnActiveOneIsStillHeld() {
    for (int i = 0; i < 1_000; i++) {
      send("pod-" + i, "", null);
    }
    assertThat(watcher.entries()).isEqualTo(1_000);

    nanos += NackHoldingWatcher.KEPT_FOR.toNanos() - 1;
    send("", null); // envoy-1 connects and gets v1
    nanos += 2;
    assertThat(watcher.entries()).as("only the node that was sent something lately").isEqualTo(1);

    send("", "bad listener");
    assertThat(versionsAskedFor.get(versionsAskedFor.size() - 1))
        .as("the NACK is still held")
        .isEqualTo("v1");
  }

  @Test
  void aNewRejectedVersionIsLoggedAgain() {
    send("", null);
    send("", "bad listener");
    cacheVersion = "v2";
    send("", "bad listener"); // the cache answers this one with v2
    send("", "still bad"); // v2 rejected

    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(1)).contains("version v2: still bad");
  }
}
