package dev.lambdagate.controlplane.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.crd.BackendSpec;
import dev.lambdagate.controlplane.crd.GatewayParameters;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, https = false)
class CrdTest {
  static {
    MockApi.quiet();
  }

  KubernetesClient client;

  private static final CrdSchemaValidator BACKENDS =
      CrdSchemaValidator.fromResource("crds/backends.yaml");
  private static final CrdSchemaValidator PARAMETERS =
      CrdSchemaValidator.fromResource("crds/gatewayparameters.yaml");

  @Test
  void crdsAreNamespacedV1alpha1WithStatusSubresource() {
    for (String path : List.of("crds/backends.yaml", "crds/gatewayparameters.yaml")) {
      CustomResourceDefinition crd =
          (CustomResourceDefinition) MockApi.load(client, path, java.util.Map.of()).get(0);
      assertThat(crd.getSpec().getGroup()).isEqualTo("gateway.kgateway.dev");
      assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
      assertThat(crd.getSpec().getVersions())
          .singleElement()
          .satisfies(
              v -> {
                assertThat(v.getName()).isEqualTo("v1alpha1");
                assertThat(v.getServed()).isTrue();
                assertThat(v.getStorage()).isTrue();
                assertThat(v.getSubresources().getStatus()).isNotNull();
                assertThat(v.getSchema().getOpenAPIV3Schema().getType()).isEqualTo("object");
              });
    }
  }

  @Test
  void seedDocumentsApplyUnchangedAndReadBackTyped() {
    MockApi.installCrds(client);
    MockApi.apply(
        client, MockApi.load(client, "kube/seed-secret-credentials.yaml", MockApi.SEED_VARS));

    Backend secretBackend =
        client.resources(Backend.class).inNamespace("kgateway-system").withName("lambda").get();
    BackendSpec.AwsBackend aws = secretBackend.getSpec().aws();
    assertThat(secretBackend.getSpec().type()).isEqualTo("AWS");
    assertThat(aws.region()).isEqualTo("us-east-1");
    assertThat(aws.accountId()).isEqualTo("123456789012");
    assertThat(aws.auth().type()).isEqualTo("Secret");
    assertThat(aws.auth().secretRef().name()).isEqualTo("aws-creds");
    assertThat(aws.lambda().functionName()).isEqualTo("echo");

    MockApi.apply(client, MockApi.load(client, "kube/seed-irsa.yaml", MockApi.SEED_VARS));
    GatewayParameters params =
        client
            .resources(GatewayParameters.class)
            .inNamespace("kgateway-system")
            .withName("http-lambda")
            .get();
    assertThat(params.getSpec().kube().serviceAccount().extraAnnotations())
        .containsEntry("eks.amazonaws.com/role-arn", "arn:aws:iam::210987654321:role/lambda-role");
    Backend irsaBackend =
        client.resources(Backend.class).inNamespace("kgateway-system").withName("lambda").get();
    assertThat(irsaBackend.getSpec().aws().auth()).isNull();
    assertThat(irsaBackend.getSpec().aws().region()).isEqualTo("us-west-2");
    assertThat(irsaBackend.getSpec().aws().accountId()).isEqualTo("210987654321");
  }

  @Test
  void seedDocumentsPassTheSchema() throws Exception {
    for (String path : List.of("kube/seed-secret-credentials.yaml", "kube/seed-irsa.yaml")) {
      for (HasMetadata o : MockApi.load(client, path, MockApi.SEED_VARS)) {
        JsonNode tree = new YAMLMapper().readTree(client.getKubernetesSerialization().asYaml(o));
        if (o.getKind().equals("Backend")) {
          assertThat(BACKENDS.validate(tree)).as(path).isEmpty();
        } else if (o.getKind().equals("GatewayParameters")) {
          assertThat(PARAMETERS.validate(tree)).as(path).isEmpty();
        }
      }
    }
  }

