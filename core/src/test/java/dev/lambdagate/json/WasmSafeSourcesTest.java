package dev.lambdagate.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The json, config, lambda and credentials packages are compiled to WebAssembly by TeaVM and run in
 * Envoy, where some JDK calls are missing or pull in host imports Envoy does not provide. This test
 * fails as soon as their sources use one of those calls, long before a Wasm build would.
 */
class WasmSafeSourcesTest {

  private static final String[] FORBIDDEN = {
    "String.format", ".formatted(", ".split(", ".matches(", "replaceAll(", "replaceFirst(",
        "java.util.regex",
    "java.time", "java.text", "java.lang.reflect", "getClass()", "Class.forName", "Math.",
        "StrictMath.",
    "currentTimeMillis", "nanoTime", "Thread", "Double.", "Float.", "java.util.Base64",
        "java.util.stream",
    "java.util.concurrent", "synchronized",
  };

  @Test
  void usesNoApiThatTheWasmBuildLacks() throws IOException {
    List<String> offences = new ArrayList<>();
    for (String pkg : new String[] {"json", "config", "lambda", "credentials", "eventstream"}) {
      Path dir = Paths.get("src/main/java/dev/lambdagate", pkg);
      assertThat(dir).isDirectory();
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file :
            (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
          List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
          for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.startsWith("*") || line.startsWith("/*") || line.startsWith("//")) {
              continue;
            }
            for (String token : FORBIDDEN) {
              if (line.contains(token)) {
                offences.add(file.getFileName() + ":" + (i + 1) + " uses " + token);
              }
            }
          }
        }
      }
    }
    assertThat(offences).isEmpty();
  }
}
