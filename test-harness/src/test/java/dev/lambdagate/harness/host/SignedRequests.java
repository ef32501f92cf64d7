package dev.lambdagate.harness.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.harness.emulator.LambdaEmulator;
import dev.lambdagate.harness.emulator.credentials.CredentialStore;
import dev.lambdagate.harness.emulator.credentials.StoredCredential;
import dev.lambdagate.harness.emulator.lambda.InvocationRecord;
import io.roastedroot.proxywasm.LogLevel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * What the tests of fetched credentials through the module share: the filter's options on the
 * test's settable clock, transport and log; a POST through the filter; the access key its signature
 * names; its forwarding to the Lambda emulator, which verifies the signature; and the check that
 * neither a token nor anything an emulator issued reached the log.
 */
final class SignedRequests {
  private SignedRequests() {}

  static FilterVmOptions options(
      String config, Clock clock, ClusterTransport transport, List<String> log) {
    return FilterVmOptions.of(config)
        .withClock(HostClock.of(clock))
        .withTransport(transport)
        .withLog((level, line) -> log.add(line), LogLevel.DEBUG);
  }

  static HttpMessage post(String body) {
    return new HttpMessage(
        List.of(
            new String[] {":method", "POST"},
            new String[] {":path", "/hello"},
            new String[] {":authority", "gateway.example.com"},
            new String[] {"content-type", "application/json"}),
        body.getBytes(StandardCharsets.UTF_8));
  }

  static FilterOutcome run(FilterVm vm, String body) {
    try (FilterStream stream = vm.openStream(Map.of())) {
      return stream.request(post(body));
    }
  }

  /** The access key id of the outcome's {@code authorization} header. */
  static String accessKeyId(FilterOutcome outcome) {
    String authorization = outcome.message().header("authorization");
    int start = authorization.indexOf("Credential=") + "Credential=".length();
    return authorization.substring(start, authorization.indexOf('/', start));
  }

  /** Sends what the filter let through to the Lambda emulator; returns what Lambda verified. */
  static InvocationRecord invoke(
      FilterOutcome outcome, ClusterTransport transport, LambdaEmulator lambda) throws Exception {
    assertThat(outcome.localReply()).as("local reply %s", outcome.message().bodyText()).isFalse();
    HttpMessage answer = transport.forward("lambda", outcome.message());
    assertThat(answer.header(":status"))
        .as("Lambda answered %s", answer.bodyText())
        .isEqualTo("200");
    InvocationRecord record = lambda.invocations().last().orElseThrow();
    assertThat(record.verification().isValid()).isTrue();
    return record;
  }

  static void assertNothingSecretLogged(List<String> log, CredentialStore store, String token) {
    String all = String.join("\n", log);
    assertThat(all).as("log lines").doesNotContain(token);
    for (StoredCredential issued : store.all()) {
      assertThat(all).doesNotContain(issued.secretAccessKey());
      if (issued.sessionToken() != null) {
        assertThat(all).doesNotContain(issued.sessionToken());
      }
    }
  }
}
