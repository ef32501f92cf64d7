package dev.lambdagate.controlplane.model;

import dev.lambdagate.controlplane.state.ClusterState;

/**
 * Builds models like its {@link ModelBuilder}, remembering per-object results between builds
 * ({@link ModelMemo}): a Backend is validated again only when it or its Secret changed, an
 * HTTPRoute converted again only when it or the Backends it refers to changed, a virtual host
 * re-sorted from its previous order. The model is equal to what {@link ModelBuilder#build} gives
 * for the same state (and the same sessions and tokens); it is cheaper to build and, sharing the
 * unchanged parts with the previous model, cheaper to compare with it.
 *
 * <p>Not thread-safe: one build at a time (the control plane builds under its lock).
 */
public final class IncrementalModelBuilder {
  private final ModelBuilder builder;
  private final ModelMemo memo = new ModelMemo();

  public IncrementalModelBuilder(ModelBuilder builder) {
    this.builder = builder;
  }

  /** The model of {@code state}. */
  public Model build(ClusterState state) {
    memo.begin();
    Model model = builder.build(state, memo);
    memo.end();
    return model;
  }
}
