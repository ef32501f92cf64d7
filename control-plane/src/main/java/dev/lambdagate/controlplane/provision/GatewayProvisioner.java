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
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
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
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
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
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provisions the Envoy proxy of every Gateway of lambdagate's classes: a ServiceAccount, a
 * ConfigMap with the Envoy bootstrap, a Deployment, a Service (LoadBalancer unless the
 * GatewayParameters say otherwise) and, when asked for, a PodDisruptionBudget, all named after the
 * Gateway, labelled {@code app.kubernetes.io/managed-by: lambdagate} and owned by the Gateway
 * (deleting the Gateway deletes them), and the Secret {@code <gateway>-lambdagate-xds} with the
 * proxy's xDS client certificate ({@link XdsClientSecrets}), mounted into the proxy.
 *
 * <p>Objects are created when absent. Otherwise the fields lambdagate owns form a JSON merge patch;
 * when it would change something (fields the server defaults do not count), it is merged locally
 * into the object read from the server and the result replaces it (optimistic locking on
 * resourceVersion, re-read on conflict). Allocated Service node ports are kept.
 *
 * <p>The Gateway's {@code GatewayParameters} ({@code spec.kube}, kgateway's fields, see {@link
 * ProxySettings}) shape the objects. What they add to an object others also write (labels,
 * annotations, optional fields such as affinity or resources) is recorded on it ({@link
 * #MANAGED_ANNOTATIONS}, {@link #MANAGED_LABELS}, {@link #MANAGED_POD_LABELS}, {@link
 * #MANAGED_POD_ANNOTATIONS}, {@link #MANAGED_FIELDS}) so that when the GatewayParameters stop
 * asking for it exactly that is removed; an optional field that is given replaces the old value
 * whole. The replica count: {@code deployment.replicas} is applied on every reconcile; without it
 * the Deployment gets 1 at creation and the count is then left to whoever scales it; with {@code
 * omitReplicas} not even that, so that an HPA owns it.
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

  /**
   * On the Deployment and Service: the optional fields (JSON pointers) the GatewayParameters set,
   * removed when it no longer does.
   */
  public static final String MANAGED_FIELDS = "lambdagate.dev/managed-fields";

  /** On the Deployment: the pod template labels the GatewayParameters added. */
  public static final String MANAGED_POD_LABELS = "lambdagate.dev/managed-pod-labels";

  /** On the Deployment: the pod template annotations the GatewayParameters added. */
  public static final String MANAGED_POD_ANNOTATIONS = "lambdagate.dev/managed-pod-annotations";

  private static final String ENVOY_CONTAINER = "/spec/template/spec/containers/0";

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

    ProxySettings settings = ProxySettings.of(params);
    if (!serviceAccount(ns, name, labels, owners, settings)) {
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
    deployment(ns, name, labels, owners, settings, ports, sha256(bootstrap), certHash);
    service(ns, name, labels, owners, settings, ports);
    podDisruptionBudget(ns, name, labels, owners, settings);
    return true;
  }

  /**
   * The proxy's Deployment. The fields GatewayParameters sets optionally are listed, as JSON
   * pointers, in {@link #MANAGED_FIELDS}: one that is no longer asked for is removed (the API
   * server may then default it again), one that is asked for replaces what is there whole.
   */
  private void deployment(
      String ns,
      String name,
      Map<String, String> labels,
      List<OwnerReference> owners,
      ProxySettings settings,
      List<Integer> ports,
      String bootstrapHash,
      String certHash) {
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
    List<String> args = new ArrayList<>(List.of("-c", "/etc/envoy/" + BOOTSTRAP_KEY));
    args.addAll(settings.envoyArgs());
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
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName(name)
            // Envoy needs no Kubernetes API access (its tokens come from this control plane over
            // xDS), so the internet-facing pod carries no API credential.
            .withAutomountServiceAccountToken(false)
            .addNewContainer()
            .withName("envoy")
            .withImage(settings.image(options.envoyImage()))
            .withArgs(args)
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

    Map<String, Object> fields = new TreeMap<>();
    if (settings.deployment() != null) {
      putField(fields, "/spec/strategy", settings.deployment().strategy());
    }
    GatewayParametersSpec.Pod pod = settings.pod();
    if (pod != null) {
      putField(fields, "/spec/template/spec/securityContext", pod.securityContext());
      putField(fields, "/spec/template/spec/imagePullSecrets", pod.imagePullSecrets());
      putField(fields, "/spec/template/spec/nodeSelector", pod.nodeSelector());
      putField(fields, "/spec/template/spec/affinity", pod.affinity());
      putField(fields, "/spec/template/spec/tolerations", pod.tolerations());
      putField(
          fields, "/spec/template/spec/topologySpreadConstraints", pod.topologySpreadConstraints());
    }
    if (settings.envoy() != null) {
      putField(fields, ENVOY_CONTAINER + "/resources", settings.envoy().resources());
      putField(fields, ENVOY_CONTAINER + "/securityContext", settings.envoy().securityContext());
    }
    putField(fields, ENVOY_CONTAINER + "/imagePullPolicy", settings.pullPolicy());

    Map<String, String> podAnnotations = new TreeMap<>();
    podAnnotations.put(BOOTSTRAP_HASH, bootstrapHash);
    podAnnotations.put(XDS_CERT_HASH, certHash);
    Integer replicas = settings.replicas();
    applyTree(
        client.apps().deployments(),
        Deployment.class,
        ns,
        name,
        existing -> {
          ObjectNode t = (ObjectNode) tree(deployment);
          Map<String, String> old = annotations(existing);
          ObjectNode annotations = ((ObjectNode) t.get("metadata")).putObject("annotations");
          ObjectNode template = (ObjectNode) t.at("/spec/template/metadata");
          ManagedKeys.putOrNull(
              annotations,
              MANAGED_POD_LABELS,
              ManagedKeys.merge(
                  template.withObjectProperty("labels"),
                  settings.podLabels(),
                  labels,
                  old.get(MANAGED_POD_LABELS)));
          ManagedKeys.putOrNull(
              annotations,
              MANAGED_POD_ANNOTATIONS,
              ManagedKeys.merge(
                  template.withObjectProperty("annotations"),
                  settings.podAnnotations(),
                  podAnnotations,
                  old.get(MANAGED_POD_ANNOTATIONS)));
          setFields(t, annotations, fields, old.get(MANAGED_FIELDS));
          if (replicas != null) {
            t.withObjectProperty("spec").put("replicas", replicas);
          }
          return t;
        },
        created -> {
          if (replicas == null && !settings.omitReplicas()) {
            created.withObjectProperty("spec").put("replicas", 1); // then left to whoever scales it
          }
        },
        fields.keySet());
  }

  /** The proxy's Service: its type, ports, and the GatewayParameters' labels and annotations. */
  private void service(
      String ns,
      String name,
      Map<String, String> labels,
      List<OwnerReference> owners,
      ProxySettings settings,
      List<Integer> ports) {
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
    String type = settings.serviceType();
    Map<String, Object> fields = new TreeMap<>();
    putField(fields, "/spec/externalTrafficPolicy", settings.externalTrafficPolicy());
    applyTree(
        client.services(),
        Service.class,
        ns,
        name,
        existing -> {
          Service service =
              new ServiceBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(ns)
                  .withLabels(labels)
                  .withOwnerReferences(owners)
                  .endMetadata()
                  .withNewSpec()
                  .withType(type)
                  .withSelector(selector(name))
                  .withPorts(servicePorts)
                  .endSpec()
                  .build();
          if (existing != null
              && existing.getSpec() != null
              && existing.getSpec().getPorts() != null
              && ("LoadBalancer".equals(type) || "NodePort".equals(type))) {
            for (ServicePort p : service.getSpec().getPorts()) {
              existing.getSpec().getPorts().stream()
                  .filter(o -> Objects.equals(o.getPort(), p.getPort()) && o.getNodePort() != null)
                  .findFirst()
                  .ifPresent(o -> p.setNodePort(o.getNodePort())); // keep allocations
            }
          }
          ObjectNode t = (ObjectNode) tree(service);
          Map<String, String> old = annotations(existing);
          ObjectNode annotations =
              mergeExtraMetadata(
                  t, settings.serviceLabels(), labels, settings.serviceAnnotations(), old);
          setFields(t, annotations, fields, old.get(MANAGED_FIELDS));
          return t;
        },
        created -> {},
        fields.keySet());
  }

  /**
   * The proxy's PodDisruptionBudget when {@code spec.kube.podDisruptionBudget} is present (its
   * selector: the proxy's pods; neither {@code minAvailable} nor {@code maxUnavailable} given:
   * {@code maxUnavailable: 1}); deleted when it is not.
   */
  private void podDisruptionBudget(
      String ns,
      String name,
      Map<String, String> labels,
      List<OwnerReference> owners,
      ProxySettings settings) {
    var op = client.policy().v1().podDisruptionBudget();
    if (settings.podDisruptionBudget() == null) {
      PodDisruptionBudget existing = op.inNamespace(ns).withName(name).get();
      if (existing != null && isManaged(existing)) {
        client.resource(existing).delete();
        writes.incrementAndGet();
        LOG.info("deleted PodDisruptionBudget {}/{}: no longer asked for", ns, name);
      }
      return;
    }
    PodDisruptionBudgetSpec given = settings.podDisruptionBudget().spec();
    PodDisruptionBudgetSpec spec =
        given == null
            ? new PodDisruptionBudgetSpec()
            : new PodDisruptionBudgetSpecBuilder(given).build();
    if (spec.getMinAvailable() == null && spec.getMaxUnavailable() == null) {
      spec.setMaxUnavailable(new IntOrString(1));
    }
    spec.setSelector(new LabelSelectorBuilder().withMatchLabels(selector(name)).build());
    PodDisruptionBudget pdb =
        new PodDisruptionBudgetBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .withLabels(labels)
            .withOwnerReferences(owners)
            .endMetadata()
            .withSpec(spec)
            .build();
    applyTree(
        op,
        PodDisruptionBudget.class,
        ns,
        name,
        existing -> {
          ObjectNode t = (ObjectNode) tree(pdb);
          Map<String, String> old = annotations(existing);
          mergeExtraMetadata(
              t,
              settings.podDisruptionBudgetLabels(),
              labels,
              settings.podDisruptionBudgetAnnotations(),
              old);
          return t;
        },
        created -> {},
        List.of("/spec"));
  }

  /** Records {@code value} at {@code pointer} when the GatewayParameters gives one. */
  private static void putField(Map<String, Object> fields, String pointer, Object value) {
    if (value == null
        || (value instanceof java.util.Collection<?> c && c.isEmpty())
        || (value instanceof Map<?, ?> m && m.isEmpty())) {
      return;
    }
    fields.put(pointer, value);
  }

  /**
   * Sets {@code fields} in desired object {@code t}, null (removal) for the pointers recorded in
   * {@code recorded} that are no longer given, and records the new list in {@code annotations}.
   */
  private void setFields(
      ObjectNode t, ObjectNode annotations, Map<String, Object> fields, String recorded) {
    for (String pointer : ManagedKeys.parse(recorded)) {
      if (!fields.containsKey(pointer) && pointer.startsWith("/spec/")) {
        ManagedKeys.setAt(t, pointer, null);
      }
    }
    fields.forEach((pointer, value) -> ManagedKeys.setAt(t, pointer, tree(value)));
    ManagedKeys.putOrNull(annotations, MANAGED_FIELDS, ManagedKeys.format(fields.keySet()));
  }

  private static Map<String, String> annotations(HasMetadata o) {
    return o == null || o.getMetadata().getAnnotations() == null
        ? Map.of()
        : o.getMetadata().getAnnotations();
  }

  private static boolean isManaged(HasMetadata o) {
    Map<String, String> l = o.getMetadata().getLabels();
    return l != null && MANAGED_BY_VALUE.equals(l.get(MANAGED_BY));
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
      ProxySettings settings) {
    Map<String, String> extraAnnotations = settings.serviceAccountAnnotations();
    Map<String, String> extraLabels = settings.serviceAccountLabels();
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
    for (String key : ManagedKeys.parse(oldAnnotations.get(MANAGED_ANNOTATIONS))) {
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
    for (String key : ManagedKeys.parse(oldAnnotations.get(MANAGED_LABELS))) {
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

  /**
   * Creates {@code created} when the object is absent; otherwise merge-patches the fields of {@code
   * desired} when one of them differs from the object on the server.
   */
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
    ObjectNode patch = (ObjectNode) tree(desired);
    patch.remove("status");
    patch.remove("apiVersion");
    patch.remove("kind");
    ((ObjectNode) patch.get("metadata")).remove(List.of("name", "namespace"));
    patchIfDifferent(resource, existing, patch);
  }

  /**
   * Creates the object {@code desired} describes for no existing object (nulls dropped, then {@code
   * onCreate}) when it is absent; otherwise, when it is lambdagate's, merge-patches it with what
   * {@code desired} makes of it, {@code replaced} pointers replacing the value there whole.
   */
  private <T extends HasMetadata> void applyTree(
      MixedOperation<T, ?, ? extends Resource<T>> op,
      Class<T> type,
      String ns,
      String name,
      Function<T, ObjectNode> desired,
      Consumer<ObjectNode> onCreate,
      Collection<String> replaced) {
    Resource<T> resource = op.inNamespace(ns).withName(name);
    T existing = resource.get();
    if (existing == null) {
      ObjectNode created = desired.apply(null);
      ManagedKeys.stripNulls(created);
      onCreate.accept(created);
      client.resource(serialization.unmarshal(created.toString(), type)).create();
      writes.incrementAndGet();
      LOG.info("created {} {}/{}", type.getSimpleName(), ns, name);
      return;
    }
    if (!isManaged(existing)) {
      LOG.warn(
          "{} {}/{} exists and is not managed by lambdagate: left alone",
          existing.getKind(),
          ns,
          name);
      return;
    }
    ObjectNode patch = desired.apply(existing);
    patch.remove(List.of("status", "apiVersion", "kind"));
    ((ObjectNode) patch.get("metadata")).remove(List.of("name", "namespace"));
    patchIfDifferent(resource, existing, patch, replaced);
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
    patchIfDifferent(resource, existing, patch, List.of());
  }

  /**
   * {@link #patchIfDifferent(Resource, HasMetadata, ObjectNode)}, where the values of {@code patch}
   * at the {@code replaced} JSON pointers replace what is there whole (and must equal it for no
   * write) instead of merging into it: an affinity or a toleration list the user changed leaves
   * nothing of the old one behind.
   */
  @SuppressWarnings("unchecked")
  private <T extends HasMetadata> void patchIfDifferent(
      Resource<T> resource, T existing, ObjectNode patch, Collection<String> replaced) {
    T current = existing;
    for (int attempt = 1; ; attempt++) {
      JsonNode tree = tree(current);
      JsonNode have = canonicalQuantities(tree.deepCopy());
      JsonNode want = canonicalQuantities(patch.deepCopy());
      if (covers(have, want) && replacedEqual(have, want, replaced)) {
        return;
      }
      JsonNode base = tree.deepCopy();
      for (String pointer : replaced) {
        ManagedKeys.removeAt(base, pointer);
      }
      JsonNode merged = merge(base, patch);
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

  /**
   * Rewrites, in place, each quantity of a container's {@code resources.limits}/{@code requests} as
   * its plain decimal value, for comparing only: the API server stores quantities in canonical form
   * ({@code 1000m} becomes {@code 1}, {@code 1024Mi} {@code 1Gi}), which must not read as a change
   * on every reconcile. Values that are not quantities are left as they are.
   */
  static JsonNode canonicalQuantities(JsonNode node) {
    if (node instanceof ObjectNode o) {
      JsonNode resources = o.get("resources");
      if (resources instanceof ObjectNode r) {
        for (String list : List.of("limits", "requests")) {
          if (r.get(list) instanceof ObjectNode q) {
            for (Map.Entry<String, JsonNode> e : q.properties()) {
              try {
                e.setValue(
                    MAPPER
                        .getNodeFactory()
                        .textNode(
                            new Quantity(e.getValue().asText())
                                .getNumericalAmount()
                                .stripTrailingZeros()
                                .toPlainString()));
              } catch (RuntimeException notAQuantity) {
                // compared as written
              }
            }
          }
        }
      }
      o.forEach(GatewayProvisioner::canonicalQuantities);
    } else if (node != null && node.isArray()) {
      node.forEach(GatewayProvisioner::canonicalQuantities);
    }
    return node;
  }

  /** Whether at each pointer of {@code replaced} the object holds exactly what the patch sets. */
  static boolean replacedEqual(JsonNode target, JsonNode patch, Collection<String> replaced) {
    for (String pointer : replaced) {
      JsonNode want = patch.at(pointer);
      if (want.isMissingNode() || want.isNull()) {
        continue;
      }
      JsonNode have = target.at(pointer);
      if (!covers(have, want) || !covers(want, have)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Writes an object's labels and annotations into its merge patch {@code tree}: the
   * GatewayParameters' extra ones under ours (ours win a shared key), recording the extra keys in
   * {@link #MANAGED_LABELS} / {@link #MANAGED_ANNOTATIONS} and removing those recorded in {@code
   * oldAnnotations} that are no longer asked for.
   *
   * @return the patch's annotations object
   */
  private static ObjectNode mergeExtraMetadata(
      ObjectNode tree,
      Map<String, String> extraLabels,
      Map<String, String> ourLabels,
      Map<String, String> extraAnnotations,
      Map<String, String> oldAnnotations) {
    ObjectNode metadata = (ObjectNode) tree.get("metadata");
    ObjectNode annotations = metadata.putObject("annotations");
    String addedLabels =
        ManagedKeys.merge(
            metadata.withObjectProperty("labels"),
            extraLabels,
            ourLabels,
            oldAnnotations.get(MANAGED_LABELS));
    String addedAnnotations =
        ManagedKeys.merge(
            annotations, extraAnnotations, Map.of(), oldAnnotations.get(MANAGED_ANNOTATIONS));
    ManagedKeys.putOrNull(annotations, MANAGED_LABELS, addedLabels);
    ManagedKeys.putOrNull(annotations, MANAGED_ANNOTATIONS, addedAnnotations);
    return annotations;
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
        return onlyRemovals(patch); // removing from what is not there changes nothing
      }
      Iterator<Map.Entry<String, JsonNode>> it = patch.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode t = target.get(e.getKey());
        if (e.getValue().isNull()) {
          if (t != null && !t.isNull()) {
            return false;
          }
        } else if (!covers(t, e.getValue())) {
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

  /** Whether merge patch {@code patch} only removes (an object of nulls, at any depth). */
  private static boolean onlyRemovals(JsonNode patch) {
    if (patch.isNull()) {
      return true;
    }
    if (!patch.isObject()) {
      return false;
    }
    for (JsonNode v : patch) {
      if (!onlyRemovals(v)) {
        return false;
      }
    }
    return true;
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
    try {
      found.addAll(list(client.policy().v1().podDisruptionBudget(), watch));
    } catch (KubernetesClientException e) {
      // RBAC of an older install without poddisruptionbudgets: the other objects still go.
      LOG.warn("listing PodDisruptionBudgets failed: {} {}", e.getCode(), e.getMessage());
    }
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
