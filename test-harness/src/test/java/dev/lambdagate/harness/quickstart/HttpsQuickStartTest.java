package dev.lambdagate.harness.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.harness.cli.RunCommand;
import dev.lambdagate.harness.emulator.lambda.InvocationRecord;
import dev.lambdagate.harness.host.ModuleUnderTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's HTTPS quick start: {@code make run MANIFESTS=examples/https}, then {@code curl -k
 * https://localhost:8443/echo ...} (ports moved to free ones) answers as the plain HTTP curl does,
 * with the example's self-signed certificate.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class HttpsQuickStartTest {
  @TempDir Path dir;

  @Test
  void theReadmesCurlKAnswersOverTls() throws Exception {
    String readme = Files.readString(QuickStartEndToEndTest.repoRoot().resolve("README.md"));
    Matcher curl =
        Pattern.compile("\ncurl -k https://localhost:8443/echo -d '([^']*)' -X POST\n")
            .matcher(readme);
    assertThat(curl.find()).as("README has the HTTPS quick start's curl").isTrue();
    assertThat(readme).contains("make run MANIFESTS=examples/https");
    String body = curl.group(1);

    int http;
    int https;
    int lambda;
    try (ServerSocket a = new ServerSocket(0);
        ServerSocket b = new ServerSocket(0);
        ServerSocket c = new ServerSocket(0)) {
      http = a.getLocalPort();
      https = b.getLocalPort();
      lambda = c.getLocalPort();
    }
    Path manifests = Files.createDirectories(dir.resolve("https"));
    Path source = QuickStartEndToEndTest.repoRoot().resolve("examples").resolve("https");
    try (Stream<Path> files = Files.list(source)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.writeString(
            manifests.resolve(f.getFileName()),
            Files.readString(f)
                .replace("http://127.0.0.1:9001", "http://127.0.0.1:" + lambda)
                .replace("port: 8080", "port: " + http)
                .replace("port: 8443", "port: " + https));
      }
    }
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (RunCommand.Stack stack =
        RunCommand.start(
            RunCommand.Options.defaults(manifests, ModuleUnderTest.path())
                .withPorts(lambda, 0, 0, 0)
                .withDataPlane("embedded"),
            new PrintStream(log, true, StandardCharsets.UTF_8))) {
      assertThat(stack.listenerPorts()).contains(http, https);
      // curl -k: any certificate is accepted; the one presented is the example's.
      SSLContext ctx = SSLContext.getInstance("TLS");
      X509Certificate[][] seen = new X509Certificate[1][];
      ctx.init(
          null,
          new TrustManager[] {
            new X509TrustManager() {
              @Override
              public void checkClientTrusted(X509Certificate[] chain, String authType) {}

              @Override
              public void checkServerTrusted(X509Certificate[] chain, String authType) {
                seen[0] = chain;
              }

              @Override
              public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
              }
            }
          },
          null);
      try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", https)) {
        s.setSoTimeout(60_000);
        s.getOutputStream()
            .write(
                ("POST /echo HTTP/1.1\r\nHost: localhost:"
                        + https
                        + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        + "Connection: close\r\nContent-Length: "
                        + body.length()
                        + "\r\n\r\n"
                        + body)
                    .getBytes(StandardCharsets.US_ASCII));
        String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(reply).startsWith("HTTP/1.1 200 OK");
        assertThat(reply).contains("Response from AWS Lambda");
      }
      assertThat(seen[0][0].getSubjectX500Principal().getName()).contains("CN=localhost");
      InvocationRecord call = stack.lambda().invocations().last().orElseThrow();
      assertThat(call.verification().isValid()).isTrue();
    }
    assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain("PRIVATE KEY");
  }
}
