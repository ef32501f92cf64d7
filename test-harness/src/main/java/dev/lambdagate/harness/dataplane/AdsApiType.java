package dev.lambdagate.harness.dataplane;

/**
 * Which ADS protocol the embedded data plane speaks: the values of Envoy's bootstrap {@code
 * dynamic_resources.ads_config.api_type} that lambdagate uses.
 */
public enum AdsApiType {
  /** State of the world: {@code StreamAggregatedResources}, every response the full set. */
  GRPC,
  /**
   * Incremental: {@code DeltaAggregatedResources}, responses carry only the resources that changed
   * and the names of those removed. What lambdagate's bootstraps use.
   */
  DELTA_GRPC;

  /** The bootstrap spelling ({@code GRPC}, {@code DELTA_GRPC}); a clear error for anything else. */
  public static AdsApiType parse(String value) {
    for (AdsApiType t : values()) {
      if (t.name().equals(value)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "ADS api_type: expected GRPC or DELTA_GRPC, got '" + value + "'");
  }
}
