package dev.lambdagate.controlplane.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl apply -f control-plane/deploy/} cannot be dry-run here ({@code --dry-run=client}
 * still needs API discovery), so every document is parsed into its typed class and created, in
 * file order, on the mock API server.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class DeployManifestsTest {
  static {
    MockApi.quiet();
  }

  static final Path DEPLOY = Path.of("deploy");

  KubernetesClient client;

  List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(DEPLOY)) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  List<HasMetadata> all() throws IOException {
    List<HasMetadata> out = new ArrayList<>();
    for (Path f : files()) {
      try (InputStream in = Files.newInputStream(f)) {
        out.addAll(client.load(in).items());
      }
    }
    return out;
  }

  @Test
  void everyDocumentParsesAndAppliesInFileOrder() throws IOException {
    List<HasMetadata> objects = all();
    assertThat(objects).extracting(HasMetadata::getKind).containsExactly("Namespace",
        "CustomResourceDefinition", "CustomResourceDefinition", "ServiceAccount", "ClusterRole",
        "ClusterRoleBinding", "Role", "RoleBinding", "Deployment", "Service");
    assertThat(objects).allSatisfy(o -> assertThat(o.getClass().getPackageName())
        .as(o.getKind()).doesNotContain("Generic"));
    for (HasMetadata o : objects) {
      client.resource(o).create();
    }
    assertThat(client.apps().deployments().inNamespace("lambdagate-system")
        .withName("lambdagate-control-plane").get()).isNotNull();
  }

  @Test
  void crdsInDeployAreTheOnesOnTheClassPath() throws IOException {
    assertThat(Files.readString(DEPLOY.resolve("01-crd-backends.yaml")))
        .isEqualTo(MockApi.read("crds/backends.yaml"));
    assertThat(Files.readString(DEPLOY.resolve("02-crd-gatewayparameters.yaml")))
        .isEqualTo(MockApi.read("crds/gatewayparameters.yaml"));
  }

  static boolean allows(List<PolicyRule> rules, String group, String resource, String verb) {
    return rules.stream().anyMatch(r -> r.getApiGroups().contains(group)
        && r.getResources().contains(resource) && r.getVerbs().contains(verb));
  }

  @Test
  void rbacCoversWhatTheCodeDoes() throws IOException {
    List<HasMetadata> objects = all();
    ClusterRole cr = objects.stream().filter(ClusterRole.class::isInstance)
        .map(ClusterRole.class::cast).findFirst().orElseThrow();
    Role role = objects.stream().filter(Role.class::isInstance).map(Role.class::cast)
        .findFirst().orElseThrow();
    List<PolicyRule> rules = cr.getRules();
    String gw = "gateway.networking.k8s.io";
    String kg = "gateway.kgateway.dev";
    for (String verb : List.of("get", "list", "watch")) {
      for (String r : List.of("gatewayclasses", "gateways", "httproutes", "referencegrants")) {
        assertThat(allows(rules, gw, r, verb)).as(r + " " + verb).isTrue();
      }
      for (String r : List.of("backends", "gatewayparameters")) {
        assertThat(allows(rules, kg, r, verb)).as(r + " " + verb).isTrue();
      }
      for (String r : List.of("secrets", "serviceaccounts", "services", "configmaps")) {
        assertThat(allows(rules, "", r, verb)).as(r + " " + verb).isTrue();
      }
      assertThat(allows(rules, "apps", "deployments", verb)).isTrue();
    }
    assertThat(allows(rules, gw, "gateways/status", "update")).isTrue();
    assertThat(allows(rules, gw, "httproutes/status", "update")).isTrue();
    assertThat(allows(rules, kg, "backends/status", "update")).isTrue();
    for (String verb : List.of("create", "update", "delete")) {
      assertThat(allows(rules, "apps", "deployments", verb)).isTrue();
      for (String r : List.of("serviceaccounts", "services", "configmaps")) {
        assertThat(allows(rules, "", r, verb)).as(r + " " + verb).isTrue();
      }
    }
    assertThat(allows(rules, "", "serviceaccounts/token", "create")).isTrue();
    // Secrets are written only for xDS mutual TLS: the CA Secret and each proxy's client
    // certificate Secret (docs/control-plane.md, "Securing xDS").
    for (String verb : List.of("create", "update", "delete")) {
      assertThat(allows(rules, "", "secrets", verb)).as("secrets " + verb).isTrue();
    }
    assertThat(role.getMetadata().getNamespace()).isEqualTo("lambdagate-system");
    for (String verb : List.of("get", "create", "update")) {
      assertThat(allows(role.getRules(), "coordination.k8s.io", "leases", verb)).isTrue();
    }
  }

  @Test
  void theServiceIsWhereProvisionedProxiesLookForTheControlPlane() throws IOException {
    List<HasMetadata> objects = all();
    Service svc = objects.stream().filter(Service.class::isInstance).map(Service.class::cast)
        .findFirst().orElseThrow();
    Deployment d = objects.stream().filter(Deployment.class::isInstance)
        .map(Deployment.class::cast).findFirst().orElseThrow();
    KubeModeOptions defaults = KubeModeOptions.defaults("lambdagate-system", "x");
    assertThat(svc.getMetadata().getName() + "." + svc.getMetadata().getNamespace() + ".svc")
        .isEqualTo(defaults.controlPlaneHost());
    assertThat(svc.getSpec().getPorts()).extracting(p -> p.getPort())
        .containsExactly(defaults.xdsPort(), defaults.wasmHttpPort());
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(svc.getSpec().getSelector());
    assertThat(d.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo("lambdagate-control-plane");
  }
}
