package dev.lambdagate.harness.emulator;

import dev.lambdagate.harness.emulator.credentials.CredentialStore;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/** Test client for one Lambda emulator: builds Invoke requests signed by Aws4Signer. */
final class LambdaClient {

  static final AwsCredentials TEST_KEY =
      AwsBasicCredentials.create(
          CredentialStore.TEST_ACCESS_KEY_ID, CredentialStore.TEST_SECRET_ACCESS_KEY);

  private final LambdaEmulator emulator;
  private final Clock clock;
  private AwsCredentials credentials = TEST_KEY;
  private String signingRegion;
  private String signingService = "lambda";

  LambdaClient(LambdaEmulator emulator, Clock clock) {
    this.emulator = emulator;
    this.clock = clock;
    this.signingRegion = emulator.region();
  }

  LambdaClient credentials(AwsCredentials newCredentials) {
    this.credentials = newCredentials;
    return this;
  }

  LambdaClient signingRegion(String region) {
    this.signingRegion = region;
    return this;
  }

  LambdaClient signingService(String service) {
    this.signingService = service;
    return this;
  }

  /**
   * A signed Invoke of {@code encodedFunctionName} (already percent-encoded as it goes in the
   * path).
   */
  SignedHttp.Outgoing request(
      String encodedFunctionName,
      Map<String, String> query,
      Map<String, String> headers,
      String body) {
    return request(encodedFunctionName, query, headers, body.getBytes(StandardCharsets.UTF_8));
  }

  SignedHttp.Outgoing request(
      String encodedFunctionName,
      Map<String, String> query,
      Map<String, String> headers,
      byte[] body) {
    return SignedHttp.sign(
        "POST",
        emulator.endpoint(),
        "/2015-03-31/functions/" + encodedFunctionName + "/invocations",
        query,
        headers,
        body,
        credentials,
        signingRegion,
        signingService,
        clock.instant());
  }

  HttpResponse<byte[]> invoke(String encodedFunctionName, String body) {
    return SignedHttp.send(request(encodedFunctionName, Map.of(), Map.of(), body));
  }

  HttpResponse<byte[]> invoke(
      String encodedFunctionName,
      Map<String, String> query,
      Map<String, String> headers,
      String body) {
    return SignedHttp.send(request(encodedFunctionName, query, headers, body));
  }
}
