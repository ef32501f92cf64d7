package dev.lambdagate.controlplane.provision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.crd.GatewayParameters;
import dev.lambdagate.controlplane.crd.GatewayParametersSpec;
import dev.lambdagate.controlplane.kube.KubeModeOptions;
import dev.lambdagate.controlplane.kube.MockApi;
import dev.lambdagate.controlplane.model.GatewayOwnership;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.tls.CertificateAuthority;
import dev.lambdagate.controlplane.tls.GatewayIdentity;
import dev.lambdagate.controlplane.tls.MutableClock;
import dev.lambdagate.controlplane.tls.Pem;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, https = false)
class GatewayProvisionerTest {
  static {
    MockApi.quiet();
  }

  static final String NS = "kgateway-system";
  static final String ROLE = "arn:aws:iam::210987654321:role/lambda-role";

  KubernetesClient client;
  GatewayProvisioner provisioner;

  @BeforeEach
  void seed() {
    MockApi.installCrds(client);
    MockApi.apply(client, MockApi.load(client, "kube/seed-irsa.yaml", MockApi.SEED_VARS));
    provisioner =
        new GatewayProvisioner(client, KubeModeOptions.defaults("lambdagate-system", "test"));
  }

  /** What the informers would deliver: the objects on the server now. */
  ClusterState state() {
    return new ClusterState(
        client.resources(GatewayClass.class).list().getItems(),
        client.resources(Gateway.class).inAnyNamespace().list().getItems(),
        client.resources(HTTPRoute.class).inAnyNamespace().list().getItems(),
        client.resources(Backend.class).inAnyNamespace().list().getItems(),
        client.resources(GatewayParameters.class).inAnyNamespace().list().getItems(),
        List.of(),
        client.serviceAccounts().inAnyNamespace().list().getItems(),
        client.resources(ReferenceGrant.class).inAnyNamespace().list().getItems());
  }

  ServiceAccount sa() {
    return client.serviceAccounts().inNamespace(NS).withName("http").get();
  }

