package dev.lambdagate.controlplane.model;

import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.state.ResourceKey;

/**
 * Builds models like its {@link ModelBuilder}, from what the last build made. When the state
 * differs from the last one only in HTTPRoutes, Backends and Secrets changed in place, the last
 * model is patched ({@link ModelPatcher}): only what depends on the changed objects is derived
 * again. Otherwise it builds, remembering per-object results between builds ({@link ModelMemo}): a
 * Backend is validated again only when it or its Secret changed, an HTTPRoute converted again only
 * when it or the Backends it refers to changed, a virtual host re-sorted from its previous order.
 *
 * <p>The model is equal to what {@link ModelBuilder#build} gives for the same state and the same
 * sessions and tokens; a model equal to the last one <em>is</em> the last one, so that callers
 * compare models by identity. A state with the same objects as the last one (a session or token
 * changed outside the cluster: the control plane builds again from the same state) is always built,
 * never patched: only a build asks every Backend's credentials again.
 *
 * <p>Not thread-safe: one build at a time (the control plane builds under its lock).
 */
public final class IncrementalModelBuilder {
  private final ModelBuilder builder;
  private final ModelMemo memo = new ModelMemo();
  private final ModelPatcher patcher;
  private ClusterState lastState;
  private Model lastModel;
  private long patched;

  /**
   * Since the last build, per patch (oldest first): the model it patched and the keys of the
   * Backends and HTTPRoutes it re-derived; at most {@link #PATCH_LOG} of them.
   */
  private final java.util.ArrayDeque<PatchEntry> patches = new java.util.ArrayDeque<>();

  private static final int PATCH_LOG = 8; // status follows each change: one or two suffice

  private record PatchEntry(Model before, java.util.Set<ResourceKey> keys) {}

  public IncrementalModelBuilder(ModelBuilder builder) {
    this.builder = builder;
    this.patcher = builder.patcher(memo);
  }

  /** The model of {@code state}: the last model itself when equal to it. */
  public Model build(ClusterState state) {
    if (lastModel != null) {
      Model model;
      try {
        model = patcher.patch(lastState, lastModel, state);
      } catch (RuntimeException e) {
        forget(); // what the patch left half done is not built upon
        throw e;
      }
      if (model != null) {
        patched++;
        patches.addLast(new PatchEntry(lastModel, patcher.changedKeys()));
        if (patches.size() > PATCH_LOG) {
          patches.removeFirst();
        }
        return remember(state, model);
      }
    }
    memo.begin();
    Model model;
    try {
      model = builder.build(state, memo);
    } catch (RuntimeException e) {
      forget();
      throw e;
    }
    memo.end();
    patcher.invalidate();
    patches.clear();
    return remember(state, model.equals(lastModel) ? lastModel : model);
  }

  /**
   * The keys of the Backends and HTTPRoutes whose entries may differ between {@code reference}, a
   * model this builder gave, and the last one: what the patches since re-derived (Gateways aside,
   * which status always computes); null when a build came between them or it is too far back.
   */
  public java.util.Set<ResourceKey> changedSince(Model reference) {
    if (reference == null) {
      return null;
    }
    if (reference == lastModel) {
      return java.util.Set.of();
    }
    java.util.Set<ResourceKey> keys = new java.util.HashSet<>();
    for (java.util.Iterator<PatchEntry> it = patches.descendingIterator(); it.hasNext(); ) {
      PatchEntry e = it.next();
      keys.addAll(e.keys());
      if (e.before() == reference) {
        return keys;
      }
    }
    return null;
  }

  /** How many of the models built so far were patches of the last one. */
  public long patchedBuilds() {
    return patched;
  }

  private Model remember(ClusterState state, Model model) {
    lastState = state;
    lastModel = model;
    return model;
  }

  private void forget() {
    lastState = null;
    lastModel = null;
    patcher.invalidate();
    patches.clear();
  }
}
