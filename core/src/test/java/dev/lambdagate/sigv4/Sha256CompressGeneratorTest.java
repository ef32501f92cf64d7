package dev.lambdagate.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The unrolled {@code Sha256.compress} is exactly what its generator writes. */
class Sha256CompressGeneratorTest {
  @Test
  void committedCompressMethodIsTheGeneratorsOutput() throws Exception {
    String source = Files.readString(Sha256CompressGenerator.SOURCE, StandardCharsets.UTF_8);

    assertThat(Sha256CompressGenerator.committedMethod(source))
        .isEqualTo(Sha256CompressGenerator.compressMethod());
  }
}
