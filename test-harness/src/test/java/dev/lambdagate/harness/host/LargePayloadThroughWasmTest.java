package dev.lambdagate.harness.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.harness.payload.PayloadCases;
import dev.lambdagate.harness.payload.PayloadCases.Case;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Payloads up to Lambda's limits through the module in Chicory (compiled mode): requests go
 * upstream signed (checked with the AWS SDK's signer) and whole, echo-sized results come back
 * whole, with several streams of one VM interleaved (all requests first, then the responses in
 * reverse order). Fewer sizes than the V8 test: Chicory is slower.
 */
class LargePayloadThroughWasmTest {

  @ParameterizedTest
  @ValueSource(strings = {"None", "Envoy", "ApiGatewayV1", "ApiGatewayV2"})
  void interleavedLargeStreamsComeThroughSignedAndWhole(String mode) throws Exception {
    boolean none = mode.equals("None");
    List<Case> cases =
        List.of(
            new Case(PayloadCases.TRAPPED_V2_SIZE, true),
            new Case(none ? PayloadCases.SYNC_LIMIT : 4_500_000, false),
            new Case(2_000, true));
    try (FilterVm vm =
        FilterVm.start(
            ModuleUnderTest.filter(),
            FilterVmOptions.of(PayloadCases.config(mode, "http://lambda.test:9001")))) {
      List<FilterStream> streams = new ArrayList<>();
      List<byte[]> bodies = new ArrayList<>();
      try {
        for (Case c : cases) {
          byte[] body = c.body();
          bodies.add(body);
          FilterStream stream = vm.openStream(Map.of());
          streams.add(stream);
          FilterOutcome out =
              stream.request(
                  new HttpMessage(
                      List.of(
                          new String[] {":method", "POST"},
                          new String[] {":path", "/upload"},
                          new String[] {":authority", "gw.example.com"},
                          new String[] {"content-type", c.contentType()},
                          new String[] {"content-length", Integer.toString(body.length)}),
                      body));
          assertThat(out.localReply()).as("%s %s: %s", mode, c, out.message().bodyText()).isFalse();
          PayloadCases.assertSigned(out.message().headers(), out.message().body());
          PayloadCases.assertPayloadCarries(mode, c, out.message().body(), body);
        }
        for (int i = cases.size() - 1; i >= 0; i--) {
          byte[] result = PayloadCases.echoResult(mode, cases.get(i), bodies.get(i));
          FilterOutcome back =
              streams
                  .get(i)
                  .response(
                      new HttpMessage(
                          List.of(
                              new String[] {":status", "200"},
                              new String[] {"content-type", "application/json"},
                              new String[] {"content-length", Integer.toString(result.length)}),
                          result));
          assertThat(back.message().header(":status")).isEqualTo("200");
          assertThat(Arrays.equals(back.message().body(), bodies.get(i)))
              .as("%s %s: result comes back whole", mode, cases.get(i))
              .isTrue();
        }
      } finally {
        streams.forEach(FilterStream::close);
      }
      System.out.println("LargePayloadThroughWasmTest pages " + mode + ": " + vm.memoryPages());
    }
  }
}
