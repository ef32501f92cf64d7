package dev.lambdagate.controlplane.provision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.kube.MockApi;
import dev.lambdagate.controlplane.model.GatewayOwnership;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The mock API server in CRUD mode answers a TokenRequest POST with 422 (it stores it as an object
 * and wants metadata), so the {@code serviceaccounts/<name>/token} path is scripted with {@code
 * server.expect()}.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class TokenRequestTokenSourceTest {
  static {
    MockApi.quiet();
  }

  static final String NS = "kgateway-system";
  static final String PATH = "/api/v1/namespaces/" + NS + "/serviceaccounts/http/token";

  KubernetesClient client;
  KubernetesMockServer server;

  /** A proxy ServiceAccount as the provisioner creates it. */
  static ServiceAccount sa(String name, boolean annotated) {
    return new ServiceAccountBuilder(unmanaged(name, annotated))
        .editMetadata()
        .withLabels(
            Map.of(
                GatewayOwnership.MANAGED_BY,
                GatewayOwnership.MANAGED_BY_VALUE,
                GatewayOwnership.GATEWAY_NAME_LABEL,
                name))
        .endMetadata()
        .build();
  }

  /** An account lambdagate did not create (an application's IRSA account, say). */
  static ServiceAccount unmanaged(String name, boolean annotated) {
    return new ServiceAccountBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .withAnnotations(
            annotated
                ? Map.of("eks.amazonaws.com/role-arn", "arn:aws:iam::210987654321:role/lambda-role")
                : Map.of())
        .endMetadata()
        .build();
  }

  static TokenRequest minted(String token, Instant expires) {
    return new TokenRequestBuilder()
        .withNewSpec()
        .withAudiences("sts.amazonaws.com")
        .endSpec()
        .withNewStatus()
        .withToken(token)
        .withExpirationTimestamp(expires.toString())
        .endStatus()
        .build();
  }

  @Test
  void mintsForAnnotatedServiceAccountsWithTheStsAudienceAndRenewsAt80Percent() throws Exception {
    Instant expires = Instant.now().plusSeconds(3600);
    server.expect().post().withPath(PATH).andReturn(201, minted("token-1", expires)).once();
    AtomicInteger notified = new AtomicInteger();
    try (TokenRequestTokenSource tokens =
        new TokenRequestTokenSource(client, Duration.ofHours(1), notified::incrementAndGet)) {
      tokens.track(List.of(sa("http", true), sa("plain", false)));
      assertThat(MockApi.await(15000, () -> notified.get() == 1)).isTrue();
      assertThat(tokens.token(NS, "http")).contains("token-1");
      assertThat(tokens.token(NS, "plain")).isEmpty();
      assertThat(tokens.requests()).isEqualTo(1);
      Instant renewal = tokens.renewalAt(NS, "http").orElseThrow();
      assertThat(Duration.between(Instant.now(), renewal).toMinutes()).isBetween(45L, 48L);

      RecordedRequest request = null;
      for (int i = server.getRequestCount(); i > 0 && request == null; i--) {
        RecordedRequest r = server.takeRequest();
        if (r.getPath().equals(PATH)) {
          request = r;
        }
      }
      assertThat(request).isNotNull();
      TokenRequest sent =
          client
              .getKubernetesSerialization()
              .unmarshal(request.getBody().readUtf8(), TokenRequest.class);
      assertThat(sent.getSpec().getAudiences()).containsExactly("sts.amazonaws.com");
      assertThat(sent.getSpec().getExpirationSeconds()).isEqualTo(3600L);

      // Dropping the annotation drops the token.
      tokens.track(List.of(sa("http", false)));
      assertThat(tokens.token(NS, "http")).isEmpty();
    }
  }

  @Test
  void neverMintsForAnAccountLambdagateDidNotCreate() throws Exception {
    // Scripted like a real API server would answer, so only the source's refusal stops it.
    server
        .expect()
        .post()
        .withPath(PATH)
        .andReturn(201, minted("stolen", Instant.now().plusSeconds(3600)))
        .always();
    server
        .expect()
        .post()
        .withPath(PATH.replace("/http/", "/edge/"))
        .andReturn(201, minted("edge-token", Instant.now().plusSeconds(3600)))
        .always();
    AtomicInteger notified = new AtomicInteger();
    try (TokenRequestTokenSource tokens =
        new TokenRequestTokenSource(client, Duration.ofHours(1), notified::incrementAndGet)) {
      // "http" is annotated but unlabelled; "edge" is a proxy account (the positive control:
      // once its token is there, any request for "http" would have been sent too).
      tokens.track(List.of(unmanaged("http", true), sa("edge", true)));
      assertThat(MockApi.await(15000, () -> notified.get() == 1)).isTrue();
      assertThat(tokens.token(NS, "edge")).contains("edge-token");
      assertThat(tokens.token(NS, "http")).isEmpty();
      assertThat(tokens.requests()).isEqualTo(1);
      List<String> paths = new java.util.ArrayList<>();
      for (int i = server.getRequestCount(); i > 0; i--) {
        paths.add(server.takeRequest().getPath());
      }
      assertThat(paths).contains(PATH.replace("/http/", "/edge/")).doesNotContain(PATH);
    }
  }

  @Test
  void renewsBeforeExpiryAndRetriesFailuresWithBackoff() {
    // A token valid for 2 s is renewed after ~1.6 s; the renewal first fails (403: the client
    // does not retry it itself), then succeeds after the 1 s backoff.
    server
        .expect()
        .post()
        .withPath(PATH)
        .andReturn(201, minted("short-lived", Instant.now().plusMillis(2000)))
        .once();
    server
        .expect()
        .post()
        .withPath(PATH)
        .andReturn(
            403,
            new StatusBuilder()
                .withCode(403)
                .withReason("Forbidden")
                .withMessage("cannot create resource serviceaccounts/token")
                .build())
        .once();
    server
        .expect()
        .post()
        .withPath(PATH)
        .andReturn(201, minted("renewed", Instant.now().plusSeconds(3600)))
        .once();
    AtomicInteger notified = new AtomicInteger();
    try (TokenRequestTokenSource tokens =
        new TokenRequestTokenSource(client, Duration.ofHours(1), notified::incrementAndGet)) {
      tokens.track(List.of(sa("http", true)));
      assertThat(MockApi.await(15000, () -> notified.get() == 1)).isTrue();
      assertThat(tokens.token(NS, "http")).contains("short-lived");
      assertThat(MockApi.await(15000, () -> notified.get() == 2)).as("renewed").isTrue();
      assertThat(tokens.token(NS, "http")).contains("renewed");
      assertThat(tokens.requests()).isEqualTo(3);
    }
  }

  @Test
  void mintsPodIdentityTokensOnDemandForProxyAccountsOnly() throws Exception {
    server
        .expect()
        .post()
        .withPath(PATH)
        .andReturn(201, minted("pod-token", Instant.now().plusSeconds(3600)))
        .once();
    AtomicInteger notified = new AtomicInteger();
    try (TokenRequestTokenSource tokens =
        new TokenRequestTokenSource(client, Duration.ofHours(1), notified::incrementAndGet)) {
      // No role annotation: nothing is minted until a Pod Identity token is asked for.
      tokens.track(List.of(sa("http", false), unmanaged("app", false)));
      Thread.sleep(200);
      assertThat(tokens.requests()).isZero();

      assertThat(tokens.podIdentityToken(NS, "http")).isEmpty(); // first demand starts minting
      assertThat(tokens.podIdentityToken(NS, "app")).isEmpty(); // never for a foreign account
      assertThat(MockApi.await(15000, () -> notified.get() == 1)).isTrue();
      assertThat(tokens.podIdentityToken(NS, "http")).contains("pod-token");
      assertThat(tokens.token(NS, "http")).as("not an IRSA token").isEmpty();
      assertThat(tokens.requests()).isEqualTo(1);

      RecordedRequest request = null;
      for (int i = server.getRequestCount(); i > 0 && request == null; i--) {
        RecordedRequest r = server.takeRequest();
        if (r.getPath().equals(PATH)) {
          request = r;
        }
      }
      assertThat(request).isNotNull();
      TokenRequest sent =
          client
              .getKubernetesSerialization()
              .unmarshal(request.getBody().readUtf8(), TokenRequest.class);
      assertThat(sent.getSpec().getAudiences()).containsExactly("pods.eks.amazonaws.com");

      // The account gone: its token goes too.
      tokens.track(List.of());
      assertThat(tokens.podIdentityToken(NS, "http")).isEmpty();
      assertThat(tokens.requests()).isEqualTo(1);
    }
  }
}
