package dev.lambdagate.harness.emulator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

/**
 * Test client: signs requests with the SDK's Aws4Signer (the independent oracle) and sends them
 * over real HTTP with java.net.http. A signed request can be tampered with before sending.
 */
final class SignedHttp {

  /** Headers java.net.http sets itself and refuses to take from us. */
  private static final Set<String> RESTRICTED =
      Set.of("host", "content-length", "connection", "expect", "upgrade");

  @SuppressWarnings("deprecation")
  private static final Aws4Signer SIGNER = Aws4Signer.create();

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private SignedHttp() {}

  /** A request ready to send; tests may change any part after signing. */
  record Outgoing(String method, URI uri, Map<String, List<String>> headers, byte[] body) {

    Outgoing withHeader(String name, String value) {
      Map<String, List<String>> copy = new LinkedHashMap<>(headers);
      copy.keySet().removeIf(k -> k.equalsIgnoreCase(name));
      copy.put(name, List.of(value));
      return new Outgoing(method, uri, copy, body);
    }

    Outgoing withoutHeader(String name) {
      Map<String, List<String>> copy = new LinkedHashMap<>(headers);
      copy.keySet().removeIf(k -> k.equalsIgnoreCase(name));
      return new Outgoing(method, uri, copy, body);
    }

    Outgoing withBody(String text) {
      return new Outgoing(method, uri, headers, text.getBytes(StandardCharsets.UTF_8));
    }

    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  /**
   * Signs {@code method endpoint+encodedPath?query} with Aws4Signer at {@code at}.
   *
   * @param rawQuery decoded query parameters (the signer encodes them), may be empty
   */
  static Outgoing sign(
      String method,
      URI endpoint,
      String encodedPath,
      Map<String, String> rawQuery,
      Map<String, String> headers,
      byte[] body,
      AwsCredentials credentials,
      String region,
      String service,
      Instant at) {
    SdkHttpFullRequest.Builder builder =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.fromValue(method))
            .uri(endpoint)
            .encodedPath(encodedPath)
            .contentStreamProvider(() -> new ByteArrayInputStream(body));
    rawQuery.forEach(builder::putRawQueryParameter);
    headers.forEach(builder::putHeader);
    Aws4SignerParams params =
        Aws4SignerParams.builder()
            .signingName(service)
            .signingRegion(Region.of(region))
            .awsCredentials(credentials)
            .doubleUrlEncode(true)
            .signingClockOverride(Clock.fixed(at, ZoneOffset.UTC))
            .build();
    SdkHttpFullRequest signed = SIGNER.sign(builder.build(), params);
    Map<String, List<String>> sent = new LinkedHashMap<>();
    signed
        .headers()
        .forEach(
            (name, values) -> {
              if (!RESTRICTED.contains(name.toLowerCase())) {
                sent.put(name, new ArrayList<>(values));
              }
            });
    return new Outgoing(method, signed.getUri(), sent, body);
  }

  static HttpResponse<byte[]> send(Outgoing request) {
    return exchange(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  /**
   * Sends the request and returns as soon as the response head is in; the body is read as it comes.
   */
  static HttpResponse<java.io.InputStream> open(Outgoing request) {
    return exchange(request, HttpResponse.BodyHandlers.ofInputStream());
  }

  private static <T> HttpResponse<T> exchange(
      Outgoing request, HttpResponse.BodyHandler<T> handler) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(request.uri())
            .timeout(Duration.ofSeconds(30))
            .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
    request.headers().forEach((name, values) -> values.forEach(v -> builder.header(name, v)));
    try {
      return CLIENT.send(builder.build(), handler);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }
}
