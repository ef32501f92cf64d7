package dev.lambdagate.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link NameOrder} against the JDK's stable sort of the same indexes, as the oracle. */
class NameOrderTest {

  @Test
  void ordersLikeTheJdksStableSortByNameThenIndex() {
    Random random = new Random(5);
    for (int round = 0; round < 500; round++) {
      int count = random.nextInt(80);
      String[] names = new String[count + random.nextInt(3)]; // room beyond count is ignored
      for (int i = 0; i < names.length; i++) {
        names[i] = random.nextBoolean() ? "AaBB".substring(0, 2 * random.nextInt(3)) : "BB" + i % 7;
      }
      List<Integer> oracle = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        oracle.add(i);
      }
      oracle.sort(Comparator.comparing((Integer i) -> names[i]));
      int[] order = NameOrder.of(names, count);
      assertThat(order).containsExactly(oracle.stream().mapToInt(Integer::intValue).toArray());
    }
  }
}
