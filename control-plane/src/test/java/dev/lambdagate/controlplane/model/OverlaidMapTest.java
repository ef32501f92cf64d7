package dev.lambdagate.controlplane.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Overlays of overlays against a plain map given the same replacements, additions, removals. */
class OverlaidMapTest {
  @Test
  void behavesAsTheMapItStandsFor() {
    Random rnd = new Random(5);
    Map<String, Long> expected = new HashMap<>();
    for (int i = 0; i < 400; i++) {
      expected.put("k" + i, (long) i);
    }
    Map<String, Long> map = Map.copyOf(expected);
    for (int step = 0; step < 300; step++) {
      Map<String, Long> changes = new HashMap<>();
      List<String> removals = new ArrayList<>();
      for (int k = rnd.nextInt(4); k >= 0; k--) {
        String key = "k" + rnd.nextInt(500); // now and then a key the map does not have
        if (rnd.nextInt(3) == 0) {
          removals.add(key);
        } else {
          changes.put(key, (long) rnd.nextInt(1000));
        }
      }
      removals.forEach(expected::remove);
      expected.putAll(changes);
      map = OverlaidMap.of(map, changes, removals);
      assertThat(map).as("step %d", step).isEqualTo(expected).hasSize(expected.size());
      assertThat(expected).isEqualTo(map);
      assertThat(map.hashCode()).isEqualTo(expected.hashCode());
      for (int i = 0; i < 500; i++) {
        String key = "k" + i;
        assertThat(map.get(key)).isEqualTo(expected.get(key));
        assertThat(map.containsKey(key)).isEqualTo(expected.containsKey(key));
      }
    }
  }
}
