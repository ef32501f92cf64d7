package dev.lambdagate.controlplane.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.config.Endpoint;
import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.state.ResourceKey;
import dev.lambdagate.controlplane.state.WebIdentityTokenSource;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRefBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackendResolverTest {
  private static final String GATEWAY =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: gw, namespace: default}
      spec:
        gatewayClassName: kgateway
        listeners: [{name: http, protocol: HTTP, port: 8080}]
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: keys, namespace: default}
      stringData: {accessKey: AKIDEXAMPLE, secretKey: long-term-secret}
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: session, namespace: default}
      stringData: {accessKey: ASIAEXAMPLE, secretKey: s, sessionToken: t}
      """;

  private static final String ROLE_ANNOTATED_ACCOUNT =
      """
      ---
      apiVersion: v1
      kind: ServiceAccount
      metadata:
        name: gw
        namespace: default
        annotations: {eks.amazonaws.com/role-arn: 'arn:aws:iam::123456789012:role/r'}
      """;

  private static String backend(String name, String aws) {
    return """
        ---
        apiVersion: gateway.kgateway.dev/v1alpha1
        kind: Backend
        metadata: {name: %s, namespace: default}
        spec:
          type: AWS
          aws:
        %s"""
        .formatted(name, aws.indent(4));
  }

  private static final String SECRET_KEYS =
      "region: eu-west-1\nauth: {type: Secret, secretRef: {name: keys}}\n"
          + "lambda: {functionName: echo}";

  private record Fixture(BackendResolver resolver, Gateway gateway) {
    BackendModel backend(String name) {
      return resolver.backend("default/" + name, gateway, null, null);
    }
  }

  private static Fixture fixture(
      String yaml, ModelOptions options, WebIdentityTokenSource tokens, SessionCredentials s)
      throws Exception {
    ClusterState state = TestSupport.loader().loadString("t.yaml", GATEWAY + yaml);
    return new Fixture(new BackendResolver(state, options, tokens, s), state.gateways().get(0));
  }

  private static Fixture fixture(String yaml) throws Exception {
    return fixture(
        yaml, ModelOptions.defaults(), TestSupport.TOKENS, SessionCredentials.placeholder());
  }

  @Test
  void secretKeysAreExchangedForASessionAndNeverServedWithoutOne() throws Exception {
    BackendModel b = fixture(backend("fn", SECRET_KEYS)).backend("fn");
    assertThat(b.valid()).isTrue();
    assertThat(b.source()).isEqualTo(new ResourceKey("Backend", "default", "fn"));
    assertThat(b.clusterName()).isEqualTo("lambdagate|default|fn");
    Credentials.SecretSession s = (Credentials.SecretSession) b.credentials();
    assertThat(s.longTerm().accessKeyId()).isEqualTo("AKIDEXAMPLE");
    assertThat(s.stsRegion()).isEqualTo("eu-west-1");
    assertThat(s.stsEndpoint().url()).isEqualTo("https://sts.eu-west-1.amazonaws.com");
    assertThat(s.session().accessKeyId()).isEqualTo("ASIASESSIONPLACEHOLDER");
    assertThat(b.notProgrammedReason()).isNull();

    BackendModel none =
        fixture(
                backend("fn", SECRET_KEYS),
                ModelOptions.defaults(),
                TestSupport.TOKENS,
                SessionCredentials.none())
            .backend("fn");
    assertThat(none.valid()).as("valid, but not programmed").isTrue();
    assertThat(((Credentials.SecretSession) none.credentials()).session()).isNull();
    assertThat(none.notProgrammedReason())
        .startsWith("Backend default/fn: no session credentials for its Secret's keys yet");
  }

  @Test
  void keysAreServedAsTheyAreWhenNotExchanged() throws Exception {
    String withSession =
        "auth: {type: Secret, secretRef: {name: session}}\nlambda: {functionName: echo}";
    assertThat(fixture(backend("fn", withSession)).backend("fn").credentials())
        .as("keys that carry a session token")
        .isEqualTo(new Credentials.Inline("ASIAEXAMPLE", "s", "t"));

    BackendModel off =
        fixture(
                backend("fn", SECRET_KEYS),
                ModelOptions.defaults().withExchangeSecretKeys(false),
                TestSupport.TOKENS,
                SessionCredentials.placeholder())
            .backend("fn");
    assertThat(off.credentials())
        .isEqualTo(new Credentials.Inline("AKIDEXAMPLE", "long-term-secret", null));

    String parameters =
        """
        ---
        apiVersion: gateway.kgateway.dev/v1alpha1
        kind: GatewayParameters
        metadata: {name: p, namespace: default}
        spec: {awsCredentials: {exchangeSecretKeys: false}}
        """;
    String gatewayWithParameters =
        GATEWAY.replace(
                "gatewayClassName: kgateway",
                "gatewayClassName: kgateway\n  infrastructure: {parametersRef: {group:"
                    + " gateway.kgateway.dev, kind: GatewayParameters, name: p}}")
            + backend("fn", SECRET_KEYS)
            + parameters;
    ClusterState state = TestSupport.loader().loadString("t.yaml", gatewayWithParameters);
    BackendModel byParameters =
        new BackendResolver(
                state,
                ModelOptions.defaults(),
                TestSupport.TOKENS,
                SessionCredentials.placeholder())
            .backend("default/fn", state.gateways().get(0), null, null);
    assertThat(byParameters.credentials()).isInstanceOf(Credentials.Inline.class);
  }

  @Test
  void assumeRoleChainsTheBaseCredentialsThroughTheRegionsSts() throws Exception {
    String aws =
        "region: us-west-2\nauth: {type: AssumeRole, secretRef: {name: session}, assumeRole:"
            + " {roleArn: 'arn:aws:iam::444455556666:role/invoker', externalId: x}}\n"
            + "lambda: {functionName: echo}";
    BackendModel b = fixture(backend("fn", aws)).backend("fn");
    Credentials.Chained c = (Credentials.Chained) b.credentials();
    assertThat(c.roleArn()).isEqualTo("arn:aws:iam::444455556666:role/invoker");
    assertThat(c.externalId()).isEqualTo("x");
    assertThat(c.stsRegion()).isEqualTo("us-west-2");
    assertThat(c.stsCluster()).isEqualTo("lambdagate-sts|us-west-2");
    assertThat(c.base()).isEqualTo(new Credentials.Inline("ASIAEXAMPLE", "s", "t"));
    assertThat(BackendResolver.stsClusters(List.of(b)))
        .containsExactly(
            new GatewayModel.StsCluster(
                "lambdagate-sts|us-west-2", Endpoint.https("sts.us-west-2.amazonaws.com")));

    Endpoint local = Endpoint.parse("http://127.0.0.1:4566");
    BackendModel elsewhere =
        fixture(
                backend("fn", aws),
                new ModelOptions(ModelOptions.defaults().gatewayClassNames(), local),
                TestSupport.TOKENS,
                SessionCredentials.placeholder())
            .backend("fn");
    assertThat(((Credentials.Chained) elsewhere.credentials()).stsEndpoint())
        .as("--sts-endpoint")
        .isEqualTo(local);
  }

  @Test
  void theGatewaysIdentityNeedsARoleATokenAndAnAccountOfItsOwn() throws Exception {
    String irsa = backend("fn", "lambda: {functionName: echo}");
    assertThat(fixture(irsa).backend("fn").error())
        .isEqualTo(
            "Backend default/fn: spec.aws.auth is absent and ServiceAccount default/gw of Gateway"
                + " default/gw has no eks.amazonaws.com/role-arn annotation");

    Fixture noToken =
        fixture(
            irsa + ROLE_ANNOTATED_ACCOUNT,
            ModelOptions.defaults(),
            WebIdentityTokenSource.none(),
            SessionCredentials.placeholder());
    assertThat(noToken.backend("fn").error())
        .isEqualTo("Backend default/fn: no web identity token for ServiceAccount default/gw yet");

    Fixture ok = fixture(irsa + ROLE_ANNOTATED_ACCOUNT);
    BackendModel b = ok.backend("fn");
    Credentials.WebIdentity w = (Credentials.WebIdentity) b.credentials();
    assertThat(w.roleArn()).isEqualTo("arn:aws:iam::123456789012:role/r");
    assertThat(w.token()).isEqualTo(TestSupport.TOKEN);
    assertThat(w.stsCluster()).isEqualTo("lambdagate-sts|us-east-1");

    BackendModel conflicted =
        ok.resolver()
            .backend("default/fn", ok.gateway(), "ServiceAccount default/gw is taken", null);
    assertThat(conflicted.error())
        .isEqualTo("Backend default/fn: ServiceAccount default/gw is taken");
    assertThat(conflicted.credentials()).isNull();
  }

  @Test
  void whatIsNoBackendIsAnErrorBackend() throws Exception {
    Fixture f = fixture(backend("broken", "region: NOT_A_REGION\nlambda: {functionName: echo}"));
    BackendModel broken = f.backend("broken");
    assertThat(broken.error()).startsWith("Backend default/broken: spec.aws.region:");
    assertThat(broken.source()).isEqualTo(new ResourceKey("Backend", "default", "broken"));
    assertThat(f.resolver().errors())
        .containsOnlyKeys(new ResourceKey("Backend", "default", "broken"));

    BackendModel missing = f.backend("gone");
    assertThat(missing.error()).isEqualTo("backend default/gone not found");
    assertThat(missing.clusterName()).isEqualTo("lambdagate|default|gone");
    assertThat(missing.source()).isNull();

    BackendRefResolver.ResolvedRef invalid =
        new BackendRefResolver(f.resolver().backendsById(), List.of())
            .resolve("default", new HTTPBackendRefBuilder().withName("svc").build());
    BackendModel fromRef = f.resolver().backend(invalid.errorId(), f.gateway(), null, invalid);
    assertThat(fromRef.id()).isEqualTo("invalid:Service:default/svc");
    assertThat(fromRef.error()).isEqualTo(invalid.message());
    assertThat(fromRef.clusterName()).isEqualTo("lambdagate-invalid|default|Service|svc");
  }

  @Test
  void stsClustersAreOnePerRegionSorted() {
    Endpoint east = Endpoint.https("sts.us-east-1.amazonaws.com");
    Endpoint west = Endpoint.https("sts.us-west-2.amazonaws.com");
    Credentials.WebIdentity eastIdentity =
        new Credentials.WebIdentity("arn", "t", "us-east-1", east, "lambdagate-sts|us-east-1");
    List<BackendModel> backends =
        List.of(
            new BackendModel(
                "a/w",
                "lambdagate|a|w",
                null,
                null,
                new Credentials.Chained(
                    eastIdentity,
                    "role",
                    null,
                    null,
                    "us-west-2",
                    west,
                    "lambdagate-sts|us-west-2"),
                null),
            new BackendModel("a/e", "lambdagate|a|e", null, null, eastIdentity, null),
            new BackendModel(
                "a/i", "lambdagate|a|i", null, null, new Credentials.Inline("k", "s", null), null));
    assertThat(BackendResolver.stsClusters(backends))
        .containsExactly(
            new GatewayModel.StsCluster("lambdagate-sts|us-east-1", east),
            new GatewayModel.StsCluster("lambdagate-sts|us-west-2", west));
  }
}
