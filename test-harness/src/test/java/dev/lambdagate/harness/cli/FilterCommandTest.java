package dev.lambdagate.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.harness.host.ModuleUnderTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code filter} command: the real module on one request with the clock fixed; in signing mode
 * it prints the suite's signature, in Lambda mode the Invoke request the filter would send.
 */
class FilterCommandTest {
  static final String CONFIG =
      "{\"lambda\":{\"functionName\":\"echo\",\"region\":\"us-east-1\","
          + "\"accountId\":\"123456789012\"},\"credentials\":{\"accessKeyId\":\"AKIDEXAMPLE\","
          + "\"secretAccessKey\":\"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\"}}";

  @TempDir Path dir;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(String config, String request, String... extra) throws Exception {
    return runAt("20261201T120000Z", config, request, extra);
  }

  int runAt(String time, String config, String request, String... extra) throws Exception {
    Path configFile = Files.writeString(dir.resolve("config.json"), config);
    Path requestFile = Files.writeString(dir.resolve("request.txt"), request);
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--wasm",
                ModuleUnderTest.path().toString(),
                "--config",
                configFile.toString(),
                "--request",
                requestFile.toString(),
                "--time",
                time));
    args.addAll(List.of(extra));
    return FilterCommand.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void printsTheSignedInvokeRequest() throws Exception {
    String body = "{\"key1\":\"value1\", \"key2\":\"value2\"}";
    int code =
        run(
            CONFIG,
            "POST /echo HTTP/1.1\nhost: localhost:8080\n"
                + "content-type: application/x-www-form-urlencoded\nx-amz-invocation-type: Event\n\n"
                + body);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as("stderr: %s", err).isZero();
    assertThat(printed)
        .startsWith(
            "POST /2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A"
                + "123456789012%3Afunction%3Aecho/invocations HTTP/1.1\nhost:lambda.us-east-1.amazonaws.com\n");
    assertThat(printed)
        .contains("x-amz-invocation-type:RequestResponse\n")
        .doesNotContain("Event")
        .contains("x-amz-date:20261201T120000Z\n")
        .contains(
            "authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/"
                + "lambda/aws4_request")
        .endsWith("\n\n" + body);
    assertThat(printed + err).doesNotContain("wJalrXUtnFEMI");
  }

  @Test
  void aConfigMissingTheFunctionIsRejectedNamingTheKey() throws Exception {
    int code =
        run(
            "{\"lambda\":{\"region\":\"us-east-1\"},\"credentials\":{\"accessKeyId\":\"a\","
                + "\"secretAccessKey\":\"b\"}}",
            "GET / HTTP/1.1\nhost: x\n\n");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("lambda.functionName");
  }

  @Test
  void signingModePrintsTheSuitesSignatureForGetVanilla() throws Exception {
    int code =
        runAt(
            "20150830T123600Z",
            "{\"sign\":{\"service\":\"service\",\"region\":"
                + "\"us-east-1\"},\"credentials\":{\"accessKeyId\":\"AKIDEXAMPLE\",\"secretAccessKey\":"
                + "\"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\"}}",
            "GET / HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\n\n");
    assertThat(code).as("stderr: %s", err).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("GET / HTTP/1.1\n")
        .contains(
            "authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
                + "aws4_request, SignedHeaders=host;x-amz-date, Signature="
                + "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31\n");
  }

  @Test
  void aCrlfRequestFileWithSpacesAfterTheColonsSignsLikeTheSuitesOwn() throws Exception {
    // get-vanilla as an HTTP client writes it: CRLF line ends, "Name: value".
    int code =
        runAt(
            "20150830T123600Z",
            "{\"sign\":{\"service\":\"service\",\"region\":"
                + "\"us-east-1\"},\"credentials\":{\"accessKeyId\":\"AKIDEXAMPLE\",\"secretAccessKey\":"
                + "\"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\"}}",
            "GET / HTTP/1.1\r\nHost: example.amazonaws.com \r\nX-Amz-Date: 20150830T123600Z\r\n\r\n");
    assertThat(code).as("stderr: %s", err).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains(
            "SignedHeaders=host;x-amz-date, "
                + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31\n")
        .doesNotContain("\r");
  }

  @Test
  void aFilterErrorExitsWithThree() throws Exception {
    // Lambda mode with web-identity credentials and no STS reachable from this command.
    int code =
        run(
            "{\"lambda\":{\"functionName\":\"echo\"},\"credentials\":{\"webIdentity\":"
                + "{\"roleArn\":\"arn:aws:iam::123456789012:role/r\",\"token\":\"t\",\"stsCluster\":\"sts\"}}}",
            "POST /echo HTTP/1.1\nhost: x\n\n{}");
    assertThat(code).as("stdout: %s stderr: %s", out, err).isEqualTo(3);
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("HTTP/1.1 5");
  }
}
