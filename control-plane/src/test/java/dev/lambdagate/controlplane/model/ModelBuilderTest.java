package dev.lambdagate.controlplane.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.state.ResourceKey;
import dev.lambdagate.controlplane.state.WebIdentityTokenSource;
import dev.lambdagate.controlplane.translate.FilterConfigWriter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelBuilderTest {
  private static final String GATEWAY =
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
      """;

  static String backend(String aws) {
    return """
        ---
        apiVersion: gateway.kgateway.dev/v1alpha1
        kind: Backend
        metadata: {name: b, namespace: default}
        spec:
          type: AWS
          aws:
        """
        + aws.indent(4)
        + """
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: s, namespace: default}
        stringData: {accessKey: AKIDEXAMPLE, secretKey: abc}
        """;
  }

  static String error(String aws) throws Exception {
    ClusterState s = TestSupport.loader().loadString("t.yaml", GATEWAY + backend(aws));
    return TestSupport.modelBuilder()
        .build(s)
        .backendErrors()
        .get(new ResourceKey("Backend", "default", "b"));
  }

  @Test
  void backendErrorsNameTheField() throws Exception {
    String ok = "auth: {type: Secret, secretRef: {name: s}}\n";
    assertThat(error("region: us-east-1\n" + ok + "lambda: {functionName: echo}")).isNull();
    assertThat(error("region: US_EAST\n" + ok + "lambda: {functionName: echo}"))
        .startsWith("spec.aws.region:");
    assertThat(error(ok + "lambda: {functionName: 'bad name!'}"))
        .startsWith("spec.aws.lambda.functionName:");
    assertThat(error(ok + "lambda: {functionName: echo, endpointURL: 'ftp://x'}"))
        .startsWith("spec.aws.lambda.endpointURL: must start with http:// or https://");
    assertThat(error(ok + "lambda: {functionName: echo, endpointURL: 'http://x/path'}"))
        .startsWith("spec.aws.lambda.endpointURL: must not have a path");
    assertThat(error(ok + "lambda: {functionName: echo, invocationMode: Later}"))
        .startsWith("spec.aws.lambda.invocationMode:");
    assertThat(error("accountId: '1234567890123'\n" + ok + "lambda: {functionName: echo}"))
        .startsWith("spec.aws.accountId: must be exactly 12 digits");
    assertThat(
            error(
                "region: eu-west-1\n"
                    + ok
                    + "lambda: {functionName: 'arn:aws:lambda:us-east-1:123456789012:function:f'}"))
        .contains("does not match the region us-east-1");
    assertThat(error("auth: {type: Secret}\nlambda: {functionName: echo}"))
        .startsWith("spec.aws.auth.secretRef.name: required");
    assertThat(error("auth: {type: AssumeRole}\nlambda: {functionName: echo}"))
        .startsWith(
            "spec.aws.auth.assumeRole.roleArn: required when spec.aws.auth.type is "
                + "AssumeRole");
    assertThat(error("auth: {type: Token}\nlambda: {functionName: echo}"))
        .startsWith(
            "spec.aws.auth.type: Token is not supported (use Secret, AssumeRole or PodIdentity");
  }

  @Test
  void irsaWithoutRoleOrTokenIsAnErrorBackend() throws Exception {
    ClusterState s =
        TestSupport.loader()
            .loadString("t.yaml", GATEWAY + backend("lambda: {functionName: echo}"));
    GatewayModel g = TestSupport.modelBuilder().build(s).gateways().get(0);
    assertThat(g.ports().get(0).virtualHosts().get(0).routes().get(0).directResponse())
        .contains("has no eks.amazonaws.com/role-arn annotation");

    String sa =
        """
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: http
          namespace: default
          annotations: {eks.amazonaws.com/role-arn: 'arn:aws:iam::123456789012:role/r'}
        """;
    ClusterState withSa =
        TestSupport.loader()
            .loadString("t.yaml", GATEWAY + backend("lambda: {functionName: echo}") + sa);
    GatewayModel noToken =
        new ModelBuilder(ModelOptions.defaults(), WebIdentityTokenSource.none())
            .build(withSa)
            .gateways()
            .get(0);
    assertThat(noToken.ports().get(0).virtualHosts().get(0).routes().get(0).directResponse())
        .contains("no web identity token for ServiceAccount default/http");
    GatewayModel ok = TestSupport.modelBuilder().build(withSa).gateways().get(0);
    assertThat(ok.backends().get(0).credentials()).isInstanceOf(Credentials.WebIdentity.class);
    assertThat(ok.stsClusters())
        .extracting(GatewayModel.StsCluster::name)
        .containsExactly("lambdagate-sts|us-east-1");
    // A new token is a new model (pushed); the same token an equal one (not pushed).
    GatewayModel other =
        new ModelBuilder(ModelOptions.defaults(), (n, a) -> Optional.of("t2"))
            .build(withSa)
            .gateways()
            .get(0);
    assertThat(other).isNotEqualTo(ok);
    assertThat(TestSupport.modelBuilder().build(withSa).gateways().get(0)).isEqualTo(ok);
  }

  @Test
  void filterJsonIsTheRoutedBackendsShape() throws Exception {
    ClusterState s =
        TestSupport.loader()
            .loadString(
                "t.yaml",
                GATEWAY
                    + backend(
                        "region: us-east-1\nauth: {type: Secret, secretRef: {name: s}}\n"
                            + "lambda: {functionName: echo}"));
    JsonNode json =
        new ObjectMapper()
            .readTree(
                FilterConfigWriter.json(TestSupport.modelBuilder().build(s).gateways().get(0)));
    assertThat(json.at("/backends/default~1b/lambda/functionName").asText()).isEqualTo("echo");
    // The Secret's long-term keys are exchanged: the (placeholder) session is pushed.
    assertThat(json.at("/backends/default~1b/credentials/accessKeyId").asText())
        .isEqualTo("ASIASESSIONPLACEHOLDER");
    assertThat(json.at("/backends/default~1b/credentials/sessionToken").asText())
        .isEqualTo("session-token-issued-by-sts-getsessiontoken");
    assertThat(json.toString()).doesNotContain("AKIDEXAMPLE").doesNotContain("\"abc\"");
    assertThat(json.at("/routes/default~1r~1rule-0~1match-0").asText()).isEqualTo("default/b");
    assertThat(json.at("/clusters/lambdagate|default|b").asText()).isEqualTo("default/b");
  }

  @Test
  void secretKeysWithoutASessionAreNotProgrammedAndNeverPushed() throws Exception {
    ClusterState s =
        TestSupport.loader()
            .loadString(
                "t.yaml",
                GATEWAY
                    + backend(
                        "region: eu-west-1\nauth: {type: Secret, secretRef: {name: s}}\n"
                            + "lambda: {functionName: echo}"));
    java.util.List<Credentials.SecretSession> asked = new java.util.ArrayList<>();
    GatewayModel g =
        new ModelBuilder(
                ModelOptions.defaults(),
                TestSupport.TOKENS,
                source -> {
                  asked.add(source);
                  return null;
                })
            .build(s)
            .gateways()
            .get(0);

    assertThat(asked)
        .singleElement()
        .satisfies(
            source -> {
              assertThat(source.longTerm())
                  .isEqualTo(new Credentials.Inline("AKIDEXAMPLE", "abc", null));
              assertThat(source.stsRegion()).isEqualTo("eu-west-1");
              assertThat(source.stsEndpoint().url())
                  .isEqualTo("https://sts.eu-west-1.amazonaws.com");
              assertThat(source.session()).isNull();
            });
    assertThat(g.backends()).singleElement().satisfies(b -> assertThat(b.valid()).isTrue());
    JsonNode json = new ObjectMapper().readTree(FilterConfigWriter.json(g));
    assertThat(json.at("/backends/default~1b/error").asText())
        .startsWith("Backend default/b: no session credentials for its Secret's keys yet");
    assertThat(FilterConfigWriter.json(g)).doesNotContain("AKIDEXAMPLE").doesNotContain("\"abc\"");
    // The route still leads to the backend: the filter refuses its requests (500).
    assertThat(json.at("/routes/default~1r~1rule-0~1match-0").asText()).isEqualTo("default/b");
    assertThat(g.toString()).doesNotContain("abc");
  }

  @Test
  void aBackendOutsideTheEndpointPolicyIsInvalidAndNothingOfItIsPushed() throws Exception {
    String yaml =
        GATEWAY
            + backend(
                "region: us-east-1\nauth: {type: Secret, secretRef: {name: s}}\n"
                    + "lambda: {functionName: echo, endpointURL: 'https://lambda.us-east-1.amazonaws.com.evil.com'}");
    Model model = TestSupport.modelBuilder().build(TestSupport.loader().loadString("t.yaml", yaml));
    assertThat(model.backendErrors().get(new ResourceKey("Backend", "default", "b")))
        .isEqualTo(
            "spec.aws.lambda.endpointURL: https://lambda.us-east-1.amazonaws.com.evil.com"
                + " is not an AWS lambda endpoint (https://lambda.<region>.amazonaws.com and its FIPS,"
                + " dual-stack, VPC endpoint and partition variants), not loopback and not on the"
                + " operator's --endpoint-allowlist");
    GatewayModel g = model.gateways().get(0);
    RouteModel route = g.ports().get(0).virtualHosts().get(0).routes().get(0);
    assertThat(route.backends()).isEmpty();
    assertThat(route.directResponse()).startsWith("Backend default/b: spec.aws.lambda.endpointURL");
    assertThat(g.backends()).isEmpty();
    assertThat(FilterConfigWriter.json(g))
        .doesNotContain("AKIDEXAMPLE")
        .doesNotContain("evil.com\"")
        .doesNotContain("credentials");
    JsonNode json = new ObjectMapper().readTree(FilterConfigWriter.json(g));
    // The filter answers the route itself (generic 500 + request id, details in its log).
    assertThat(json.at("/routes/default~1r~1rule-0~1match-0").asText())
        .isEqualTo("invalid-route:default/r/rule-0/match-0");
    assertThat(json.at("/backends/invalid-route:default~1r~1rule-0~1match-0/error").asText())
        .isEqualTo(route.directResponse());

    // The operator's allowlist lets the same Backend through.
    ModelBuilder allowing =
        new ModelBuilder(
            ModelOptions.defaults()
                .withEndpointPolicy(
                    EndpointPolicy.withAllowlist(
                        List.of("lambda.us-east-1.amazonaws.com.evil.com"))),
            TestSupport.TOKENS);
    Model allowed = allowing.build(TestSupport.loader().loadString("t.yaml", yaml));
    assertThat(allowed.backendErrors().get(new ResourceKey("Backend", "default", "b"))).isNull();
    assertThat(allowed.gateways().get(0).backends().get(0).lambda().endpoint().url())
        .isEqualTo("https://lambda.us-east-1.amazonaws.com.evil.com");
  }

  @Test
  void plainHttpToANonLoopbackHostIsRefused() throws Exception {
    String ok = "auth: {type: Secret, secretRef: {name: s}}\n";
    assertThat(
            error(
                ok
                    + "lambda: {functionName: echo, endpointURL: 'http://lambda.us-east-1.amazonaws.com'}"))
        .startsWith(
            "spec.aws.lambda.endpointURL: http://lambda.us-east-1.amazonaws.com must use https");
    assertThat(error(ok + "lambda: {functionName: echo, endpointURL: 'http://10.0.0.7:9001'}"))
        .contains("is not an AWS lambda endpoint");
    assertThat(
            error(
                ok
                    + "lambda: {functionName: echo, endpointURL: 'https://lambda.us-east-1.amazonaws.com@evil.com'}"))
        .isEqualTo("spec.aws.lambda.endpointURL: must not contain user information");
    assertThat(error(ok + "lambda: {functionName: echo, endpointURL: 'http://127.0.0.1:9001'}"))
        .isNull();
    // Refused even when the Secret is missing: the endpoint is checked first.
    assertThat(
            error(
                "auth: {type: Secret, secretRef: {name: nope}}\n"
                    + "lambda: {functionName: echo, endpointURL: 'https://evil.com'}"))
        .contains("is not an AWS lambda endpoint");
  }

  @Test
  void credentialsNeverInToString() {
    var c = new Credentials.Inline("AKID", "secret-value", "token-value");
    assertThat(c.toString()).doesNotContain("secret-value").doesNotContain("token-value");
  }

  static final String APP_ACCOUNT =
      """
      ---
      apiVersion: v1
      kind: ServiceAccount
      metadata:
        name: http
        namespace: default
        annotations: {eks.amazonaws.com/role-arn: "arn:aws:iam::210987654321:role/payments-app"}
      """;

  @Test
  void inKubernetesModeAnAccountLambdagateDidNotCreateIsAConflictAndItsRoleIsNeverUsed()
      throws Exception {
    ClusterState s =
        TestSupport.loader()
            .loadString("t.yaml", GATEWAY + backend("lambda: {functionName: echo}") + APP_ACCOUNT);
    ResourceKey gw = new ResourceKey("Gateway", "default", "http");

    Model kube =
        new ModelBuilder(
                ModelOptions.defaults().withOwnServiceAccountsOnly(true), TestSupport.TOKENS)
            .build(s);
    assertThat(kube.serviceAccountConflicts()).containsOnlyKeys(gw);
    // The route's only backend is broken: the route answers 500 with the conflict.
    RouteModel route = kube.gateways().get(0).ports().get(0).virtualHosts().get(0).routes().get(0);
    assertThat(route.directResponse())
        .contains("ServiceAccount default/http exists and was " + "not created by lambdagate");
    assertThat(kube.gateways().get(0).backends()).isEmpty();
    assertThat(FilterConfigWriter.json(kube.gateways().get(0))).doesNotContain("payments-app");

    // File mode takes the manifests' account as given (no labels there).
    Model files = TestSupport.modelBuilder().build(s);
    assertThat(files.serviceAccountConflicts()).isEmpty();
    assertThat(files.gateways().get(0).backends().get(0).credentials())
        .isInstanceOfSatisfying(
            Credentials.WebIdentity.class,
            w -> assertThat(w.roleArn()).endsWith("role/payments-app"));

    // The same account created by lambdagate is the proxy's: no conflict.
    ClusterState managed =
        TestSupport.loader()
            .loadString(
                "t.yaml",
                GATEWAY
                    + backend("lambda: {functionName: echo}")
                    + APP_ACCOUNT.replace(
                        "  annotations:",
                        "  labels: {app.kubernetes.io/managed-by: lambdagate, "
                            + "gateway.networking.k8s.io/gateway-name: http}\n  annotations:"));
    Model ours =
        new ModelBuilder(
                ModelOptions.defaults().withOwnServiceAccountsOnly(true), TestSupport.TOKENS)
            .build(managed);
    assertThat(ours.serviceAccountConflicts()).isEmpty();
    assertThat(ours.gateways().get(0).backends().get(0).valid()).isTrue();
  }
}
