package dev.lambdagate.harness.dataplane;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How an {@link EmbeddedDataPlane} starts.
 *
 * @param adsHost control plane host (gRPC over mutual TLS; the server certificate must name this
 *     host or address)
 * @param adsPort control plane port
 * @param credentials the Gateway's client certificate and key, and the CA of the control plane
 * @param nodeId the Envoy node id sent to the control plane
 * @param gateway {@code ns/name}, sent as node metadata {@code gateway} (informational: the control
 *     plane takes the Gateway from the client certificate)
 * @param wasm the local {@code lambdagate.wasm} run for every {@code envoy.filters.http.wasm}
 * @param bindOverride when non-null, every listener binds this address instead of the LDS one
 *     (tests bind 127.0.0.1)
 * @param vmsPerListener Wasm VMs per listener configuration (Envoy runs one per worker thread)
 * @param initialBackoff first reconnect delay after the control plane goes away
 * @param maxBackoff longest reconnect delay
 * @param renackDelay delay before NACKing the same rejected version again (a state-of-the-world
 *     server re-sends a rejected snapshot at once; this keeps that loop slow)
 * @param adsApiType the ADS protocol, as a bootstrap's {@code ads_config.api_type}: {@link
 *     AdsApiType#DELTA_GRPC} (what lambdagate's bootstraps use) or state-of-the-world {@link
 *     AdsApiType#GRPC}
 * @param log where one-line status messages go
 */
public record DataPlaneOptions(
    String adsHost,
    int adsPort,
    XdsClientCredentials credentials,
    String nodeId,
    String gateway,
    Path wasm,
    String bindOverride,
    int vmsPerListener,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration renackDelay,
    AdsApiType adsApiType,
    Consumer<String> log) {

  public DataPlaneOptions {
    Objects.requireNonNull(adsHost, "adsHost");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(wasm, "wasm");
    Objects.requireNonNull(adsApiType, "adsApiType");
    Objects.requireNonNull(log, "log");
    if (vmsPerListener < 1) {
      throw new IllegalArgumentException("vmsPerListener must be at least 1");
    }
  }

  /**
   * Defaults: delta ADS, listeners bind what LDS says, 1 VM per listener config, 250 ms..5 s
   * backoff.
   */
  public static DataPlaneOptions of(
      String adsHost,
      int adsPort,
      XdsClientCredentials credentials,
      String nodeId,
      String gateway,
      Path wasm) {
    return new DataPlaneOptions(
        adsHost,
        adsPort,
        credentials,
        nodeId,
        gateway,
        wasm,
        null,
        1,
        Duration.ofMillis(250),
        Duration.ofSeconds(5),
        Duration.ofSeconds(1),
        AdsApiType.DELTA_GRPC,
        line -> System.err.println("[dataplane] " + line));
  }

  public DataPlaneOptions withBindOverride(String address) {
    return new DataPlaneOptions(
        adsHost,
        adsPort,
        credentials,
        nodeId,
        gateway,
        wasm,
        address,
        vmsPerListener,
        initialBackoff,
        maxBackoff,
        renackDelay,
        adsApiType,
        log);
  }

  public DataPlaneOptions withLog(Consumer<String> newLog) {
    return new DataPlaneOptions(
        adsHost,
        adsPort,
        credentials,
        nodeId,
        gateway,
        wasm,
        bindOverride,
        vmsPerListener,
        initialBackoff,
        maxBackoff,
        renackDelay,
        adsApiType,
        newLog);
  }

  public DataPlaneOptions withBackoff(Duration initial, Duration max) {
    return new DataPlaneOptions(
        adsHost,
        adsPort,
        credentials,
        nodeId,
        gateway,
        wasm,
        bindOverride,
        vmsPerListener,
        initial,
        max,
        renackDelay,
        adsApiType,
        log);
  }

  public DataPlaneOptions withVmsPerListener(int count) {
    return new DataPlaneOptions(
        adsHost,
        adsPort,
        credentials,
        nodeId,
        gateway,
        wasm,
        bindOverride,
        count,
        initialBackoff,
        maxBackoff,
        renackDelay,
        adsApiType,
        log);
  }

  /** The same with the ADS protocol {@code type} (a bootstrap's {@code ads_config.api_type}). */
  public DataPlaneOptions withAdsApiType(AdsApiType type) {
    return new DataPlaneOptions(
        adsHost,
        adsPort,
        credentials,
        nodeId,
        gateway,
        wasm,
        bindOverride,
        vmsPerListener,
        initialBackoff,
        maxBackoff,
        renackDelay,
        type,
        log);
  }
}
