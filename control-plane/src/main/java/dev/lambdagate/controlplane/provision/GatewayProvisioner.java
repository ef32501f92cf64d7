package dev.lambdagate.controlplane.provision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.crd.GatewayParameters;
import dev.lambdagate.controlplane.crd.GatewayParametersSpec;
import dev.lambdagate.controlplane.kube.KubeModeOptions;
import dev.lambdagate.controlplane.model.GatewayOwnership;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.tls.CertificateAuthority;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.LocalParametersReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provisions the Envoy proxy of every Gateway of lambdagate's classes: a ServiceAccount, a
 * ConfigMap with the Envoy bootstrap, a Deployment and a LoadBalancer Service, all named after the
 * Gateway, labelled {@code app.kubernetes.io/managed-by: lambdagate} and owned by the Gateway
 * (deleting the Gateway deletes them), and the Secret {@code <gateway>-lambdagate-xds} with the
 * proxy's xDS client certificate ({@link XdsClientSecrets}), mounted into the proxy.
 *
 * <p>Objects are created when absent. Otherwise the fields lambdagate owns form a JSON merge patch;
 * when it would change something (fields the server defaults do not count), it is merged locally
 * into the object read from the server and the result replaces it (optimistic locking on
 * resourceVersion, re-read on conflict). Allocated Service node ports are kept; the Deployment's
 * replica count is only set at creation. The ServiceAccount receives {@code
 * spec.kube.serviceAccount.extraAnnotations} and {@code extraLabels} of the Gateway's {@code
 * GatewayParameters}; the keys added are recorded in {@link #MANAGED_ANNOTATIONS}/{@link
 * #MANAGED_LABELS} so that when the reference (or the GatewayParameters) goes away exactly those
 * keys are removed.
 *
 * <p>Which Gateways get a proxy is {@link GatewayOwnership}'s rule, the one translation and token
 * minting use. A ServiceAccount of the Gateway's name that lambdagate did not create (an
 * application's IRSA account, say) is never changed: that Gateway gets no proxy (and loses one it
 * had), and status reports the conflict. The Deployment would otherwise run as that account.
 *
 * <p>Not thread-safe: one reconcile at a time (the leader's single worker thread).
 */
public final class GatewayProvisioner {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayProvisioner.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public static final String MANAGED_BY = GatewayOwnership.MANAGED_BY;
  public static final String MANAGED_BY_VALUE = GatewayOwnership.MANAGED_BY_VALUE;

  /** The standard label of objects provisioned for a Gateway (GEP-1762). */
  public static final String GATEWAY_NAME_LABEL = GatewayOwnership.GATEWAY_NAME_LABEL;

  public static final String MANAGED_ANNOTATIONS = "lambdagate.dev/managed-annotations";
  public static final String MANAGED_LABELS = "lambdagate.dev/managed-labels";
  public static final String BOOTSTRAP_HASH = "lambdagate.dev/bootstrap-sha256";
  public static final String BOOTSTRAP_KEY = "envoy.yaml";

  /** Pod template annotation: hash of the xDS client certificate, so a new one rolls pods. */
  public static final String XDS_CERT_HASH = "lambdagate.dev/xds-client-cert-sha256";

  /** Suffix of the Secret with a Gateway's xDS client credentials: {@code <gateway>-...}. */
  public static final String XDS_SECRET_SUFFIX = "-lambdagate-xds";

  private final KubernetesClient client;
  private final KubeModeOptions options;
  private final KubernetesSerialization serialization;
  private final AtomicInteger writes = new AtomicInteger();

  /** Gateways ({@code ns/name}) whose ServiceAccount conflict was logged (once each). */
  private final Set<String> conflicts = new HashSet<>();

  private final XdsClientSecrets xdsSecrets;

  /**
   * A provisioner issuing the proxies' xDS client certificates with a CA of its own: only for tests
   * that do not connect the proxies to an ADS server.
   */
  public GatewayProvisioner(KubernetesClient client, KubeModeOptions options) {
    this(client, options, CertificateAuthority.create(java.time.Clock.systemUTC()));
  }

  /** A provisioner issuing the proxies' xDS client certificates with {@code xdsCa}. */
  public GatewayProvisioner(
      KubernetesClient client, KubeModeOptions options, CertificateAuthority xdsCa) {
    this.client = client;
    this.options = options;
    this.serialization = client.getKubernetesSerialization();
    this.xdsSecrets = new XdsClientSecrets(client, xdsCa, writes);
  }

  /** Creates, patches or deletes objects (for tests and metrics). */
  public int writes() {
    return writes.get();
  }

  /** lambdagate's Gateways ({@link GatewayOwnership}) that are not being deleted. */
  public static List<Gateway> ourGateways(ClusterState state, List<String> configuredNames) {
    return GatewayOwnership.ourGateways(state, configuredNames).stream()
        .filter(g -> g.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  /** Brings the proxies in line with {@code state}; failures are logged per Gateway. */
  public void reconcile(ClusterState state) {
    List<Gateway> gateways = ourGateways(state, options.gatewayClassNames());
    Set<String> wanted = new HashSet<>();
    for (Gateway gateway : gateways) {
      String id = gateway.getMetadata().getNamespace() + "/" + gateway.getMetadata().getName();
      wanted.add(id); // kept through a failed API call: a transient error deletes nothing
      try {
        if (provision(gateway, parameters(state, gateway))) {
          conflicts.remove(id);
        } else {
          wanted.remove(id); // its ServiceAccount is someone else's: no proxy at all
          if (conflicts.add(id)) {
            LOG.warn(
                "Gateway {} gets no proxy: {}",
                id,
                GatewayOwnership.conflictMessage(
                    gateway.getMetadata().getNamespace(), gateway.getMetadata().getName()));
          }
        }
      } catch (KubernetesClientException e) {
        LOG.warn(
            "provisioning Gateway {}/{} failed: {} {}",
            gateway.getMetadata().getNamespace(),
            gateway.getMetadata().getName(),
            e.getCode(),
            e.getMessage());
      }
    }
    try {
      removeOrphans(wanted);
    } catch (KubernetesClientException e) {
      LOG.warn("cleaning up proxies failed: {} {}", e.getCode(), e.getMessage());
    }
  }

  private static GatewayParameters parameters(ClusterState state, Gateway gateway) {
    if (gateway.getSpec().getInfrastructure() == null) {
      return null;
    }
    LocalParametersReference ref = gateway.getSpec().getInfrastructure().getParametersRef();
    if (ref == null
        || !Backend.GROUP.equals(ref.getGroup())
        || !"GatewayParameters".equals(ref.getKind())) {
      return null;
    }
    return state.gatewayParameters().stream()
        .filter(
            p ->
                Objects.equals(p.getMetadata().getNamespace(), gateway.getMetadata().getNamespace())
                    && Objects.equals(p.getMetadata().getName(), ref.getName()))
        .findFirst()
        .orElse(null);
  }

  /**
   * Creates or updates the Gateway's proxy; false (nothing written) when its ServiceAccount name is
   * taken by an account lambdagate did not create.
   */
  private boolean provision(Gateway gateway, GatewayParameters params) {
    String ns = gateway.getMetadata().getNamespace();
    String name = gateway.getMetadata().getName();
    Map<String, String> labels = labels(name);
    List<OwnerReference> owners = List.of(owner(gateway));

    if (!serviceAccount(ns, name, labels, owners, params)) {
      return false;
    }

    String bootstrap =
        EnvoyBootstrap.yaml(
            ns, name, options.controlPlaneHost(), options.xdsPort(), options.wasmHttpPort());
    ConfigMap cm =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .withLabels(labels)
            .withOwnerReferences(owners)
            .endMetadata()
            .withData(Map.of(BOOTSTRAP_KEY, bootstrap))
            .build();
    apply(client.configMaps(), cm, cm);
    String certHash = xdsSecrets.ensure(ns, name, labels, owners);

    List<Integer> ports = ports(gateway);
    List<ContainerPort> containerPorts = new ArrayList<>();
    for (int port : ports) {
      containerPorts.add(
          new ContainerPortBuilder()
              .withName(portName(port))
              .withContainerPort(port)
              .withProtocol("TCP")
              .build());
    }
    containerPorts.add(
        new ContainerPortBuilder()
            .withName("readiness")
            .withContainerPort(EnvoyBootstrap.READINESS_PORT)
            .withProtocol("TCP")
            .build());
    Deployment deployment =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .withLabels(labels)
            .withOwnerReferences(owners)
            .endMetadata()
            .withNewSpec()
            .withNewSelector()
            .withMatchLabels(selector(name))
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(labels)
            .withAnnotations(Map.of(BOOTSTRAP_HASH, sha256(bootstrap), XDS_CERT_HASH, certHash))
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName(name)
            .addNewContainer()
            .withName("envoy")
            .withImage(options.envoyImage())
            .withArgs("-c", "/etc/envoy/" + BOOTSTRAP_KEY)
            .withPorts(containerPorts)
            .withNewReadinessProbe()
            .withNewHttpGet()
            .withPath("/ready")
            .withPort(new IntOrString(EnvoyBootstrap.READINESS_PORT))
            .endHttpGet()
            .withInitialDelaySeconds(1)
            .withPeriodSeconds(5)
            .withFailureThreshold(3)
            .endReadinessProbe()
            .addNewVolumeMount()
            .withName("bootstrap")
            .withMountPath("/etc/envoy")
            .withReadOnly(true)
            .endVolumeMount()
            .addToVolumeMounts(XdsClientSecrets.volumeMount())
            .endContainer()
            .addNewVolume()
            .withName("bootstrap")
            .withNewConfigMap()
            .withName(name)
            .endConfigMap()
            .endVolume()
            .addToVolumes(XdsClientSecrets.volume(name))
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    Deployment created =
        new DeploymentBuilder(deployment).editSpec().withReplicas(1).endSpec().build();
    apply(client.apps().deployments(), deployment, created);

    List<ServicePort> servicePorts = new ArrayList<>();
    for (int port : ports) {
      servicePorts.add(
          new ServicePortBuilder()
              .withName(portName(port))
              .withPort(port)
              .withTargetPort(new IntOrString(port))
              .withProtocol("TCP")
              .build());
    }
    Service service =
        new ServiceBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .withLabels(labels)
            .withOwnerReferences(owners)
            .endMetadata()
            .withNewSpec()
            .withType("LoadBalancer")
            .withSelector(selector(name))
            .withPorts(servicePorts)
            .endSpec()
            .build();
    apply(client.services(), service, service);
    return true;
  }

  /**
   * Creates the proxy's ServiceAccount, or brings one lambdagate created in line; false, without
   * touching it, when the existing account is not lambdagate's.
   */
  private boolean serviceAccount(
      String ns,
      String name,
      Map<String, String> labels,
      List<OwnerReference> owners,
      GatewayParameters params) {
    Map<String, String> extraAnnotations = new TreeMap<>();
    Map<String, String> extraLabels = new TreeMap<>();
    GatewayParametersSpec.ServiceAccount sa =
        params == null || params.getSpec() == null || params.getSpec().kube() == null
            ? null
            : params.getSpec().kube().serviceAccount();
    if (sa != null) {
      if (sa.extraAnnotations() != null) {
        extraAnnotations.putAll(sa.extraAnnotations());
      }
      if (sa.extraLabels() != null) {
        extraLabels.putAll(sa.extraLabels());
      }
    }
    Resource<ServiceAccount> resource = client.serviceAccounts().inNamespace(ns).withName(name);
    ServiceAccount existing = resource.get();
    if (existing == null) {
      Map<String, String> annotations = new TreeMap<>(extraAnnotations);
      Map<String, String> allLabels = new TreeMap<>(extraLabels);
      allLabels.putAll(labels);
      if (!extraAnnotations.isEmpty()) {
        annotations.put(MANAGED_ANNOTATIONS, String.join(",", extraAnnotations.keySet()));
      }
      if (!extraLabels.isEmpty()) {
        annotations.put(MANAGED_LABELS, String.join(",", extraLabels.keySet()));
      }
      ServiceAccount created =
          new ServiceAccountBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace(ns)
              .withLabels(allLabels)
              .withAnnotations(annotations)
              .withOwnerReferences(owners)
              .endMetadata()
              .build();
      client.resource(created).create();
      writes.incrementAndGet();
      LOG.info("created ServiceAccount {}/{}", ns, name);
      return true;
    }
    if (!GatewayOwnership.isProxyServiceAccount(existing)) {
      return false; // someone else's account: never annotated, labelled or owned
    }
    Map<String, String> oldAnnotations =
        existing.getMetadata().getAnnotations() == null
            ? Map.of()
            : existing.getMetadata().getAnnotations();

    Map<String, Object> annotationPatch = new LinkedHashMap<>();
    for (String key : keys(oldAnnotations.get(MANAGED_ANNOTATIONS))) {
      if (!extraAnnotations.containsKey(key)) {
        annotationPatch.put(key, null); // added by us earlier, no longer wanted
      }
    }
    annotationPatch.putAll(extraAnnotations);
    annotationPatch.put(
        MANAGED_ANNOTATIONS,
        extraAnnotations.isEmpty() ? null : String.join(",", extraAnnotations.keySet()));
    annotationPatch.put(
        MANAGED_LABELS, extraLabels.isEmpty() ? null : String.join(",", extraLabels.keySet()));
    Map<String, Object> labelPatch = new LinkedHashMap<>();
    for (String key : keys(oldAnnotations.get(MANAGED_LABELS))) {
      if (!extraLabels.containsKey(key) && !labels.containsKey(key)) {
        labelPatch.put(key, null);
      }
    }
    labelPatch.putAll(extraLabels);
    labelPatch.putAll(labels);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("annotations", annotationPatch);
    metadata.put("labels", labelPatch);
    metadata.put("ownerReferences", owners);
    ObjectNode patch = MAPPER.createObjectNode();
    patch.set("metadata", tree(metadata));
    patchIfDifferent(resource, existing, patch);
    return true;
  }

  private static List<String> keys(String csv) {
    if (csv == null || csv.isBlank()) {
      return List.of();
    }
    return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /**
   * Creates {@code created} when the object is absent; otherwise merge-patches the fields of {@code
   * desired} when one of them differs from the object on the server.
   */
  @SuppressWarnings("unchecked")
  private <T extends HasMetadata> void apply(
      MixedOperation<T, ?, ? extends Resource<T>> op, T desired, T created) {
    String ns = desired.getMetadata().getNamespace();
    String name = desired.getMetadata().getName();
    Resource<T> resource = op.inNamespace(ns).withName(name);
    T existing = resource.get();
    if (existing == null) {
      client.resource(created).create();
      writes.incrementAndGet();
      LOG.info("created {} {}/{}", created.getKind(), ns, name);
      return;
    }
    Map<String, String> existingLabels = existing.getMetadata().getLabels();
    if (existingLabels == null || !MANAGED_BY_VALUE.equals(existingLabels.get(MANAGED_BY))) {
      LOG.warn(
          "{} {}/{} exists and is not managed by lambdagate: left alone",
          existing.getKind(),
          ns,
          name);
      return;
    }
    if (desired instanceof Service svc
        && existing instanceof Service old
        && old.getSpec() != null
        && old.getSpec().getPorts() != null) {
      svc = new ServiceBuilder(svc).build();
      for (ServicePort p : svc.getSpec().getPorts()) {
        old.getSpec().getPorts().stream()
            .filter(o -> Objects.equals(o.getPort(), p.getPort()) && o.getNodePort() != null)
            .findFirst()
            .ifPresent(o -> p.setNodePort(o.getNodePort())); // keep allocations
      }
      desired = (T) svc;
    }
    ObjectNode patch = (ObjectNode) tree(desired);
    patch.remove("status");
    patch.remove("apiVersion");
    patch.remove("kind");
    ((ObjectNode) patch.get("metadata")).remove(List.of("name", "namespace"));
    patchIfDifferent(resource, existing, patch);
  }

  /**
   * When {@code patch} (RFC 7386 JSON merge patch) would change {@code existing}, applies it
   * locally and replaces the object (PUT with its resourceVersion), re-reading and re-applying on a
   * conflict. A local merge plus replace instead of a server-side merge patch: the fabric8 mock
   * server does not remove keys patched to null, and this behaves the same everywhere.
   */
  @SuppressWarnings("unchecked")
  private <T extends HasMetadata> void patchIfDifferent(
      Resource<T> resource, T existing, ObjectNode patch) {
    T current = existing;
    for (int attempt = 1; ; attempt++) {
      JsonNode tree = tree(current);
      if (covers(tree, patch)) {
        return;
      }
      JsonNode merged = merge(tree.deepCopy(), patch);
      T next = (T) serialization.unmarshal(merged.toString(), current.getClass());
      try {
        client.resource(next).update();
        writes.incrementAndGet();
        LOG.info(
            "updated {} {}/{}",
            current.getKind(),
            current.getMetadata().getNamespace(),
            current.getMetadata().getName());
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 3) {
          throw e;
        }
        current = resource.get();
        if (current == null) {
          return;
        }
      }
    }
  }

  /** RFC 7386: objects merge key by key, null removes, anything else replaces. */
  static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    ObjectNode out =
        target != null && target.isObject() ? (ObjectNode) target : MAPPER.createObjectNode();
    Iterator<Map.Entry<String, JsonNode>> it = patch.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isNull()) {
        out.remove(e.getKey());
      } else {
        out.set(e.getKey(), merge(out.get(e.getKey()), e.getValue()));
      }
    }
    return out;
  }

  /**
   * Whether applying merge patch {@code patch} would leave {@code target} unchanged, reading arrays
   * as "same length, each element covered" so that fields defaulted by the server do not count as
   * differences.
   */
  static boolean covers(JsonNode target, JsonNode patch) {
    if (patch.isObject()) {
      if (target == null || !target.isObject()) {
        return false;
      }
      Iterator<Map.Entry<String, JsonNode>> it = patch.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode t = target.get(e.getKey());
        if (e.getValue().isNull()) {
          if (t != null && !t.isNull()) {
            return false;
          }
        } else if (t == null || !covers(t, e.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (patch.isArray()) {
      if (target == null || !target.isArray() || target.size() != patch.size()) {
        return false;
      }
      ArrayNode p = (ArrayNode) patch;
      for (int i = 0; i < p.size(); i++) {
        if (!covers(target.get(i), p.get(i))) {
          return false;
        }
      }
      return true;
    }
    return patch.equals(target)
        || (target != null
            && patch.isNumber()
            && target.isNumber()
            && patch.asText().equals(target.asText()));
  }

  /** Deletes proxies lambdagate created for Gateways that are gone or no longer ours. */
  private void removeOrphans(Set<String> wanted) {
    String watch = options.watchNamespace();
    List<HasMetadata> found = new ArrayList<>();
    found.addAll(list(client.apps().deployments(), watch));
    found.addAll(list(client.services(), watch));
    found.addAll(list(client.configMaps(), watch));
    found.addAll(list(client.serviceAccounts(), watch));
    found.addAll(list(client.secrets(), watch));
    for (HasMetadata o : found) {
      String gateway = o.getMetadata().getLabels().get(GATEWAY_NAME_LABEL);
      if (gateway == null || wanted.contains(o.getMetadata().getNamespace() + "/" + gateway)) {
        continue;
      }
      LOG.info(
          "deleting {} {}/{}: its Gateway is gone or not of lambdagate's classes",
          o.getKind(),
          o.getMetadata().getNamespace(),
          o.getMetadata().getName());
      client.resource(o).delete();
      writes.incrementAndGet();
    }
  }

  private static <T extends HasMetadata> List<T> list(
      MixedOperation<T, ? extends KubernetesResourceList<T>, ? extends Resource<T>> op,
      String namespace) {
    return (namespace == null ? op.inAnyNamespace() : op.inNamespace(namespace))
        .withLabel(MANAGED_BY, MANAGED_BY_VALUE)
        .list()
        .getItems();
  }

  private static List<Integer> ports(Gateway gateway) {
    if (gateway.getSpec().getListeners() == null) {
      return List.of();
    }
    return gateway.getSpec().getListeners().stream()
        .map(Listener::getPort)
        .filter(Objects::nonNull)
        .distinct()
        .sorted()
        .collect(Collectors.toList());
  }

  private static String portName(int port) {
    return "port-" + port;
  }

  static Map<String, String> selector(String gatewayName) {
    Map<String, String> m = new TreeMap<>();
    m.put(MANAGED_BY, MANAGED_BY_VALUE);
    m.put(GATEWAY_NAME_LABEL, gatewayName);
    return m;
  }

  private static Map<String, String> labels(String gatewayName) {
    Map<String, String> m = selector(gatewayName);
    m.put("app.kubernetes.io/name", "lambdagate-proxy");
    m.put("app.kubernetes.io/instance", gatewayName);
    return m;
  }

  private static OwnerReference owner(Gateway gateway) {
    return new OwnerReferenceBuilder()
        .withApiVersion(
            gateway.getApiVersion() == null
                ? "gateway.networking.k8s.io/v1"
                : gateway.getApiVersion())
        .withKind("Gateway")
        .withName(gateway.getMetadata().getName())
        .withUid(gateway.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  private JsonNode tree(Object value) {
    try {
      return MAPPER.readTree(serialization.asJson(value));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
