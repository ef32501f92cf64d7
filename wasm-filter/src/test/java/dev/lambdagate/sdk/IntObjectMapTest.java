package dev.lambdagate.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IntObjectMapTest {
  @Test
  void behavesLikeAHashMapUnderRandomChurn() {
    IntObjectMap<String> map = new IntObjectMap<>();
    Map<Integer, String> oracle = new HashMap<>();
    Random random = new Random(42);
    for (int step = 0; step < 200_000; step++) {
      int key = 1 + random.nextInt(500);
      if (random.nextInt(3) == 0) {
        assertThat(map.remove(key)).isEqualTo(oracle.remove(key));
      } else {
        String value = "v" + step;
        map.put(key, value);
        oracle.put(key, value);
      }
      assertThat(map.size()).isEqualTo(oracle.size());
    }
    for (int key = 1; key <= 500; key++) {
      assertThat(map.get(key)).isEqualTo(oracle.get(key));
    }
  }
}
