package dev.lambdagate.controlplane.crd;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The kgateway-style {@code GatewayParameters} ({@code gateway.kgateway.dev/v1alpha1}), referenced
 * from {@code Gateway.spec.infrastructure.parametersRef}: how the gateway's proxy is provisioned
 * (extra ServiceAccount annotations such as {@code eks.amazonaws.com/role-arn}).
 */
@Group(Backend.GROUP)
@Version(Backend.VERSION)
@Kind("GatewayParameters")
@Plural("gatewayparameters")
public class GatewayParameters extends CustomResource<GatewayParametersSpec, ConditionsStatus>
    implements Namespaced {}
