package dev.lambdagate.controlplane.crd;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The kgateway-style {@code Backend} ({@code gateway.kgateway.dev/v1alpha1}): a destination an
 * HTTPRoute can reference. lambdagate serves {@code spec.type: AWS} (a Lambda function). The YAML
 * of the user's documents applies unchanged; its schema is {@code crds/backends.yaml}.
 */
@Group(Backend.GROUP)
@Version(Backend.VERSION)
@Kind("Backend")
@Plural("backends")
public class Backend extends CustomResource<BackendSpec, ConditionsStatus> implements Namespaced {
  public static final String GROUP = "gateway.kgateway.dev";
  public static final String VERSION = "v1alpha1";
}
