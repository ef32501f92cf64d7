package dev.lambdagate.controlplane.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lambdagate.config.Endpoint;
import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.state.ResourceKey;
import dev.lambdagate.controlplane.state.WebIdentityTokenSource;
import dev.lambdagate.controlplane.translate.FilterConfigWriter;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code auth.type: PodIdentity}: validation, the filter entry and the agent cluster. */
class PodIdentityModelTest {
  static final String GATEWAY =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: http, namespace: default}
      spec:
        gatewayClassName: kgateway
        listeners: [{name: http, protocol: HTTP, port: 8080}]
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: r, namespace: default}
      spec:
        parentRefs: [{name: http}]
        rules: [{backendRefs: [{group: gateway.kgateway.dev, kind: Backend, name: b}]}]
      ---
      apiVersion: gateway.kgateway.dev/v1alpha1
      kind: Backend
      metadata: {name: b, namespace: default}
      spec:
        type: AWS
        aws:
          region: eu-west-1
      """;

  static ClusterState state(String awsRest) throws Exception {
    return TestSupport.loader().loadString("t.yaml", GATEWAY + awsRest.indent(4));
  }

  static final String POD_IDENTITY = "auth: {type: PodIdentity}\nlambda: {functionName: echo}";

  @Test
  void theFilterGetsTheProxyAccountsPodIdentityTokenAndTheAgentCluster() throws Exception {
    GatewayModel g = TestSupport.modelBuilder().build(state(POD_IDENTITY)).gateways().get(0);

    BackendModel b = g.backends().get(0);
    assertThat(b.valid()).isTrue();
    Credentials.PodIdentity pod = (Credentials.PodIdentity) b.credentials();
    assertThat(pod.token()).isEqualTo(TestSupport.POD_IDENTITY_TOKEN);
    assertThat(pod.cluster()).isEqualTo("lambdagate-pod-identity-agent");
    assertThat(pod.agentEndpoint().url()).isEqualTo("http://169.254.170.23");
    assertThat(pod.toString()).doesNotContain(TestSupport.POD_IDENTITY_TOKEN);
    assertThat(pod.fromSts()).isFalse();
    // No STS cluster: only the agent's.
    assertThat(g.stsClusters())
        .containsExactly(
            new GatewayModel.StsCluster(
                "lambdagate-pod-identity-agent", Endpoint.parse("http://169.254.170.23:80")));

    JsonNode json = new ObjectMapper().readTree(FilterConfigWriter.json(g));
    JsonNode credentials = json.at("/backends/default~1b/credentials");
    assertThat(credentials.at("/podIdentity/token").asText())
        .isEqualTo(TestSupport.POD_IDENTITY_TOKEN);
    assertThat(credentials.at("/podIdentity/cluster").asText())
        .isEqualTo("lambdagate-pod-identity-agent");
    assertThat(credentials.at("/podIdentity/authority").asText()).isEqualTo("169.254.170.23");
    assertThat(credentials.size()).isEqualTo(1); // no keys, no webIdentity
  }

  @Test
  void anAgentEmulatorCanStandInForTheAgent() throws Exception {
    ModelOptions options =
        ModelOptions.defaults().withPodIdentityAgent(Endpoint.parse("http://127.0.0.1:18123"));
    GatewayModel g =
        new ModelBuilder(options, TestSupport.TOKENS).build(state(POD_IDENTITY)).gateways().get(0);

    Credentials.PodIdentity pod = (Credentials.PodIdentity) g.backends().get(0).credentials();
    assertThat(pod.agentEndpoint().authority()).isEqualTo("127.0.0.1:18123");
    assertThat(g.stsClusters().get(0).endpoint().port()).isEqualTo(18123);
  }

  @Test
  void withoutATokenYetTheBackendAnswersWhy() throws Exception {
    // IRSA tokens there, Pod Identity tokens not (yet): the route names what is missing.
    GatewayModel g =
        new ModelBuilder(ModelOptions.defaults(), (ns, sa) -> Optional.of("irsa-token"))
            .build(state(POD_IDENTITY))
            .gateways()
            .get(0);

    assertThat(g.backends()).noneMatch(BackendModel::valid);
    assertThat(g.ports().get(0).virtualHosts().get(0).routes().get(0).directResponse())
        .contains(
            "no EKS Pod Identity token (audience pods.eks.amazonaws.com) for ServiceAccount "
                + "default/http yet");
    assertThat(g.stsClusters()).isEmpty();
  }

  @Test
  void aNewTokenIsANewModel() throws Exception {
    ClusterState s = state(POD_IDENTITY);
    GatewayModel first = TestSupport.modelBuilder().build(s).gateways().get(0);
    GatewayModel renewed =
        new ModelBuilder(
                ModelOptions.defaults(),
                WebIdentityTokenSource.combining(
                    WebIdentityTokenSource.none(), (ns, sa) -> Optional.of("renewed-token")))
            .build(s)
            .gateways()
            .get(0);

    assertThat(renewed).isNotEqualTo(first);
    assertThat(TestSupport.modelBuilder().build(s).gateways().get(0)).isEqualTo(first);
  }

  static String error(String awsRest) throws Exception {
    return TestSupport.modelBuilder()
        .build(state(awsRest))
        .backendErrors()
        .get(new ResourceKey("Backend", "default", "b"));
  }

  @Test
  void secretRefOrAssumeRoleBesidePodIdentityIsRefusedNamingTheField() throws Exception {
    assertThat(error(POD_IDENTITY)).isNull();
    assertThat(
            error("auth: {type: PodIdentity, secretRef: {name: s}}\nlambda: {functionName: echo}"))
        .startsWith("spec.aws.auth.secretRef: not used with spec.aws.auth.type PodIdentity");
    assertThat(
            error(
                "auth: {type: PodIdentity, assumeRole: {roleArn: 'arn:aws:iam::123456789012:role/r'}}"
                    + "\nlambda: {functionName: echo}"))
        .isEqualTo("spec.aws.auth.assumeRole: role chaining from PodIdentity is not supported");
  }

  static final String WITH_PARAMETERS =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: http, namespace: default}
      spec:
        gatewayClassName: kgateway
        infrastructure:
          parametersRef: {group: gateway.kgateway.dev, kind: GatewayParameters, name: p}
        listeners: [{name: http, protocol: HTTP, port: 8080}]
      ---
      apiVersion: gateway.kgateway.dev/v1alpha1
      kind: GatewayParameters
      metadata: {name: p, namespace: default}
      spec:
        awsCredentials: {defaultIdentity: %s}
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: r, namespace: default}
      spec:
        parentRefs: [{name: http}]
        rules: [{backendRefs: [{group: gateway.kgateway.dev, kind: Backend, name: b}]}]
      ---
      apiVersion: gateway.kgateway.dev/v1alpha1
      kind: Backend
      metadata: {name: b, namespace: default}
      spec:
        type: AWS
        aws:
          region: eu-west-1
      """;

  static GatewayModel withDefaultIdentity(String identity, String awsRest) throws Exception {
    ClusterState s =
        TestSupport.loader()
            .loadString("t.yaml", WITH_PARAMETERS.formatted(identity) + awsRest.indent(4));
    return TestSupport.modelBuilder().build(s).gateways().get(0);
  }

  @Test
  void gatewayParametersMakePodIdentityTheDefaultForBackendsWithoutAuth() throws Exception {
    GatewayModel pod = withDefaultIdentity("PodIdentity", "lambda: {functionName: echo}");
    assertThat(pod.backends().get(0).credentials()).isInstanceOf(Credentials.PodIdentity.class);

    // IRSA (and absent) keep the ServiceAccount's role: here there is none, so the route says so.
    GatewayModel irsa = withDefaultIdentity("IRSA", "lambda: {functionName: echo}");
    assertThat(irsa.ports().get(0).virtualHosts().get(0).routes().get(0).directResponse())
        .contains("has no eks.amazonaws.com/role-arn annotation");

    // A Backend's own auth wins over the Gateway's default.
    ClusterState secret =
        TestSupport.loader()
            .loadString(
                "t.yaml",
                WITH_PARAMETERS.formatted("PodIdentity")
                    + "auth: {type: Secret, secretRef: {name: s}}\nlambda: {functionName: echo}"
                        .indent(4)
                    + "---\napiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: default}\n"
                    + "stringData: {accessKey: AKIDEXAMPLE, secretKey: abc}\n");
    assertThat(
            TestSupport.modelBuilder()
                .build(secret)
                .gateways()
                .get(0)
                .backends()
                .get(0)
                .credentials())
        .isNotInstanceOf(Credentials.PodIdentity.class);

    // Chaining from the default Pod Identity is not supported: the route says why.
    GatewayModel chained =
        withDefaultIdentity(
            "PodIdentity",
            "auth: {type: AssumeRole, assumeRole: {roleArn: 'arn:aws:iam::123456789012:role/r'}}\n"
                + "lambda: {functionName: echo}");
    assertThat(chained.ports().get(0).virtualHosts().get(0).routes().get(0).directResponse())
        .contains("role chaining from PodIdentity");
  }
}
