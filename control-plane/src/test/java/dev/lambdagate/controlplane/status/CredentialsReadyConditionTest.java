package dev.lambdagate.controlplane.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.model.Credentials;
import dev.lambdagate.controlplane.model.Model;
import dev.lambdagate.controlplane.state.ResourceKey;
import dev.lambdagate.controlplane.sts.StsCheckResult;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** How STS check outcomes become a Backend's {@code CredentialsReady} condition. */
class CredentialsReadyConditionTest {
  static final String ROLE_A = "arn:aws:iam::123456789012:role/a";
  static final String ROLE_B = "arn:aws:iam::123456789012:role/b";

  /** Two Gateways with their own IRSA roles share one Backend; another uses a Secret. */
  static final String YAML =
      gateway("a", ROLE_A)
          + gateway("b", ROLE_B)
          + """
      apiVersion: gateway.kgateway.dev/v1alpha1
      kind: Backend
      metadata: {name: irsa, namespace: default}
      spec:
        type: AWS
        aws: {region: us-east-1, accountId: "123456789012", lambda: {functionName: f}}
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: keys, namespace: default}
      stringData: {accessKey: AKIDEXAMPLE, secretKey: secret}
      ---
      apiVersion: gateway.kgateway.dev/v1alpha1
      kind: Backend
      metadata: {name: keys, namespace: default}
      spec:
        type: AWS
        aws:
          region: us-east-1
          accountId: "123456789012"
          auth: {type: Secret, secretRef: {name: keys}}
          lambda: {functionName: g}
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: r, namespace: default}
      spec:
        parentRefs: [{name: a}, {name: b}]
        rules:
        - matches: [{path: {type: PathPrefix, value: /irsa}}]
          backendRefs: [{name: irsa, group: gateway.kgateway.dev, kind: Backend}]
        - matches: [{path: {type: PathPrefix, value: /keys}}]
          backendRefs: [{name: keys, group: gateway.kgateway.dev, kind: Backend}]
      """;

  static String gateway(String name, String role) {
    return """
        apiVersion: gateway.kgateway.dev/v1alpha1
        kind: GatewayParameters
        metadata: {name: NAME, namespace: default}
        spec:
          kube:
            serviceAccount:
              extraAnnotations: {eks.amazonaws.com/role-arn: "ROLE"}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: NAME, namespace: default}
        spec:
          gatewayClassName: kgateway
          infrastructure:
            parametersRef: {name: NAME, group: gateway.kgateway.dev, kind: GatewayParameters}
          listeners: [{protocol: HTTP, port: 8080, name: http}]
        ---
        """
        .replace("NAME", name)
        .replace("ROLE", role);
  }

  static final ResourceKey IRSA = new ResourceKey("Backend", "default", "irsa");
  static final ResourceKey KEYS = new ResourceKey("Backend", "default", "keys");

  Model model() throws Exception {
    return TestSupport.modelBuilder().build(TestSupport.loader().loadString("t.yaml", YAML));
  }

  List<Condition> backend(ResourceKey key, Function<String, StsCheckResult> byRole)
      throws Exception {
    return StatusComputer.compute(
            model(),
            Map.of(),
            c -> c instanceof Credentials.WebIdentity w ? byRole.apply(w.roleArn()) : null)
        .backends()
        .get(key);
  }

  static Condition credentialsReady(List<Condition> conditions) {
    return conditions.stream()
        .filter(c -> c.getType().equals("CredentialsReady"))
        .findFirst()
        .orElse(null);
  }

  @Test
  void allIssuedIsTrue() throws Exception {
    Condition c = credentialsReady(backend(IRSA, role -> StsCheckResult.issued("ok " + role)));
    assertThat(c.getStatus()).isEqualTo("True");
    assertThat(c.getReason()).isEqualTo("CredentialsIssued");
    assertThat(c.getMessage()).isEqualTo("Gateway default/a: ok " + ROLE_A);
  }

  @Test
  void oneGatewayRefusedMakesItFalseNamingThatGateway() throws Exception {
    Condition c =
        credentialsReady(
            backend(
                IRSA,
                role ->
                    role.equals(ROLE_B)
                        ? StsCheckResult.rejected("AccessDenied: no")
                        : StsCheckResult.issued("ok")));
    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getReason()).isEqualTo("StsError");
    assertThat(c.getMessage()).isEqualTo("Gateway default/b: AccessDenied: no");
  }

  @Test
  void aRefusalOutranksAnUnreachableStsAndUnreachableOutranksPending() throws Exception {
    assertThat(
            credentialsReady(
                    backend(
                        IRSA,
                        role ->
                            role.equals(ROLE_A)
                                ? StsCheckResult.unreachable("timeout")
                                : StsCheckResult.rejected("denied")))
                .getReason())
        .isEqualTo("StsError");
    Condition c =
        credentialsReady(
            backend(
                IRSA,
                role ->
                    role.equals(ROLE_A)
                        ? StsCheckResult.PENDING
                        : StsCheckResult.unreachable("timeout")));
    assertThat(c.getStatus()).isEqualTo("Unknown");
    assertThat(c.getReason()).isEqualTo("StsUnreachable");
    assertThat(credentialsReady(backend(IRSA, role -> StsCheckResult.PENDING)).getReason())
        .isEqualTo("Pending");
  }

  @Test
  void secretKeysAndUncheckedModelsGetNoCondition() throws Exception {
    assertThat(backend(KEYS, role -> StsCheckResult.issued("ok")))
        .extracting(Condition::getType)
        .containsExactly("Accepted");
    assertThat(StatusComputer.compute(model(), Map.of()).backends().get(IRSA))
        .extracting(Condition::getType)
        .containsExactly("Accepted");
  }

  @Test
  void aLongMessageIsCut() throws Exception {
    String page = "x".repeat(5000);
    Condition c = credentialsReady(backend(IRSA, role -> StsCheckResult.unreachable(page)));
    assertThat(c.getMessage()).hasSize(1024).endsWith("...");
  }
}
