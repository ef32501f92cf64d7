package dev.lambdagate.harness.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests written byte by byte on a socket, as a proxy sends them: the Host header names the AWS
 * endpoint, not the emulator's address, and the ARN's colons are percent-encoded.
 */
class RawHttpTest {

  private final SettableClock clock = SettableClock.at("2026-01-01T12:00:00Z");
  private LambdaEmulator lambda;

  @BeforeEach
  void start() throws Exception {
    lambda = LambdaEmulator.start(LambdaEmulatorConfig.builder().clock(clock).build());
  }

  @AfterEach
  void stop() {
    lambda.close();
  }

  @Test
  void requestSignedForTheAwsHostnameIsVerified() throws Exception {
    String path =
        "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aecho"
            + "/invocations";
    SignedHttp.Outgoing signed =
        SignedHttp.sign(
            "POST",
            URI.create("https://lambda.us-east-1.amazonaws.com"),
            path,
            Map.of(),
            Map.of("x-amz-invocation-type", "RequestResponse"),
            LambdaInvokeTest.SEED_REQUEST.getBytes(StandardCharsets.UTF_8),
            LambdaClient.TEST_KEY,
            "us-east-1",
            "lambda",
            clock.instant());

    StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\n");
    head.append("host: lambda.us-east-1.amazonaws.com\r\n");
    signed
        .headers()
        .forEach(
            (name, values) ->
                values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n")));
    head.append("content-length: ").append(signed.body().length).append("\r\n");
    head.append("connection: close\r\n\r\n");

    String response = exchange(head.toString().getBytes(StandardCharsets.UTF_8), signed.body());

    assertThat(response).startsWith("HTTP/1.1 200 ");
    assertThat(response).endsWith("\r\n\r\n" + LambdaInvokeTest.SEED_RESPONSE);
    assertThat(lambda.invocations().last().orElseThrow().header("Host"))
        .isEqualTo("lambda.us-east-1.amazonaws.com");
  }

  private String exchange(byte[] head, byte[] body) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", lambda.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(head);
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      in.transferTo(received);
      return received.toString(StandardCharsets.UTF_8);
    }
  }
}
