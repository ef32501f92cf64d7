package dev.lambdagate.controlplane.model;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrantFrom;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrantTo;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import java.util.List;

/**
 * The Gateway API's ReferenceGrant rule, for every kind of cross-namespace reference lambdagate
 * follows (HTTPRoute → Backend, Gateway → Secret): a grant in the target's namespace lets objects
 * of one kind in one namespace refer to objects of one kind there, by name or all of them.
 *
 * <p>Stateless; thread-safe.
 */
final class ReferenceGrants {
  private ReferenceGrants() {}

  /**
   * Whether a ReferenceGrant in {@code toNs} lets {@code fromKind} objects (of the Gateway API
   * group) in {@code fromNs} refer to the {@code toGroup}/{@code toKind} object {@code name} (a
   * grant without a name covers every such object there).
   *
   * @param toGroup the target's API group, "" for the core group (a grant's absent group is "")
   */
  static boolean permits(
      List<ReferenceGrant> grants,
      String fromKind,
      String fromNs,
      String toGroup,
      String toKind,
      String toNs,
      String name) {
    for (ReferenceGrant g : grants) {
      if (!toNs.equals(g.getMetadata().getNamespace())
          || g.getSpec() == null
          || g.getSpec().getFrom() == null
          || g.getSpec().getTo() == null) {
        continue;
      }
      boolean from = false;
      for (ReferenceGrantFrom f : g.getSpec().getFrom()) {
        from |=
            ModelBuilder.GATEWAY_GROUP.equals(f.getGroup())
                && fromKind.equals(f.getKind())
                && fromNs.equals(f.getNamespace());
      }
      boolean to = false;
      for (ReferenceGrantTo t : g.getSpec().getTo()) {
        to |=
            toGroup.equals(t.getGroup() == null ? "" : t.getGroup())
                && toKind.equals(t.getKind())
                && (t.getName() == null || t.getName().isEmpty() || t.getName().equals(name));
      }
      if (from && to) {
        return true;
      }
    }
    return false;
  }
}
