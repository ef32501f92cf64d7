package dev.lambdagate.harness.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void passesThrough() throws Exception {
    try (FilterVm vm = FilterVm.start(ModuleUnderTest.filter(), FilterVmOptions.of("{}"))) {
      for (int i = 0; i < 3; i++) {
        try (FilterStream s = vm.openStream(Map.of())) {
          FilterOutcome out = s.request(new HttpMessage(List.of(new String[] {":method", "POST"},
              new String[] {":path", "/x"}), "hello".getBytes(StandardCharsets.UTF_8)));
          assertThat(out.localReply()).isFalse();
          assertThat(out.message().bodyText()).isEqualTo("hello");
        }
      }
      System.out.println("pages " + vm.memoryPages());
    }
  }
}