  @Test
  void gatewayAndParametersBecomeDeploymentServiceServiceAccountAndBootstrap() throws Exception {
    GatewayParameters params =
        client.resources(GatewayParameters.class).inNamespace(NS).withName("http-lambda").get();
    params.setSpec(
        new GatewayParametersSpec(
            new GatewayParametersSpec.Kube(
                new GatewayParametersSpec.ServiceAccount(
                    params.getSpec().kube().serviceAccount().extraAnnotations(),
                    Map.of("team", "payments")))));
    client.resource(params).update();
    provisioner.reconcile(state());
    Gateway gw = client.resources(Gateway.class).inNamespace(NS).withName("http").get();

    ServiceAccount sa = sa();
    assertThat(sa.getMetadata().getAnnotations()).containsEntry("eks.amazonaws.com/role-arn", ROLE);
    assertThat(sa.getMetadata().getLabels())
        .containsEntry("team", "payments")
        .containsEntry(GatewayProvisioner.MANAGED_BY, "lambdagate");

    Deployment d = client.apps().deployments().inNamespace(NS).withName("http").get();
    assertThat(d.getSpec().getReplicas()).isEqualTo(1);
    assertThat(d.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("http");
    assertThat(d.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken())
        .as("the proxy pod carries no Kubernetes API token")
        .isFalse();
    Container envoy = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(envoy.getImage()).isEqualTo(KubeModeOptions.DEFAULT_ENVOY_IMAGE);
    assertThat(envoy.getArgs()).containsExactly("-c", "/etc/envoy/envoy.yaml");
    assertThat(envoy.getPorts())
        .extracting(p -> p.getContainerPort())
        .containsExactly(8080, EnvoyBootstrap.READINESS_PORT);
    assertThat(envoy.getReadinessProbe().getHttpGet().getPort().getIntVal())
        .isEqualTo(EnvoyBootstrap.READINESS_PORT);
    assertThat(envoy.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
    assertThat(d.getSpec().getSelector().getMatchLabels())
        .isEqualTo(
            d.getSpec().getTemplate().getMetadata().getLabels().entrySet().stream()
                .filter(e -> d.getSpec().getSelector().getMatchLabels().containsKey(e.getKey()))
                .collect(
                    java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));

    Service svc = client.services().inNamespace(NS).withName("http").get();
    assertThat(svc.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(svc.getSpec().getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getPort()).isEqualTo(8080));
    assertThat(svc.getSpec().getSelector()).isEqualTo(d.getSpec().getSelector().getMatchLabels());

    ConfigMap cm = client.configMaps().inNamespace(NS).withName("http").get();
    JsonNode boot = new YAMLMapper().readTree(cm.getData().get("envoy.yaml"));
    assertThat(boot.at("/node/id").asText()).isEqualTo(NS + "/http");
    assertThat(boot.at("/node/metadata/gateway").asText()).isEqualTo(NS + "/http");
    assertThat(boot.at("/dynamic_resources/ads_config/api_type").asText()).isEqualTo("DELTA_GRPC");
    JsonNode xds = boot.at("/static_resources/clusters/0");
    assertThat(xds.at("/name").asText()).isEqualTo("xds_cluster");
    assertThat(
            xds.at(
                    "/load_assignment/endpoints/0/lb_endpoints/0/endpoint/address/"
                        + "socket_address/address")
                .asText())
        .isEqualTo("lambdagate-control-plane.lambdagate-system.svc");
    assertThat(
            xds.at(
                    "/load_assignment/endpoints/0/lb_endpoints/0/endpoint/address/"
                        + "socket_address/port_value")
                .asInt())
        .isEqualTo(18000);

    for (var o : List.of(sa, d, svc, cm)) {
      assertThat(o.getMetadata().getOwnerReferences())
          .as(o.getKind())
          .singleElement()
          .satisfies(
              ref -> {
                assertThat(ref.getKind()).isEqualTo("Gateway");
                assertThat(ref.getName()).isEqualTo("http");
                assertThat(ref.getUid()).isEqualTo(gw.getMetadata().getUid());
                assertThat(ref.getController()).isTrue();
              });
    }

    // A second pass with nothing changed writes nothing.
    int writes = provisioner.writes();
    provisioner.reconcile(state());
    assertThat(provisioner.writes()).isEqualTo(writes);
  }

  @Test
  void xdsClientCertificateSecretIsCreatedMountedAndReissuedWhenDue() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
    CertificateAuthority ca = CertificateAuthority.create(clock);
    provisioner =
        new GatewayProvisioner(client, KubeModeOptions.defaults("lambdagate-system", "test"), ca);
    provisioner.reconcile(state());
    Gateway gw = client.resources(Gateway.class).inNamespace(NS).withName("http").get();

    Secret secret = client.secrets().inNamespace(NS).withName("http-lambdagate-xds").get();
    assertThat(secret).isNotNull();
    assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
    assertThat(secret.getMetadata().getLabels())
        .containsEntry(GatewayProvisioner.MANAGED_BY, "lambdagate")
        .containsEntry(GatewayProvisioner.GATEWAY_NAME_LABEL, "http");
    assertThat(secret.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(gw.getMetadata().getUid()));
    X509Certificate cert = certificate(secret);
    cert.verify(ca.certificate().getPublicKey());
    assertThat(GatewayIdentity.of(cert)).isEqualTo(NS + "/http");
    assertThat(decode(secret, "ca.crt")).isEqualTo(ca.certificatePem());
    assertThat(Pem.parsePrivateKey(decode(secret, "tls.key"), "tls.key").getAlgorithm())
        .isEqualTo("EC");

    Deployment d = client.apps().deployments().inNamespace(NS).withName("http").get();
    var pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes())
        .anySatisfy(
            v -> {
              assertThat(v.getName()).isEqualTo("xds-tls");
              assertThat(v.getSecret().getSecretName()).isEqualTo("http-lambdagate-xds");
            });
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getName()).isEqualTo("xds-tls");
              assertThat(m.getMountPath()).isEqualTo("/etc/envoy/xds-tls");
            });
    JsonNode boot =
        new YAMLMapper()
            .readTree(
                client
                    .configMaps()
                    .inNamespace(NS)
                    .withName("http")
                    .get()
                    .getData()
                    .get("envoy.yaml"));
    JsonNode tlsContext = boot.at("/static_resources/clusters/0/transport_socket/typed_config");
    assertThat(
            tlsContext
                .at("/common_tls_context/tls_certificates/0/certificate_chain/filename")
                .asText())
        .isEqualTo("/etc/envoy/xds-tls/tls.crt");
    assertThat(tlsContext.at("/common_tls_context/validation_context/trusted_ca/filename").asText())
        .isEqualTo("/etc/envoy/xds-tls/ca.crt");
    String hash =
        d.getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations()
            .get(GatewayProvisioner.XDS_CERT_HASH);
    assertThat(hash).hasSize(64);

    // Nothing due: nothing written, same certificate, same annotation.
    clock.set(Instant.parse("2026-03-15T00:00:00Z"));
    int writes = provisioner.writes();
    provisioner.reconcile(state());
    assertThat(provisioner.writes()).isEqualTo(writes);
    assertThat(certificate(client.secrets().inNamespace(NS).withName("http-lambdagate-xds").get()))
        .isEqualTo(cert);

    // Day 21 of 30: re-issued, and the pod template changes so the proxies roll.
    clock.set(Instant.parse("2026-03-22T00:00:00Z"));
    provisioner.reconcile(state());
    X509Certificate renewed =
        certificate(client.secrets().inNamespace(NS).withName("http-lambdagate-xds").get());
    assertThat(renewed).isNotEqualTo(cert);
    assertThat(renewed.getNotAfter().toInstant()).isEqualTo(Instant.parse("2026-04-21T00:00:00Z"));
    String rolled =
        client
            .apps()
            .deployments()
            .inNamespace(NS)
            .withName("http")
            .get()
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations()
            .get(GatewayProvisioner.XDS_CERT_HASH);
    assertThat(rolled).isNotEqualTo(hash);

    // A Secret whose certificate another CA signed is replaced too.
    CertificateAuthority newCa = CertificateAuthority.create(clock);
    new GatewayProvisioner(client, KubeModeOptions.defaults("lambdagate-system", "test"), newCa)
        .reconcile(state());
    Secret replaced = client.secrets().inNamespace(NS).withName("http-lambdagate-xds").get();
    certificate(replaced).verify(newCa.certificate().getPublicKey());
    assertThat(decode(replaced, "ca.crt")).isEqualTo(newCa.certificatePem());
  }

  private static String decode(Secret s, String key) {
    return new String(
        java.util.Base64.getDecoder().decode(s.getData().get(key)),
        java.nio.charset.StandardCharsets.US_ASCII);
  }

  private static X509Certificate certificate(Secret s) {
    return Pem.parseCertificate(decode(s, "tls.crt"), "tls.crt");
  }

  @Test
  void removingTheParametersRefRemovesOurAnnotationAndNothingElse() {
    provisioner.reconcile(state());
    client
        .serviceAccounts()
        .inNamespace(NS)
        .withName("http")
        .edit(
            s -> {
              s.getMetadata().getAnnotations().put("example.com/keep", "mine");
              return s;
            });
    // Cleanup steps of the service-account (IRSA) guide: delete the GatewayParameters, then
    // re-apply the Gateway
    // without infrastructure.parametersRef.
    client.resources(GatewayParameters.class).inNamespace(NS).withName("http-lambda").delete();
    MockApi.apply(client, MockApi.load(client, "kube/seed-irsa-cleanup-gateway.yaml", Map.of()));
    assertThat(
            client
                .resources(Gateway.class)
                .inNamespace(NS)
                .withName("http")
                .get()
                .getSpec()
                .getInfrastructure())
        .isNull();
    provisioner.reconcile(state());

    ServiceAccount sa = sa();
    assertThat(sa.getMetadata().getAnnotations())
        .doesNotContainKey("eks.amazonaws.com/role-arn")
        .doesNotContainKey(GatewayProvisioner.MANAGED_ANNOTATIONS)
        .containsEntry("example.com/keep", "mine");
    assertThat(client.apps().deployments().inNamespace(NS).withName("http").get()).isNotNull();
  }

  @Test
  void aServiceAccountLambdagateDidNotCreateIsNeverTouchedAndTheGatewayGetsNoProxy() {
    // An application's IRSA account that happens to have the Gateway's name.
    client
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("http")
                .withNamespace(NS)
                .withAnnotations(
                    Map.of(
                        "eks.amazonaws.com/role-arn",
                        "arn:aws:iam::210987654321:role/payments",
                        "user",
                        "annotation"))
                .withLabels(Map.of("app", "payments"))
                .endMetadata()
                .build())
        .create();
    ServiceAccount before = sa();
    provisioner.reconcile(state());
    ServiceAccount after = sa();
    assertThat(after.getMetadata().getResourceVersion())
        .isEqualTo(before.getMetadata().getResourceVersion());
    assertThat(after.getMetadata().getAnnotations())
        .isEqualTo(before.getMetadata().getAnnotations());
    assertThat(after.getMetadata().getLabels()).isEqualTo(Map.of("app", "payments"));
    assertThat(after.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(provisioner.writes()).isZero();
    assertThat(client.apps().deployments().inNamespace(NS).withName("http").get()).isNull();
    assertThat(client.services().inNamespace(NS).withName("http").get()).isNull();
    assertThat(client.configMaps().inNamespace(NS).withName("http").get()).isNull();
  }

  @Test
  void aProxyLosesItsObjectsWhenItsServiceAccountIsReplacedByAnother() {
    provisioner.reconcile(state());
    assertThat(client.apps().deployments().inNamespace(NS).withName("http").get()).isNotNull();
    client.serviceAccounts().inNamespace(NS).withName("http").delete();
    assertThat(sa()).isNull();
    client
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("http")
                .withNamespace(NS)
                .endMetadata()
                .build())
        .create();
    provisioner.reconcile(state());
    assertThat(client.apps().deployments().inNamespace(NS).withName("http").get()).isNull();
    assertThat(sa().getMetadata().getLabels()).isNullOrEmpty();
  }

  @Test
  void kgatewaysOwnClassWinsOverTheAcceptedNameList() {
    // kgateway is installed: its GatewayClass "kgateway" names kgateway's controller, so the
    // guide's Gateway (gatewayClassName: kgateway) is kgateway's even though "kgateway" is in the
    // default accepted names.
    client
        .resource(
            new GatewayClassBuilder()
                .withNewMetadata()
                .withName("kgateway")
                .endMetadata()
                .withNewSpec()
                .withControllerName("kgateway.dev/kgateway")
                .endSpec()
                .build())
        .create();
    provisioner.reconcile(state());
    assertThat(provisioner.writes()).isZero();
    assertThat(client.serviceAccounts().inNamespace(NS).withName("http").get()).isNull();
    assertThat(client.apps().deployments().inNamespace(NS).withName("http").get()).isNull();
    assertThat(client.services().inNamespace(NS).withName("http").get()).isNull();
    assertThat(client.configMaps().inNamespace(NS).withName("http").get()).isNull();
  }

  @Test
  void aGatewayOfAnotherClassGetsNothingAndLosesWhatWasProvisioned() {
    client
        .resource(
            new GatewayClassBuilder()
                .withNewMetadata()
                .withName("istio")
                .endMetadata()
                .withNewSpec()
                .withControllerName("istio.io/gateway-controller")
                .endSpec()
                .build())
        .create();
    client
        .resource(
            new GatewayBuilder()
                .withNewMetadata()
                .withName("other")
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .withGatewayClassName("istio")
                .addNewListener()
                .withName("http")
                .withPort(80)
                .withProtocol("HTTP")
                .endListener()
                .endSpec()
                .build())
        .create();
    provisioner.reconcile(state());
    assertThat(client.apps().deployments().inNamespace(NS).withName("other").get()).isNull();
    assertThat(client.services().inNamespace(NS).withName("other").get()).isNull();
    assertThat(client.serviceAccounts().inNamespace(NS).withName("other").get()).isNull();
    assertThat(client.configMaps().inNamespace(NS).withName("other").get()).isNull();
    assertThat(client.apps().deployments().inNamespace(NS).withName("http").get()).isNotNull();

    // The guide's Gateway moves to the other class: its proxy goes away.
    client
        .resources(Gateway.class)
        .inNamespace(NS)
        .withName("http")
        .edit(
            g -> {
              g.getSpec().setGatewayClassName("istio");
              return g;
            });
    provisioner.reconcile(state());
    assertThat(client.apps().deployments().inNamespace(NS).withName("http").get()).isNull();
    assertThat(client.services().inNamespace(NS).withName("http").get()).isNull();
  }

  @Test
  void aClassNamingOurControllerIsServedAndListenerChangesArePatched() {
    client
        .resource(
            new GatewayClassBuilder()
                .withNewMetadata()
                .withName("custom")
                .endMetadata()
                .withNewSpec()
                .withControllerName(GatewayOwnership.CONTROLLER_NAME)
                .endSpec()
                .build())
        .create();
    client
        .resource(
            new GatewayBuilder()
                .withNewMetadata()
                .withName("edge")
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .withGatewayClassName("custom")
                .addNewListener()
                .withName("http")
                .withPort(8081)
                .withProtocol("HTTP")
                .endListener()
                .endSpec()
                .build())
        .create();
    provisioner.reconcile(state());
    client.apps().deployments().inNamespace(NS).withName("edge").scale(3);
    client
        .resources(Gateway.class)
        .inNamespace(NS)
        .withName("edge")
        .edit(
            g -> {
              g.getSpec().getListeners().get(0).setPort(9090);
              return g;
            });
    provisioner.reconcile(state());
    Deployment d = client.apps().deployments().inNamespace(NS).withName("edge").get();
    assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts())
        .extracting(p -> p.getContainerPort())
        .containsExactly(9090, EnvoyBootstrap.READINESS_PORT);
    assertThat(d.getSpec().getReplicas()).as("replicas left to the user").isEqualTo(3);
    assertThat(client.services().inNamespace(NS).withName("edge").get().getSpec().getPorts())
        .extracting(p -> p.getPort())
        .containsExactly(9090);
    List<OwnerReference> refs = d.getMetadata().getOwnerReferences();
    assertThat(refs).extracting(OwnerReference::getName).containsExactly("edge");
  }

  /** Replaces the seed GatewayParameters' spec with {@code yaml} (the spec's body). */
  void setSpec(String yaml) {
    GatewayParameters params =
        client.resources(GatewayParameters.class).inNamespace(NS).withName("http-lambda").get();
    params.setSpec(
        client
            .getKubernetesSerialization()
            .unmarshal(
                client
                    .getKubernetesSerialization()
                    .asJson(client.getKubernetesSerialization().unmarshal(yaml, JsonNode.class)),
                GatewayParametersSpec.class));
    client.resource(params).update();
  }

  Deployment deployment() {
    return client.apps().deployments().inNamespace(NS).withName("http").get();
  }

  Service service() {
    return client.services().inNamespace(NS).withName("http").get();
  }

  PodDisruptionBudget pdb() {
    return client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("http").get();
  }

  static final String EVERYTHING =
      """
      kube:
        serviceAccount:
          extraAnnotations:
            eks.amazonaws.com/role-arn: arn:aws:iam::210987654321:role/lambda-role
        deployment:
          replicas: 3
          strategy:
            type: Recreate
        envoyContainer:
          bootstrap:
            logLevel: debug
          image:
            tag: v1.34.0
            pullPolicy: Always
          resources:
            limits:
              cpu: "3"
          securityContext:
            readOnlyRootFilesystem: true
        podTemplate:
          extraLabels:
            team: payments
          extraAnnotations:
            prometheus.io/scrape: "true"
          securityContext:
            runAsNonRoot: true
          imagePullSecrets:
            - name: registry
          nodeSelector:
            pool: edge
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                  - matchExpressions:
                      - key: pool
                        operator: In
                        values: [edge]
          tolerations:
            - key: dedicated
              operator: Exists
          topologySpreadConstraints:
            - maxSkew: 1
              topologyKey: topology.kubernetes.io/zone
              whenUnsatisfiable: ScheduleAnyway
        service:
          type: NodePort
          externalTrafficPolicy: Local
          extraLabels:
            team: payments
          extraAnnotations:
            service.beta.kubernetes.io/aws-load-balancer-type: external
        podDisruptionBudget:
          metadata:
            labels:
              team: payments
          spec:
            minAvailable: 2
      """;

  @Test
  void everyFieldTheParametersStopAskingForLeavesTheProvisionedObjects() {
    setSpec(EVERYTHING);
    provisioner.reconcile(state());
    Deployment d = deployment();
    var pod = d.getSpec().getTemplate().getSpec();
    Container envoy = pod.getContainers().get(0);
    assertThat(d.getSpec().getReplicas()).isEqualTo(3);
    assertThat(d.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(envoy.getArgs())
        .containsExactly(
            "-c", "/etc/envoy/envoy.yaml", "--log-level", "debug", "--concurrency", "3");
    assertThat(envoy.getImage()).endsWith(":v1.34.0");
    assertThat(envoy.getImagePullPolicy()).isEqualTo("Always");
    assertThat(envoy.getResources().getLimits()).containsKey("cpu");
    assertThat(envoy.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("team", "payments");
    assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("prometheus.io/scrape", "true");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getImagePullSecrets()).extracting(r -> r.getName()).containsExactly("registry");
    assertThat(pod.getNodeSelector()).isEqualTo(Map.of("pool", "edge"));
    assertThat(pod.getAffinity().getNodeAffinity()).isNotNull();
    assertThat(pod.getTolerations()).singleElement();
    assertThat(pod.getTopologySpreadConstraints()).singleElement();
    Service svc = service();
    assertThat(svc.getSpec().getType()).isEqualTo("NodePort");
    assertThat(svc.getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
    assertThat(svc.getMetadata().getLabels()).containsEntry("team", "payments");
    assertThat(svc.getMetadata().getAnnotations())
        .containsEntry("service.beta.kubernetes.io/aws-load-balancer-type", "external");
    assertThat(pdb().getSpec().getMinAvailable().getIntVal()).isEqualTo(2);
    assertThat(pdb().getMetadata().getLabels()).containsEntry("team", "payments");

    // Others' additions survive what follows: a cloud controller's annotation on the Service.
    client
        .services()
        .inNamespace(NS)
        .withName("http")
        .edit(
            s -> {
              s.getMetadata().getAnnotations().put("cloud.example.com/lb-id", "lb-123");
              return s;
            });

    // Only the ServiceAccount's annotation is left.
    setSpec(
        """
        kube:
          serviceAccount:
            extraAnnotations:
              eks.amazonaws.com/role-arn: arn:aws:iam::210987654321:role/lambda-role
        """);
    provisioner.reconcile(state());
    d = deployment();
    pod = d.getSpec().getTemplate().getSpec();
    envoy = pod.getContainers().get(0);
    assertThat(d.getSpec().getReplicas()).as("the count stays; nobody owns it now").isEqualTo(3);
    assertThat(d.getSpec().getStrategy()).isNull();
    assertThat(envoy.getArgs()).containsExactly("-c", "/etc/envoy/envoy.yaml");
    assertThat(envoy.getImage()).isEqualTo(KubeModeOptions.DEFAULT_ENVOY_IMAGE);
    assertThat(envoy.getImagePullPolicy()).isNull();
    assertThat(envoy.getResources()).isNull();
    assertThat(envoy.getSecurityContext()).isNull();
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .doesNotContainKey("team")
        .containsEntry(GatewayProvisioner.MANAGED_BY, "lambdagate");
    assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
        .doesNotContainKey("prometheus.io/scrape")
        .containsKey(GatewayProvisioner.BOOTSTRAP_HASH);
    assertThat(d.getMetadata().getAnnotations())
        .doesNotContainKeys(
            GatewayProvisioner.MANAGED_FIELDS,
            GatewayProvisioner.MANAGED_POD_LABELS,
            GatewayProvisioner.MANAGED_POD_ANNOTATIONS);
    assertThat(pod.getSecurityContext()).isNull();
    assertThat(pod.getImagePullSecrets()).isNullOrEmpty();
    assertThat(pod.getNodeSelector()).isNullOrEmpty();
    assertThat(pod.getAffinity()).isNull();
    assertThat(pod.getTolerations()).isNullOrEmpty();
    assertThat(pod.getTopologySpreadConstraints()).isNullOrEmpty();
    svc = service();
    assertThat(svc.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(svc.getSpec().getExternalTrafficPolicy()).isNull();
    assertThat(svc.getMetadata().getLabels()).doesNotContainKey("team");
    assertThat(svc.getMetadata().getAnnotations())
        .doesNotContainKey("service.beta.kubernetes.io/aws-load-balancer-type")
        .doesNotContainKey(GatewayProvisioner.MANAGED_ANNOTATIONS)
        .containsEntry("cloud.example.com/lb-id", "lb-123");
    assertThat(pdb()).isNull();
    assertThat(sa().getMetadata().getAnnotations())
        .containsEntry("eks.amazonaws.com/role-arn", ROLE);

    int writes = provisioner.writes();
    provisioner.reconcile(state());
    assertThat(provisioner.writes()).as("stable once removed").isEqualTo(writes);
  }

  @Test
  void omitReplicasLeavesTheCountToAnAutoscaler() {
    setSpec("kube: {deployment: {omitReplicas: true}}");
    provisioner.reconcile(state());
    assertThat(deployment().getSpec().getReplicas())
        .as("created without a count: the API server defaults it, the HPA sets it")
        .isNull();
    // The HPA scales the Deployment; a reconcile leaves its count alone and writes nothing.
    client.apps().deployments().inNamespace(NS).withName("http").scale(5);
    int writes = provisioner.writes();
    provisioner.reconcile(state());
    assertThat(deployment().getSpec().getReplicas()).isEqualTo(5);
    assertThat(provisioner.writes()).isEqualTo(writes);

    // replicas given: applied on every reconcile (a manual scale is undone).
    setSpec("kube: {deployment: {replicas: 2}}");
    provisioner.reconcile(state());
    assertThat(deployment().getSpec().getReplicas()).isEqualTo(2);
    client.apps().deployments().inNamespace(NS).withName("http").scale(4);
    provisioner.reconcile(state());
    assertThat(deployment().getSpec().getReplicas()).isEqualTo(2);

    // Back to the HPA, which wins over a replicas left in place.
    setSpec("kube: {deployment: {replicas: 2, omitReplicas: true}}");
    client.apps().deployments().inNamespace(NS).withName("http").scale(7);
    provisioner.reconcile(state());
    assertThat(deployment().getSpec().getReplicas()).isEqualTo(7);
  }

  @Test
  void aChangedAffinityOrTolerationListReplacesTheOldOneWhole() {
    setSpec(
        """
        kube:
          podTemplate:
            affinity:
              nodeAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  nodeSelectorTerms:
                    - matchExpressions: [{key: pool, operator: In, values: [edge]}]
            tolerations:
              - {key: a, operator: Exists}
              - {key: b, operator: Exists}
          envoyContainer:
            resources:
              limits: {cpu: "2", memory: 1Gi}
        """);
    provisioner.reconcile(state());
    setSpec(
        """
        kube:
          podTemplate:
            affinity:
              podAntiAffinity:
                preferredDuringSchedulingIgnoredDuringExecution:
                  - weight: 100
                    podAffinityTerm: {topologyKey: kubernetes.io/hostname}
            tolerations:
              - {key: c, operator: Exists}
          envoyContainer:
            resources:
              requests: {cpu: 500m}
        """);
    provisioner.reconcile(state());
    var pod = deployment().getSpec().getTemplate().getSpec();
    assertThat(pod.getAffinity().getNodeAffinity()).as("nothing of the old affinity").isNull();
    assertThat(pod.getAffinity().getPodAntiAffinity()).isNotNull();
    assertThat(pod.getTolerations()).extracting(t -> t.getKey()).containsExactly("c");
    assertThat(pod.getContainers().get(0).getResources().getLimits()).isNullOrEmpty();
    assertThat(pod.getContainers().get(0).getArgs()).doesNotContain("--concurrency");
  }

  @Test
  void thePodDisruptionBudgetFollowsTheParametersAndGoesWithTheGateway() {
    setSpec("kube: {podDisruptionBudget: {spec: {maxUnavailable: 30%}}}");
    provisioner.reconcile(state());
    PodDisruptionBudget pdb = pdb();
    assertThat(pdb.getSpec().getMaxUnavailable().getStrVal()).isEqualTo("30%");
    assertThat(pdb.getSpec().getSelector().getMatchLabels())
        .isEqualTo(deployment().getSpec().getSelector().getMatchLabels());
    assertThat(pdb.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(r -> assertThat(r.getName()).isEqualTo("http"));

    setSpec("kube: {podDisruptionBudget: {spec: {minAvailable: 1}}}");
    provisioner.reconcile(state());
    assertThat(pdb().getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
    assertThat(pdb().getSpec().getMaxUnavailable()).as("replaced whole").isNull();

    // The Gateway leaves lambdagate's classes: the PDB goes with the rest of its proxy.
    client
        .resources(Gateway.class)
        .inNamespace(NS)
        .withName("http")
        .edit(
            g -> {
              g.getSpec().setGatewayClassName("not-ours");
              return g;
            });
    provisioner.reconcile(state());
    assertThat(pdb()).isNull();
  }

  @Test
  void quantitiesTheApiServerCanonicalizesDoNotReadAsChanges() {
    setSpec("kube: {envoyContainer: {resources: {limits: {cpu: 1000m, memory: 1024Mi}}}}");
    provisioner.reconcile(state());
    // What a real API server stores (the mock keeps quantities as sent).
    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName("http")
        .edit(
            d -> {
              var limits =
                  d.getSpec().getTemplate().getSpec().getContainers().get(0).getResources();
              limits.getLimits().put("cpu", new io.fabric8.kubernetes.api.model.Quantity("1"));
              limits.getLimits().put("memory", new io.fabric8.kubernetes.api.model.Quantity("1Gi"));
              return d;
            });
    int writes = provisioner.writes();
    provisioner.reconcile(state());
    assertThat(provisioner.writes()).isEqualTo(writes);

    // A real change still is one.
    setSpec("kube: {envoyContainer: {resources: {limits: {cpu: 1001m, memory: 1024Mi}}}}");
    provisioner.reconcile(state());
    assertThat(provisioner.writes()).isEqualTo(writes + 1);
    assertThat(
            deployment()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getResources()
                .getLimits()
                .get("cpu")
                .toString())
        .isEqualTo("1001m");
  }
}
