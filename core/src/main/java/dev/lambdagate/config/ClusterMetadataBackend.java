package dev.lambdagate.config;

/**
 * Where a routed backends configuration with {@code "clusterMetadataBackends": true} finds each
 * backend: in the Envoy cluster the matched route selected, under {@code
 * metadata.filter_metadata["dev.lambdagate"]}, as two strings — {@code backend}, the backend entry
 * (the JSON of a value of {@code backends}), and {@code version}, which changes whenever the entry
 * does. The filter reads them through the proxy-wasm properties {@code
 * xds.cluster_metadata.filter_metadata.dev.lambdagate.version} and {@code ….backend} (path segments
 * {@code xds}, {@code cluster_metadata}, {@code filter_metadata}, {@link #NAMESPACE}, the key;
 * Envoy resolves {@code xds.cluster_metadata} at request-header time, once routing picked the
 * cluster, and gives a string leaf as its bytes).
 *
 * <p>Why: with every backend in the one Listener JSON, changing one Backend or rotating one Secret
 * re-sent the whole Listener (megabytes at 10,000 routes) and drained its connections; with each
 * backend in its own cluster, over incremental xDS, the change is one Cluster
 * (docs/control-plane.md, "Filter configuration at scale").
 */
public final class ClusterMetadataBackend {
  /** The {@code filter_metadata} namespace. */
  public static final String NAMESPACE = "dev.lambdagate";

  /** The key of the backend entry's JSON. */
  public static final String BACKEND_KEY = "backend";

  /** The key of the entry's version: equal versions mean equal entries. */
  public static final String VERSION_KEY = "version";

  private ClusterMetadataBackend() {}
}
