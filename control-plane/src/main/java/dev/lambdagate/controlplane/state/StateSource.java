package dev.lambdagate.controlplane.state;

import java.util.function.Consumer;

/**
 * Where the control plane's input comes from: Kubernetes informers, or manifest files in a
 * directory. A source calls the listener with a complete new {@link ClusterState} after every
 * change it sees (it may coalesce bursts), always from one thread at a time.
 */
public interface StateSource extends AutoCloseable {
  /** Starts watching; the first complete state is delivered once the initial sync is done. */
  void start(Consumer<ClusterState> listener);

  /** Stops watching. */
  @Override
  void close();
}
