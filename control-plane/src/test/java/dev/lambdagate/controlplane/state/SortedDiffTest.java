package dev.lambdagate.controlplane.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SortedDiffTest {
  /** An element: a key, and an instance that may or may not be shared. */
  record Item(int key, int version) {}

  private static final Comparator<Item> BY_KEY = Comparator.comparingInt(Item::key);

  @Test
  void eachDifferenceIsVisitedOnceInKeyOrderAndSharedInstancesAreSkipped() {
    Random rnd = new Random(7);
    for (int round = 0; round < 500; round++) {
      List<Item> before = new ArrayList<>();
      for (int k = 0; k < rnd.nextInt(30); k++) {
        before.add(new Item(k * 3, 0));
      }
      List<Item> now = new ArrayList<>();
      for (Item it : before) {
        switch (rnd.nextInt(4)) {
          case 0 -> {} // deleted
          case 1 -> now.add(new Item(it.key(), 0)); // equal, but another instance: changed
          default -> now.add(it); // the same instance: unchanged
        }
      }
      for (int k = 0; k < rnd.nextInt(5); k++) {
        int key = rnd.nextInt(100);
        if (key % 3 != 0 && now.stream().noneMatch(it -> it.key() == key)) {
          now.add(new Item(key, 1)); // created, between the others or after them
        }
      }
      now.sort(BY_KEY);

      // The oracle: by key, from maps.
      Map<Integer, Item> a = new TreeMap<>();
      before.forEach(it -> a.put(it.key(), it));
      Map<Integer, Item> b = new TreeMap<>();
      now.forEach(it -> b.put(it.key(), it));
      List<Item[]> expected = new ArrayList<>();
      TreeSet<Integer> keys = new TreeSet<>(a.keySet());
      keys.addAll(b.keySet());
      for (int key : keys) {
        if (a.get(key) != b.get(key)) {
          expected.add(new Item[] {a.get(key), b.get(key)});
        }
      }

      List<Item[]> visited = new ArrayList<>();
      boolean completed =
          SortedDiff.walk(
              before,
              now,
              BY_KEY,
              (x, y) -> {
                visited.add(new Item[] {x, y});
                return true;
              });
      assertThat(completed).isTrue();
      assertThat(visited).hasSameSizeAs(expected);
      for (int i = 0; i < expected.size(); i++) {
        assertThat(visited.get(i)[0]).isSameAs(expected.get(i)[0]);
        assertThat(visited.get(i)[1]).isSameAs(expected.get(i)[1]);
      }
    }
  }

  @Test
  void theVisitorStopsTheWalk() {
    List<Item> before = List.of(new Item(1, 0), new Item(2, 0), new Item(3, 0));
    List<Item> now = List.of();
    List<Item> seen = new ArrayList<>();
    boolean completed =
        SortedDiff.walk(
            before,
            now,
            BY_KEY,
            (x, y) -> {
              seen.add(x);
              return seen.size() < 2;
            });
    assertThat(completed).isFalse();
    assertThat(seen).containsExactly(before.get(0), before.get(1));
  }
}
