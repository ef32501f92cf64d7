package dev.lambdagate.harness.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code make run} as a user runs it: the packaged {@code lambdagate-harness.jar run} in its own
 * JVM (so a class missing from the shaded jar fails here), answering the README's curl with the
 * README's response, and stopping cleanly on SIGTERM (what Ctrl-C sends the process group as
 * SIGINT; both run the same shutdown hook).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class QuickStartJarIT {
  @TempDir Path dir;

  @Test
  void packagedJarServesTheQuickStart() throws Exception {
    QuickStartEndToEndTest.readTheReadme();
    QuickStartEndToEndTest.Ports ports = QuickStartEndToEndTest.Ports.free();
    QuickStartEndToEndTest copier = new QuickStartEndToEndTest();
    copier.dir = dir;
    Path manifests = copier.copyExample("secret", ports);
    Path jar =
        Paths.get(System.getProperty("lambdagate.harness.jar", "target/lambdagate-harness.jar"));
    assertThat(jar).isRegularFile();
    Process run =
        new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:-DontCompileHugeMethods",
                "-jar",
                jar.toString(),
                "run",
                "--manifests",
                manifests.toString(),
                "--wasm",
                System.getProperty("lambdagate.wasm", "../wasm-filter/target/lambdagate.wasm"),
                "--data-plane",
                "embedded",
                "--lambda-port",
                Integer.toString(ports.lambda()),
                "--sts-port",
                Integer.toString(ports.sts()),
                "--ads-port",
                Integer.toString(ports.ads()))
            .redirectErrorStream(true)
            .start();
    List<String> output = new CopyOnWriteArrayList<>();
    CompletableFuture<Boolean> ready = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  output.add(line);
                  if (line.startsWith("run: ready")) {
                    ready.complete(true);
                  }
                }
              } catch (Exception e) {
                // the process ended
              }
              ready.complete(false);
            });
    reader.start();
    try {
      assertThat(ready.get(150, TimeUnit.SECONDS)).as("output: %s", output).isTrue();
      HttpResponse<String> answer =
          QuickStartEndToEndTest.post(
              ports.listener(), "/echo", QuickStartEndToEndTest.curlBody, null);
      assertThat(answer.body()).isEqualTo(QuickStartEndToEndTest.expectedResponse);
    } finally {
      run.destroy(); // SIGTERM
      assertThat(run.waitFor(30, TimeUnit.SECONDS)).as("stopped: %s", output).isTrue();
      reader.join(10_000);
    }
    assertThat(String.join("\n", output)).doesNotContain("Exception");
  }
}
