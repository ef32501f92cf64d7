package dev.lambdagate.controlplane.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayParametersKeysTest {
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  static final String KGATEWAY_USERS_YAML =
      """
      apiVersion: gateway.kgateway.dev/v1alpha1
      kind: GatewayParameters
      metadata:
        name: edge
        namespace: team-a
      spec:
        kube:
          deployment:
            replicas: 2
          envoyContainer:
            bootstrap:
              logLevel: info
              logFormat:
                text: "%v"
            resources:
              limits:
                cpu: "2"
            env:
              - name: FOO
                value: bar
          sdsContainer:
            image:
              repository: sds
          podTemplate:
            nodeSelector:
              pool: edge
            affinity:
              nodeAffinity:
                someFutureKey: kept-as-it-is
            livenessProbe:
              httpGet:
                path: /ready
                port: 8082
          service:
            type: NodePort
            ports:
              - port: 80
                nodePort: 30080
          stats:
            enabled: true
          deploymentOverlay:
            spec: {}
        selfManaged: {}
      """;

  static GatewayParameters read(String yaml) {
    return SERIALIZATION.unmarshal(yaml, GatewayParameters.class);
  }

  @Test
  void unknownKeysAreListedFromTheDocumentAsRead() {
    GatewayParameters gp = read(KGATEWAY_USERS_YAML);
    assertThat(GatewayParametersKeys.unsupported(gp.getSpec()))
        .containsExactly(
            "spec.kube.envoyContainer.bootstrap.logFormat",
            "spec.kube.envoyContainer.env",
            "spec.kube.sdsContainer",
            "spec.kube.podTemplate.livenessProbe",
            "spec.kube.service.ports",
            "spec.kube.stats",
            "spec.kube.deploymentOverlay",
            "spec.selfManaged");
    // The typed fields are read as well.
    assertThat(gp.getSpec().kube().deployment().replicas()).isEqualTo(2);
    assertThat(gp.getSpec().kube().podTemplate().nodeSelector()).isEqualTo(Map.of("pool", "edge"));
    assertThat(gp.getSpec().kube().service().type()).isEqualTo("NodePort");
  }

  @Test
  void aSpecOfSupportedKeysHasNothingToReport() {
    GatewayParameters gp =
        read(
            """
            apiVersion: gateway.kgateway.dev/v1alpha1
            kind: GatewayParameters
            metadata:
              name: edge
            spec:
              kube:
                serviceAccount:
                  extraAnnotations:
                    eks.amazonaws.com/role-arn: arn:aws:iam::210987654321:role/x
                deployment:
                  omitReplicas: true
                  strategy:
                    type: Recreate
                envoyContainer:
                  image:
                    tag: v1
                    pullPolicy: Always
                  securityContext:
                    runAsNonRoot: true
                podTemplate:
                  extraLabels:
                    team: a
                  tolerations:
                    - key: k
                      operator: Exists
                  topologySpreadConstraints:
                    - maxSkew: 1
                      topologyKey: zone
                      whenUnsatisfiable: DoNotSchedule
                service:
                  externalTrafficPolicy: Local
                  extraAnnotations:
                    a: b
                podDisruptionBudget:
                  spec:
                    maxUnavailable: 50%
              awsCredentials:
                exchangeSecretKeys: false
              edgeLimits:
                maxHeadersCount: 50
            """);
    assertThat(GatewayParametersKeys.unsupported(gp.getSpec())).isEmpty();
    assertThat(GatewayParametersKeys.unsupported(null)).isEmpty();
    assertThat(
            GatewayParametersKeys.unsupported(
                new GatewayParametersSpec(
                    new GatewayParametersSpec.Kube(
                        new GatewayParametersSpec.ServiceAccount(Map.of("a", "b"), null)))))
        .as("built in code")
        .isEmpty();
  }

  @Test
  void theSpecSerializesBackAsItWasReadUnknownKeysIncluded() {
    GatewayParameters gp = read(KGATEWAY_USERS_YAML);
    GatewayParameters again = SERIALIZATION.clone(gp);
    assertThat(again.getSpec().toJson()).isEqualTo(gp.getSpec().toJson());
    assertThat(SERIALIZATION.asJson(gp)).contains("\"sdsContainer\"").contains("someFutureKey");
    // The Kubernetes types keep what fabric8 does not model, so nothing is lost on the way to the
    // provisioned Deployment either.
    assertThat(SERIALIZATION.asJson(gp.getSpec().kube().podTemplate().affinity()))
        .contains("\"someFutureKey\":\"kept-as-it-is\"");
  }
}