  private static String backend(String aws) {
    return """
        apiVersion: gateway.kgateway.dev/v1alpha1
        kind: Backend
        metadata: {name: b, namespace: ns}
        spec:
          type: AWS
          aws:
        """
        + aws.indent(4);
  }

  @Test
  void invalidBackendsAreRejectedNamingTheField() {
    assertThat(
            BACKENDS.validate(
                backend(
                    """
        accountId: "12345678901"
        lambda: {functionName: echo}
        """)))
        .singleElement()
        .asString()
        .startsWith("spec.aws.accountId: Invalid value: \"12345678901\"")
        .contains("should match '^[0-9]{12}$'");
    assertThat(
            BACKENDS.validate(
                backend(
                    """
        accountId: 123456789012
        lambda: {functionName: echo}
        """)))
        .singleElement()
        .asString()
        .startsWith("spec.aws.accountId: Invalid value: \"integer\"")
        .contains("must be of type string");
    assertThat(
            BACKENDS.validate(
                backend(
                    """
        accountId: "123456789012"
        lambda: {qualifier: prod}
        """)))
        .containsExactly("spec.aws.lambda.functionName: Required value");
    assertThat(
            BACKENDS.validate(
                backend(
                    """
        region: moon-1
        accountId: "123456789012"
        lambda: {functionName: echo, invocationMode: Sometimes, payloadTransformMode: Raw}
        auth: {type: Password}
        """)))
        .anyMatch(e -> e.startsWith("spec.aws.region: Invalid value: \"moon-1\""))
        .anyMatch(
            e ->
                e.startsWith(
                    "spec.aws.lambda.invocationMode: Unsupported value: "
                        + "\"Sometimes\": supported values: \"Sync\", \"Async\", \"DryRun\""))
        .anyMatch(e -> e.startsWith("spec.aws.lambda.payloadTransformMode: Unsupported value"))
        .anyMatch(e -> e.startsWith("spec.aws.auth.type: Unsupported value: \"Password\""))
        .hasSize(4);
    assertThat(
            BACKENDS.validate(
                """
        apiVersion: gateway.kgateway.dev/v1alpha1
        kind: Backend
        metadata: {name: b}
        spec: {type: GCP}
        """))
        .containsExactly("spec.type: Unsupported value: \"GCP\": supported values: \"AWS\"");
    assertThat(
            BACKENDS.validate(
                """
        apiVersion: gateway.kgateway.dev/v1alpha1
        kind: Backend
        metadata: {name: b}
        """))
        .containsExactly("spec: Required value");
    assertThat(
            BACKENDS.validate(
                backend(
                    """
        accountId: "123456789012"
        auth: {type: AssumeRole, assumeRole: {roleArn: "arn:aws:iam::123456789012:role/r"}}
        lambda: {functionName: "arn:aws:lambda:us-east-1:123456789012:function:echo",
                 qualifier: "$LATEST", invocationMode: Async, payloadTransformMode: ApiGatewayV2,
                 endpointURL: "http://localhost:9001"}
        """)))
        .isEmpty();
  }

  @Test
  void podIdentityIsAnAuthType() {
    // The schema takes the type; the CEL rule against secretRef/assumeRole beside it is the API
    // server's (CrdSchemaValidator does not run CEL), so the control plane checks it too.
    assertThat(
            BACKENDS.validate(
                backend(
                    """
        accountId: "123456789012"
        auth: {type: PodIdentity}
        lambda: {functionName: echo}
        """)))
        .isEmpty();
  }

