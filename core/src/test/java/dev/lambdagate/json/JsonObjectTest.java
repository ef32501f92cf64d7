package dev.lambdagate.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonObject}'s sorted index against a {@link LinkedHashMap} as the oracle, with names that
 * share one hash code ({@code "Aa"} and {@code "BB"} do, and so does every string made of them).
 */
class JsonObjectTest {

  @Test
  void lookupsAndOrderAgreeWithALinkedHashMap() throws Exception {
    Random random = new Random(11);
    for (int round = 0; round < 300; round++) {
      Map<String, JsonValue> oracle = new LinkedHashMap<>();
      int size = random.nextInt(70);
      while (oracle.size() < size) {
        oracle.put(name(random), JsonNumber.of(random.nextInt(1000)));
      }
      JsonObject parsed = (JsonObject) JsonParser.parse(write(oracle));

      assertThat(parsed.size()).isEqualTo(oracle.size());
      assertThat(parsed.names()).containsExactlyElementsOf(oracle.keySet());
      assertThat(parsed.members()).containsExactlyEntriesOf(oracle);
      int i = 0;
      for (Map.Entry<String, JsonValue> e : oracle.entrySet()) {
        assertThat(parsed.name(i)).isEqualTo(e.getKey());
        assertThat(parsed.value(i)).isEqualTo(e.getValue());
        i++;
      }
      assertThatThrownBy(() -> parsed.name(size)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> parsed.value(-1)).isInstanceOf(IndexOutOfBoundsException.class);
      for (int probe = 0; probe < 50; probe++) {
        String name = name(random);
        assertThat(parsed.get(name)).as(name).isEqualTo(oracle.get(name));
        assertThat(parsed.has(name)).as(name).isEqualTo(oracle.containsKey(name));
      }
      assertThat(parsed).isEqualTo(JsonObject.copyOf(oracle));
      assertThat(parsed.hashCode()).isEqualTo(oracle.hashCode());
    }
  }

  @Test
  void theFirstRepeatedNameInDocumentOrderIsTheOneRefused() {
    Random random = new Random(13);
    for (int round = 0; round < 300; round++) {
      List<String> names = new ArrayList<>();
      for (int i = random.nextInt(40) + 2; i > 0; i--) {
        names.add(name(random));
      }
      // The oracle: reading in document order, the first name seen before.
      Map<String, Integer> seen = new LinkedHashMap<>();
      String repeated = null;
      StringBuilder json = new StringBuilder("{");
      int repeatOffset = -1;
      for (int i = 0; i < names.size(); i++) {
        if (i > 0) {
          json.append(',');
        }
        if (repeated == null && seen.containsKey(names.get(i))) {
          repeated = names.get(i);
          repeatOffset = json.length();
        }
        seen.put(names.get(i), i);
        json.append('"').append(names.get(i)).append("\":").append(i);
      }
      json.append('}');
      if (repeated == null) {
        continue;
      }
      String expected = "duplicate member name \"" + repeated + "\" at offset " + repeatOffset;
      assertThatThrownBy(() -> JsonParser.parse(json.toString()))
          .as(json.toString())
          .hasMessage(expected);
    }
  }

  @Test
  void nullNamesAndOtherKeysAreNotFound() throws Exception {
    JsonObject o = (JsonObject) JsonParser.parse("{\"a\":1}");
    assertThat(o.get(null)).isNull();
    assertThat(o.has(null)).isFalse();
    assertThat(o.members().get(1)).isNull();
    assertThat(o.members().containsKey("a")).isTrue();
  }

  /**
   * A name of one to six "Aa"/"BB" pairs (126 names): all names of one length share a hash code.
   */
  private static String name(Random random) {
    StringBuilder name = new StringBuilder();
    for (int i = random.nextInt(6); i >= 0; i--) {
      name.append(random.nextBoolean() ? "Aa" : "BB");
    }
    return name.toString();
  }

  private static byte[] write(Map<String, JsonValue> members) {
    return new JsonWriter().value(JsonObject.copyOf(members)).toUtf8();
  }
}
