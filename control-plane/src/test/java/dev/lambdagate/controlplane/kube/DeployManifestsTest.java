package dev.lambdagate.controlplane.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl apply -f control-plane/deploy/} cannot be dry-run here ({@code --dry-run=client}
 * still needs API discovery), so every document is parsed into its typed class and created, in file
 * order, on the mock API server.
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
    assertThat(objects)
        .extracting(HasMetadata::getKind)
        .containsExactly(
            "Namespace",
            "CustomResourceDefinition",
            "CustomResourceDefinition",
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "Role",
            "RoleBinding",
            "Deployment",
            "Service");
    assertThat(objects)
        .allSatisfy(
            o ->
                assertThat(o.getClass().getPackageName())
                    .as(o.getKind())
                    .doesNotContain("Generic"));
    for (HasMetadata o : objects) {
      client.resource(o).create();
    }
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace("lambdagate-system")
                .withName("lambdagate-control-plane")
                .get())
        .isNotNull();
  }

  /**
   * The heap the image's JVM takes under the Deployment's memory limit. 512 MiB: the 10,000-route
   * benchmark ran its whole course in a 512 MiB heap with the mock API server's 30,000 objects in
   * the same JVM (docs/benchmarks-control-plane.md); 256 MiB left for metaspace, compiled code,
   * threads and gRPC's direct buffers. The JVM's default share, a quarter, is not assumed.
   */
  @Test
  void theImagesHeapUnderTheDeploymentsMemoryLimitHoldsTenThousandRoutes() throws IOException {
    Deployment deployment = ofType(all(), Deployment.class).get(0);
    var resources =
        deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getResources();
    long limit = Quantity.getAmountInBytes(resources.getLimits().get("memory")).longValueExact();
    long request =
        Quantity.getAmountInBytes(resources.getRequests().get("memory")).longValueExact();

    String entrypoint = imageEntrypoint();
    Matcher m = Pattern.compile("\"-XX:MaxRAMPercentage=(\\d+)\"").matcher(entrypoint);
    assertThat(m.find()).as("-XX:MaxRAMPercentage in " + entrypoint).isTrue();
    long heap = limit * Integer.parseInt(m.group(1)) / 100;

    long mib = 1024 * 1024;
    assertThat(heap).as("heap bytes").isGreaterThanOrEqualTo(512 * mib);
    assertThat(limit - heap).as("memory beside the heap").isGreaterThanOrEqualTo(256 * mib);
    assertThat(request)
        .as("memory request")
        .isGreaterThanOrEqualTo(heap)
        .isLessThanOrEqualTo(limit);
  }

  /**
   * The image names the collector the benchmarks measured. Left to itself, the JVM counts a
   * container limited to less than 1792 MiB as a client machine and picks the Serial collector,
   * under which a 10,000-route cold start took 9.8 s against 6.9 s
   * (docs/benchmarks-control-plane.md, "Which collector").
   */
  @Test
  void theImageNamesTheCollectorTheBenchmarksMeasured() throws IOException {
    List<String> collectors =
        Pattern.compile("\"-XX:\\+Use(\\w+)GC\"")
            .matcher(imageEntrypoint())
            .results()
            .map(r -> r.group(1))
            .toList();
    assertThat(collectors).containsExactly("G1");
  }

  /** The Dockerfile's one {@code ENTRYPOINT} line. */
  private static String imageEntrypoint() throws IOException {
    List<String> entrypoints =
        Files.readAllLines(Path.of("Dockerfile")).stream()
            .filter(l -> l.startsWith("ENTRYPOINT"))
            .toList();
    assertThat(entrypoints).hasSize(1);
    return entrypoints.get(0);
  }

  @Test
  void crdsInDeployAreTheOnesOnTheClassPath() throws IOException {
    assertThat(Files.readString(DEPLOY.resolve("01-crd-backends.yaml")))
        .isEqualTo(MockApi.read("crds/backends.yaml"));
    assertThat(Files.readString(DEPLOY.resolve("02-crd-gatewayparameters.yaml")))
        .isEqualTo(MockApi.read("crds/gatewayparameters.yaml"));
  }

  /** {@code group/resource} (core group: {@code core/...}) to verbs, over all rules. */
  static Map<String, Set<String>> grants(List<PolicyRule> rules) {
    Map<String, Set<String>> out = new TreeMap<>();
    for (PolicyRule r : rules) {
      assertThat(r.getResourceNames()).as("resourceNames").isNullOrEmpty();
      for (String group : r.getApiGroups()) {
        for (String resource : r.getResources()) {
          out.computeIfAbsent(
                  (group.isEmpty() ? "core" : group) + "/" + resource, k -> new TreeSet<>())
              .addAll(r.getVerbs());
        }
      }
    }
    return out;
  }

  static Set<String> verbs(String... verbs) {
    return new TreeSet<>(List.of(verbs));
  }

  static final String GW = "gateway.networking.k8s.io/";
  static final String KG = "gateway.kgateway.dev/";

  /**
   * What the code does in the namespaces it serves (the exact verbs: a new one must be added here
   * on purpose). Cluster-wide in the default manifest, a Role in the watched namespace in the
   * single-namespace one (where GatewayClasses are the only cluster-scoped read).
   */
  static Map<String, Set<String>> servedNamespaceGrants() {
    Map<String, Set<String>> m = new TreeMap<>();
    Set<String> read = verbs("get", "list", "watch");
    for (String r : List.of("gateways", "httproutes", "referencegrants")) {
      m.put(GW + r, read);
    }
    m.put(KG + "backends", read);
    m.put(KG + "gatewayparameters", read);
    // Backend credential Secrets (read) + the per-Gateway xDS client-certificate Secret
    // (created, re-issued, deleted with its proxy).
    m.put("core/secrets", verbs("get", "list", "watch", "create", "update", "delete"));
    m.put(GW + "gateways/status", verbs("update"));
    m.put(GW + "httproutes/status", verbs("update"));
    m.put(KG + "backends/status", verbs("update"));
    m.put(KG + "gatewayparameters/status", verbs("update"));
    m.put(GW + "gateways/finalizers", verbs("update"));
    m.put("core/serviceaccounts", verbs("get", "list", "watch", "create", "update", "delete"));
    for (String r :
        List.of(
            "core/services",
            "core/configmaps",
            "apps/deployments",
            "policy/poddisruptionbudgets")) {
      m.put(r, verbs("get", "list", "create", "update", "delete"));
    }
    m.put("core/serviceaccounts/token", verbs("create"));
    return m;
  }

  static <T extends HasMetadata> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static void assertBoundToTheControlPlane(List<HasMetadata> objects) {
    List<ClusterRoleBinding> crbs = ofType(objects, ClusterRoleBinding.class);
    List<RoleBinding> rbs = ofType(objects, RoleBinding.class);
    for (ClusterRole cr : ofType(objects, ClusterRole.class)) {
      assertThat(crbs)
          .as("binding of " + cr.getMetadata().getName())
          .anySatisfy(
              b -> {
                assertThat(b.getRoleRef().getKind()).isEqualTo("ClusterRole");
                assertThat(b.getRoleRef().getName()).isEqualTo(cr.getMetadata().getName());
                assertThat(b.getSubjects())
                    .singleElement()
                    .satisfies(
                        sub -> {
                          assertThat(sub.getKind()).isEqualTo("ServiceAccount");
                          assertThat(sub.getName()).isEqualTo("lambdagate-control-plane");
                          assertThat(sub.getNamespace()).isEqualTo("lambdagate-system");
                        });
              });
    }
    for (Role role : ofType(objects, Role.class)) {
      assertThat(rbs)
          .as("binding of " + role.getMetadata().getName())
          .anySatisfy(
              b -> {
                assertThat(b.getMetadata().getNamespace())
                    .isEqualTo(role.getMetadata().getNamespace());
                assertThat(b.getRoleRef().getKind()).isEqualTo("Role");
                assertThat(b.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
                assertThat(b.getSubjects())
                    .singleElement()
                    .satisfies(
                        sub -> {
                          assertThat(sub.getKind()).isEqualTo("ServiceAccount");
                          assertThat(sub.getName()).isEqualTo("lambdagate-control-plane");
                          assertThat(sub.getNamespace()).isEqualTo("lambdagate-system");
                        });
              });
    }
    assertThat(crbs).hasSameSizeAs(ofType(objects, ClusterRole.class));
    assertThat(rbs).hasSameSizeAs(ofType(objects, Role.class));
  }

  @Test
  void allNamespacesRbacGrantsExactlyWhatTheCodeDoes() throws IOException {
    List<HasMetadata> objects = all();
    List<ClusterRole> clusterRoles = ofType(objects, ClusterRole.class);
    assertThat(clusterRoles).singleElement();
    Map<String, Set<String>> cluster = new TreeMap<>(servedNamespaceGrants());
    cluster.put(GW + "gatewayclasses", verbs("get", "list", "watch"));
    assertThat(grants(clusterRoles.get(0).getRules())).isEqualTo(cluster);

    List<Role> roles = ofType(objects, Role.class);
    assertThat(roles)
        .singleElement()
        .satisfies(
            role -> {
              assertThat(role.getMetadata().getNamespace()).isEqualTo("lambdagate-system");
              assertThat(grants(role.getRules()))
                  .isEqualTo(Map.of("coordination.k8s.io/leases", verbs("get", "create", "patch")));
            });
    assertBoundToTheControlPlane(objects);
  }

  static final Path SINGLE_NAMESPACE = DEPLOY.resolve("single-namespace/10-rbac.yaml");

  List<HasMetadata> singleNamespace() throws IOException {
    try (InputStream in = Files.newInputStream(SINGLE_NAMESPACE)) {
      return client.load(in).items();
    }
  }

  @Test
  void singleNamespaceRbacReadsOnlyGatewayClassesClusterWide() throws IOException {
    List<HasMetadata> objects = singleNamespace();
    assertThat(objects)
        .extracting(HasMetadata::getKind)
        .containsExactly(
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "Role",
            "RoleBinding",
            "Role",
            "RoleBinding");
    assertThat(objects)
        .allSatisfy(
            o ->
                assertThat(o.getClass().getPackageName())
                    .as(o.getKind())
                    .doesNotContain("Generic"));

    List<ClusterRole> clusterRoles = ofType(objects, ClusterRole.class);
    assertThat(clusterRoles)
        .singleElement()
        .satisfies(
            cr ->
                assertThat(grants(cr.getRules()))
                    .isEqualTo(Map.of(GW + "gatewayclasses", verbs("get", "list", "watch"))));

    Map<String, Role> roles = new TreeMap<>();
    for (Role r : ofType(objects, Role.class)) {
      roles.put(r.getMetadata().getNamespace(), r);
    }
    assertThat(roles.keySet()).containsExactly("apps", "lambdagate-system");
    assertThat(grants(roles.get("apps").getRules())).isEqualTo(servedNamespaceGrants());
    assertThat(grants(roles.get("lambdagate-system").getRules()))
        .isEqualTo(
            Map.of(
                "coordination.k8s.io/leases", verbs("get", "create", "patch"),
                // The xDS CA Secret: read, or created by the first replica.
                "core/secrets", verbs("get", "create")));
    assertBoundToTheControlPlane(objects);

    // Applies after the rest of deploy/ in place of 10-rbac.yaml.
    for (HasMetadata o : all()) {
      if (!o.getKind().startsWith("ClusterRole")
          && !o.getKind().startsWith("Role")
          && !o.getKind().equals("ServiceAccount")) {
        client.resource(o).create();
      }
    }
    client
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName("apps")
                .endMetadata()
                .build())
        .create();
    for (HasMetadata o : objects) {
      client.resource(o).create();
    }
    assertThat(client.rbac().roles().inNamespace("apps").withName("lambdagate-control-plane").get())
        .isNotNull();
  }

  @Test
  void theServiceIsWhereProvisionedProxiesLookForTheControlPlane() throws IOException {
    List<HasMetadata> objects = all();
    Service svc =
        objects.stream()
            .filter(Service.class::isInstance)
            .map(Service.class::cast)
            .findFirst()
            .orElseThrow();
    Deployment d =
        objects.stream()
            .filter(Deployment.class::isInstance)
            .map(Deployment.class::cast)
            .findFirst()
            .orElseThrow();
    KubeModeOptions defaults = KubeModeOptions.defaults("lambdagate-system", "x");
    assertThat(svc.getMetadata().getName() + "." + svc.getMetadata().getNamespace() + ".svc")
        .isEqualTo(defaults.controlPlaneHost());
    assertThat(svc.getSpec().getPorts())
        .extracting(p -> p.getPort())
        .containsExactly(defaults.xdsPort(), defaults.wasmHttpPort());
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(svc.getSpec().getSelector());
    assertThat(d.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo("lambdagate-control-plane");
  }
}