  @Test
  void responseModeIsBufferedOrStreamingAndReadsBackTyped() {
    String account = "accountId: \"123456789012\"\n";
    assertThat(
            BACKENDS.validate(
                backend(account + "lambda: {functionName: echo, responseMode: Streaming}")))
        .isEmpty();
    assertThat(
            BACKENDS.validate(
                backend(account + "lambda: {functionName: echo, responseMode: Chunked}")))
        .singleElement()
        .asString()
        .startsWith(
            "spec.aws.lambda.responseMode: Unsupported value: \"Chunked\": supported values:"
                + " \"Buffered\", \"Streaming\"");

    MockApi.installCrds(client);
    Backend streaming = new Backend();
    streaming.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("streaming")
            .withNamespace("ns")
            .build());
    streaming.setSpec(
        new BackendSpec(
            "AWS",
            new BackendSpec.AwsBackend(
                "us-east-1",
                "123456789012",
                null,
                new BackendSpec.AwsLambda(
                    "echo", null, null, null, null, null, null, "Streaming"))));
    client.resources(Backend.class).inNamespace("ns").resource(streaming).create();
    Backend read = client.resources(Backend.class).inNamespace("ns").withName("streaming").get();
    assertThat(read.getSpec().aws().lambda().responseMode()).isEqualTo("Streaming");
  }

  @Test
  void invalidGatewayParametersAreRejectedNamingTheField() {
    assertThat(
            PARAMETERS.validate(
                """
        apiVersion: gateway.kgateway.dev/v1alpha1
        kind: GatewayParameters
        metadata: {name: p}
        spec:
          kube:
            serviceAccount:
              extraAnnotations: {a: 1}
        """))
        .singleElement()
        .asString()
        .startsWith("spec.kube.serviceAccount.extraAnnotations.a: Invalid value: \"integer\"");
    assertThat(
            PARAMETERS.validate(
                """
        apiVersion: gateway.kgateway.dev/v1beta9
        kind: GatewayParameters
        metadata: {name: p}
        """))
        .singleElement()
        .asString()
        .startsWith("apiVersion: gateway.kgateway.dev/v1beta9");
  }

  @Test
  void gatewayParametersScalingFieldsAreCheckedByTheSchema() throws Exception {
    // Every golden case's GatewayParameters passes.
    try (var cases =
        java.nio.file.Files.list(java.nio.file.Path.of("src/test/resources/golden-provision"))) {
      for (var dir : cases.sorted().toList()) {
        String spec = java.nio.file.Files.readString(dir.resolve("parameters.yaml"));
        assertThat(
                PARAMETERS.validate(
                    "apiVersion: gateway.kgateway.dev/v1alpha1\nkind: GatewayParameters\n"
                        + "metadata: {name: p}\n"
                        + spec))
            .as(dir.toString())
            .isEmpty();
      }
    }
    String bad =
        """
        apiVersion: gateway.kgateway.dev/v1alpha1
        kind: GatewayParameters
        metadata: {name: p}
        spec:
          kube:
            deployment: {replicas: -1, omitReplicas: "yes"}
            envoyContainer:
              bootstrap: {logLevel: verbose}
              image: {pullPolicy: Sometimes}
            service: {type: ExternalName, externalTrafficPolicy: Nearest}
            podDisruptionBudget: {spec: {unhealthyPodEvictionPolicy: Never}}
        """;
    assertThat(PARAMETERS.validate(bad))
        .hasSize(7)
        .anySatisfy(m -> assertThat(m).startsWith("spec.kube.deployment.replicas: Invalid value"))
        .anySatisfy(
            m -> assertThat(m).startsWith("spec.kube.deployment.omitReplicas: Invalid value"))
        .anySatisfy(
            m ->
                assertThat(m)
                    .startsWith("spec.kube.envoyContainer.bootstrap.logLevel: Unsupported value"))
        .anySatisfy(
            m ->
                assertThat(m)
                    .startsWith("spec.kube.envoyContainer.image.pullPolicy: Unsupported value"))
        .anySatisfy(m -> assertThat(m).startsWith("spec.kube.service.type: Unsupported value"))
        .anySatisfy(
            m ->
                assertThat(m)
                    .startsWith("spec.kube.service.externalTrafficPolicy: Unsupported value"))
        .anySatisfy(
            m ->
                assertThat(m)
                    .startsWith(
                        "spec.kube.podDisruptionBudget.spec.unhealthyPodEvictionPolicy: Unsupported value"));
  }
}
