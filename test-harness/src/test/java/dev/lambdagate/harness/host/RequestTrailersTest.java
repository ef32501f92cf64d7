package dev.lambdagate.harness.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request whose body ends with trailers, as an HTTP/2 client may send it, through the built
 * module. No body callback sees the end of such a stream; {@code proxy_on_request_trailers} is
 * where it ends. The oracle is the same request ending on its last data frame: the filter must send
 * upstream exactly what it sends then (the same rewrite, payload and signature under a fixed
 * clock), and never the request as the client wrote it.
 */
class RequestTrailersTest {
  static final HostClock CLOCK = HostClock.fixed(Instant.parse("2015-08-30T12:36:00Z"));
  static final String CREDENTIALS =
      "\"credentials\":{\"accessKeyId\":\"AKIDEXAMPLE\","
          + "\"secretAccessKey\":\"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\"}";

  static String lambdaConfig(String transformMode) {
    return "{\"lambda\":{\"functionName\":\"fn\",\"region\":\"us-east-1\","
        + "\"payloadTransformMode\":\""
        + transformMode
        + "\"},"
        + CREDENTIALS
        + "}";
  }

  static String signConfig(boolean unsignedPayload) {
    return "{\"sign\":{\"service\":\"service\",\"region\":\"us-east-1\",\"unsignedPayload\":"
        + unsignedPayload
        + "},"
        + CREDENTIALS
        + "}";
  }

  /** A client that signs its own request and picks its own path and invocation type. */
  static HttpMessage clientRequest() {
    List<String[]> headers = new ArrayList<>();
    headers.add(new String[] {":method", "POST"});
    headers.add(new String[] {":path", "/attacker/chosen/path?x=1"});
    headers.add(new String[] {":authority", "gw.example.com"});
    headers.add(new String[] {"content-type", "application/json"});
    headers.add(new String[] {"authorization", "AWS4-HMAC-SHA256 Credential=CLIENTS-OWN"});
    headers.add(new String[] {"x-amz-invocation-type", "Event"});
    return new HttpMessage(
        headers, "{\"key1\":\"value1\",\"key2\":\"value2\"}".getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ApiGatewayV2", "ApiGatewayV1", "Envoy", "None"})
  void aLambdaRequestEndingWithTrailersIsInvokedAsIfItsBodyHadEndedIt(String mode)
      throws Exception {
    FilterOutcome endedByData = run(lambdaConfig(mode), false);
    FilterOutcome endedByTrailers = run(lambdaConfig(mode), true);

    assertThat(endedByData.localReply()).as("the oracle's request was invoked").isFalse();
    assertThat(endedByData.message().header(":path"))
        .isEqualTo("/2015-03-31/functions/fn/invocations");
    assertThat(render(endedByTrailers)).isEqualTo(render(endedByData));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aSignedRequestEndingWithTrailersIsSignedAsIfItsBodyHadEndedIt(boolean unsignedPayload)
      throws Exception {
    FilterOutcome endedByData = run(signConfig(unsignedPayload), false);
    FilterOutcome endedByTrailers = run(signConfig(unsignedPayload), true);

    assertThat(endedByData.localReply()).isFalse();
    assertThat(endedByData.message().header("authorization"))
        .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/");
    assertThat(render(endedByTrailers)).isEqualTo(render(endedByData));
  }

  /**
   * A route to a backend the control plane could not build is answered 500 at its headers; the body
   * and trailers that Envoy may still hand over must not continue the request.
   */
  @Test
  void aRequestAnsweredAtItsHeadersIsNotContinuedByItsBodyOrTrailers() throws Exception {
    String config =
        "{\"backends\":{\"default/broken\":{\"error\":\"Secret default/aws-creds not found\"}},"
            + "\"routes\":{\"r1\":\"default/broken\"}}";
    try (FilterVm vm =
            FilterVm.start(ModuleUnderTest.filter(), FilterVmOptions.of(config).withClock(CLOCK));
        FilterStream stream =
            vm.openStream(
                Map.of(List.of("xds", "route_name"), "r1".getBytes(StandardCharsets.UTF_8)))) {
      FilterOutcome out = stream.requestEndingWithTrailers(clientRequest(), true);
      assertThat(out.localReply()).isTrue();
      assertThat(out.status()).isEqualTo(500);
      assertThat(stream.requestContinued()).as("the body and trailers continued it").isFalse();
    }
  }

  private static FilterOutcome run(String config, boolean endWithTrailers) throws Exception {
    try (FilterVm vm =
            FilterVm.start(ModuleUnderTest.filter(), FilterVmOptions.of(config).withClock(CLOCK));
        FilterStream stream = vm.openStream(Map.of())) {
      return endWithTrailers
          ? stream.requestEndingWithTrailers(clientRequest())
          : stream.request(clientRequest());
    }
  }

  /** Everything that leaves the filter: reply or request, headers in order, body. */
  private static String render(FilterOutcome out) {
    StringBuilder s = new StringBuilder(out.localReply() ? "local reply\n" : "upstream\n");
    for (String[] h : out.message().headers()) {
      s.append(h[0]).append(": ").append(h[1]).append('\n');
    }
    return s.append('\n')
        .append(new String(out.message().body(), StandardCharsets.UTF_8))
        .toString();
  }
}
