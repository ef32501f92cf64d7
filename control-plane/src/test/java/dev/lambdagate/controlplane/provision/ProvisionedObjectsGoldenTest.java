package dev.lambdagate.controlplane.provision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.crd.GatewayParameters;
import dev.lambdagate.controlplane.crd.GatewayParametersSpec;
import dev.lambdagate.controlplane.kube.KubeModeOptions;
import dev.lambdagate.controlplane.kube.MockApi;
import dev.lambdagate.controlplane.state.ClusterState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Deployment, Service and PodDisruptionBudget provisioned for each {@code GatewayParameters}
 * field, byte for byte: {@code golden-provision/<case>/parameters.yaml} is the GatewayParameters
 * (its {@code spec}) a Gateway {@code team-a/edge} references, {@code provisioned.yaml} the objects
 * on the (mock) API server after a reconcile, keys sorted, with what differs from run to run (uids,
 * resource versions, timestamps, the owning Gateway's uid, checked first; the hash of the freshly
 * issued xDS client certificate) replaced by placeholders. Regenerated only on purpose, like the
 * translation goldens: run with {@code -Dgolden.update=true} and review the diff.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ProvisionedObjectsGoldenTest {
  static {
    MockApi.quiet();
  }

  static final String NS = "team-a";
  private static final ObjectMapper YAML =
      new YAMLMapper(
              new YAMLFactory()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  private static final ObjectMapper JSON = new ObjectMapper();

  KubernetesClient client;

  static Path dir() {
    return TestSupport.goldenDir().resolveSibling("golden-provision");
  }

  static Stream<String> cases() throws Exception {
    try (Stream<Path> s = Files.list(dir())) {
      return s
          .filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void provisionedObjectsMatchTheGolden(String name) throws Exception {
    MockApi.installCrds(client);
    Path caseDir = dir().resolve(name);
    JsonNode input = YAML.readTree(caseDir.resolve("parameters.yaml").toFile());
    GatewayParameters params = new GatewayParameters();
    params.setMetadata(new ObjectMetaBuilder().withName("edge-params").withNamespace(NS).build());
    params.setSpec(
        client
            .getKubernetesSerialization()
            .unmarshal(JSON.writeValueAsString(input.get("spec")), GatewayParametersSpec.class));
    client.resource(params).create();
    client
        .resource(
            new GatewayBuilder()
                .withNewMetadata()
                .withName("edge")
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .withGatewayClassName("kgateway")
                .withNewInfrastructure()
                .withNewParametersRef()
                .withGroup(Backend.GROUP)
                .withKind("GatewayParameters")
                .withName("edge-params")
                .endParametersRef()
                .endInfrastructure()
                .addNewListener()
                .withName("http")
                .withPort(8080)
                .withProtocol("HTTP")
                .endListener()
                .addNewListener()
                .withName("admin-api")
                .withPort(9090)
                .withProtocol("HTTP")
                .endListener()
                .endSpec()
                .build())
        .create();
    GatewayProvisioner provisioner =
        new GatewayProvisioner(client, KubeModeOptions.defaults("lambdagate-system", "golden"));
    provisioner.reconcile(state());

    List<HasMetadata> objects = new ArrayList<>();
    objects.add(client.apps().deployments().inNamespace(NS).withName("edge").get());
    objects.add(client.services().inNamespace(NS).withName("edge").get());
    var pdb = client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("edge").get();
    if (pdb != null) {
      objects.add(pdb);
    }
    String gatewayUid =
        client
            .resources(Gateway.class)
            .inNamespace(NS)
            .withName("edge")
            .get()
            .getMetadata()
            .getUid();
    StringBuilder out = new StringBuilder();
    out.append("# ").append(name).append(": generated by ProvisionedObjectsGoldenTest\n");
    for (HasMetadata o : objects) {
      assertThat(o.getMetadata().getOwnerReferences())
          .as(o.getKind() + " owner")
          .singleElement()
          .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(gatewayUid));
      out.append("---\n").append(YAML.writeValueAsString(stable(o)));
    }
    String text = out.toString();
    Path golden = caseDir.resolve("provisioned.yaml");
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(golden, text);
    }
    assertThat(text)
        .as(golden + " (regenerate with -Dgolden.update=true)")
        .isEqualTo(Files.readString(golden));

    // A second reconcile with nothing changed writes nothing.
    int writes = provisioner.writes();
    provisioner.reconcile(state());
    assertThat(provisioner.writes()).as("writes on an unchanged second pass").isEqualTo(writes);
  }

  ClusterState state() {
    return new ClusterState(
        List.of(),
        client.resources(Gateway.class).inAnyNamespace().list().getItems(),
        List.of(),
        List.of(),
        client.resources(GatewayParameters.class).inAnyNamespace().list().getItems(),
        List.of(),
        client.serviceAccounts().inAnyNamespace().list().getItems(),
        List.of());
  }

  /** The object as sorted JSON, with run-specific values replaced by placeholders. */
  private JsonNode stable(HasMetadata o) throws Exception {
    JsonNode tree = JSON.readTree(client.getKubernetesSerialization().asJson(o));
    ObjectNode metadata = (ObjectNode) tree.get("metadata");
    metadata.remove(
        List.of("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields"));
    ((ObjectNode) tree).remove("status");
    for (JsonNode ref : metadata.path("ownerReferences")) {
      ((ObjectNode) ref).put("uid", "<uid of Gateway team-a/edge>");
    }
    JsonNode podAnnotations = tree.at("/spec/template/metadata/annotations");
    if (podAnnotations instanceof ObjectNode a && a.has(GatewayProvisioner.XDS_CERT_HASH)) {
      a.put(GatewayProvisioner.XDS_CERT_HASH, "<sha-256 of the issued xDS client certificate>");
    }
    return sorted(tree);
  }

  private static JsonNode sorted(JsonNode node) {
    if (node instanceof ObjectNode o) {
      Map<String, JsonNode> fields = new TreeMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = o.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        fields.put(e.getKey(), sorted(e.getValue()));
      }
      o.removeAll();
      fields.forEach(o::set);
    } else if (node != null && node.isArray()) {
      node.forEach(ProvisionedObjectsGoldenTest::sorted);
    }
    return node;
  }
}
