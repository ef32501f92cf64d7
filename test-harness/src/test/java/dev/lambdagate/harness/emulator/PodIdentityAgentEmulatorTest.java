package dev.lambdagate.harness.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lambdagate.harness.emulator.credentials.CredentialStore;
import dev.lambdagate.harness.emulator.credentials.StoredCredential;
import dev.lambdagate.harness.emulator.sts.WebIdentityTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent emulator answers and refuses as the EKS Pod Identity agent does. */
class PodIdentityAgentEmulatorTest {
  static final String ROLE = "arn:aws:iam::123456789012:role/pod-role";
  static final ObjectMapper JSON = new ObjectMapper();

  SettableClock clock;
  CredentialStore store;
  PodIdentityAgentEmulator agent;
  final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    clock = SettableClock.at("2026-12-06T12:00:00Z");
    store = new CredentialStore();
    agent =
        PodIdentityAgentEmulator.start(
            store,
            ROLE,
            clock,
            Duration.ofHours(6),
            WebIdentityTokens.anyJwtShaped(),
            "127.0.0.1",
            0);
  }

  @AfterEach
  void stop() {
    agent.close();
  }

  static String token(String audienceJson, long exp) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(
            ("{\"aud\":" + audienceJson + ",\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8))
        + ".c2ln";
  }

  String valid() {
    return token("[\"pods.eks.amazonaws.com\"]", clock.instant().getEpochSecond() + 3600);
  }

  HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(agent.endpoint() + path)).GET();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void issuesTheRolesCredentialsIntoTheStore() throws Exception {
    HttpResponse<String> answer = get("/v1/credentials", valid());

    assertThat(answer.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(answer.body());
    StoredCredential issued = store.find(body.path("AccessKeyId").asText()).orElseThrow();
    assertThat(body.path("SecretAccessKey").asText()).isEqualTo(issued.secretAccessKey());
    assertThat(body.path("Token").asText()).isEqualTo(issued.sessionToken());
    assertThat(body.path("AccountId").asText()).isEqualTo("123456789012");
    assertThat(Instant.parse(body.path("Expiration").asText()))
        .isEqualTo(Instant.parse("2026-12-06T18:00:00Z"));
    assertThat(issued.principalArn())
        .startsWith("arn:aws:sts::123456789012:assumed-role/pod-role/");
    assertThat(agent.calls()).singleElement().satisfies(c -> assertThat(c.status()).isEqualTo(200));
  }

  @Test
  void refusesTokensTheAgentWouldRefuse() throws Exception {
    long later = clock.instant().getEpochSecond() + 3600;
    List<Object[]> cases =
        List.of(
            new Object[] {null, "Service account token cannot be empty"},
            new Object[] {"Bearer " + valid(), "without a Bearer prefix"},
            new Object[] {"not-a-jwt", "not a valid JWT"},
            new Object[] {token("\"sts.amazonaws.com\"", later), "audience is not"},
            new Object[] {
              token("[\"pods.eks.amazonaws.com\"]", clock.instant().getEpochSecond() - 1),
              "has expired"
            });
    for (Object[] c : cases) {
      HttpResponse<String> answer = get("/v1/credentials", (String) c[0]);
      assertThat(answer.statusCode()).as("%s", c[1]).isEqualTo(400);
      JsonNode body = JSON.readTree(answer.body());
      assertThat(body.path("code").asText()).isEqualTo("InvalidTokenException");
      assertThat(body.path("message").asText()).contains((String) c[1]);
    }
    assertThat(store.all()).isEmpty();
    agent.setTokenPolicy(t -> false);
    assertThat(get("/v1/credentials", valid()).statusCode()).isEqualTo(400);
  }

  @Test
  void otherPathsAreNotFoundAndFailuresCanBeInjected() throws Exception {
    assertThat(get("/v1/other", valid()).statusCode()).isEqualTo(404);
    agent.failNext(1);
    HttpResponse<String> failed = get("/v1/credentials", valid());
    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(JSON.readTree(failed.body()).path("code").asText()).isEqualTo("InternalError");
    assertThat(get("/v1/credentials", valid()).statusCode()).isEqualTo(200);
  }
}
