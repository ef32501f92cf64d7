package dev.lambdagate.harness.emulator.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lambdagate.harness.emulator.lambda.BuiltInFunctions;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Compares the echo function with the user guide's Node.js handler run by a real Node.js, over
 * tricky and random payloads. Skipped (with a message) when {@code node} is not on PATH.
 */
class NodeOracleTest {

  /** The user guide's handler, run the way the Lambda Node.js runtime runs it. */
  private static final String NODE_SCRIPT =
      """
            const handler = async(event) => {
                const response = {
                    statusCode: 200,
                    body: `Response from AWS Lambda. Here's the request you just sent me: ${JSON.stringify(event)}`
                };
                return response;
            };
            let input = '';
            process.stdin.on('data', d => input += d);
            process.stdin.on('end', async () => {
                const out = [];
                for (const payload of JSON.parse(input)) {
                    out.push(JSON.stringify(await handler(JSON.parse(payload))));
                }
                process.stdout.write(JSON.stringify(out));
            });
            """;

  @Test
  void echoMatchesNodeByteForByte() throws Exception {
    List<String> payloads =
        new ArrayList<>(
            List.of(
                "{\"key1\":\"value1\", \"key2\":\"value2\"}",
                "{\"b\":1,\"2\":2,\"1\":3,\"a\":{\"10\":0,\"9\":[1.0,-0,1e21,1e-7,123e-20]}}",
                "{\"a\":1,\"b\":2,\"a\":3}",
                "\"\\u0000\\u001f\\u007f\\u2028\\/\\u00e9\\ud83d\\ude00\\ud800x\\udc00\\\"\\\\\"",
                "[1e400, -1e400, 5e-324, 1.7976931348623157e308, 9007199254740993, 0.1, 100, 1E2]",
                "{\"headers\":{\"content-type\":\"application/json\"},\"body\":\"{\\\"x\\\":\\\"<script>&'\\\"}\"}",
                "null",
                "true",
                "\"\"",
                "{}",
                "[]"));
    SplittableRandom random = new SplittableRandom(20260101);
    StringBuilder numbers = new StringBuilder("[");
    for (int i = 0; i < 3000; i++) {
      double d = Double.longBitsToDouble(random.nextLong());
      if (!Double.isFinite(d)) {
        continue;
      }
      numbers.append(numbers.length() > 1 ? "," : "").append(d);
    }
    for (int i = 0; i < 2000; i++) {
      numbers
          .append(',')
          .append(random.nextInt(-1_000_000, 1_000_000))
          .append('.')
          .append(random.nextInt(0, 100_000))
          .append('e')
          .append(random.nextInt(-30, 30));
    }
    payloads.add(numbers.append(']').toString());

    List<String> expected = runNode(payloads);

    for (int i = 0; i < payloads.size(); i++) {
      String actual = BuiltInFunctions.echoResult(payloads.get(i).getBytes(StandardCharsets.UTF_8));
      assertThat(actual)
          .as("payload %s", payloads.get(i).length() > 200 ? "#" + i : payloads.get(i))
          .isEqualTo(expected.get(i));
    }
  }

  private static List<String> runNode(List<String> payloads) throws Exception {
    Process node;
    try {
      node = new ProcessBuilder("node", "-e", NODE_SCRIPT).redirectErrorStream(false).start();
    } catch (IOException e) {
      Assumptions.abort("node is not on PATH; skipping the Node.js oracle comparison");
      throw e;
    }
    ObjectMapper json = new ObjectMapper();
    try (OutputStream in = node.getOutputStream()) {
      in.write(json.writeValueAsBytes(payloads));
    }
    byte[] out = node.getInputStream().readAllBytes();
    assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(node.exitValue())
        .as(new String(node.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
        .isZero();
    return List.of(json.readValue(out, String[].class));
  }
}
