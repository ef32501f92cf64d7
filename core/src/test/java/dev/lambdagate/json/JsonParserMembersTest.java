package dev.lambdagate.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonParser#parseMembers}: the named members of the root object are built as {@link
 * JsonParser#parse} builds them, the rest is checked as strictly (the oracle is {@code parse}
 * itself) and kept nowhere.
 */
class JsonParserMembersTest {

  @Test
  void buildsOnlyTheNamedMembersInDocumentOrder() throws Exception {
    JsonObject o =
        members(
            "{\"skip\":[1,{\"x\":\"y\"}],\"b\":{\"k\":[true]},\"other\":2.5e3,\"a\":\"v\"}",
            "a",
            "b",
            "absent");

    assertThat(o.names()).containsExactly("b", "a");
    assertThat(o.get("a")).isEqualTo(JsonString.of("v"));
    assertThat(o.get("b")).isEqualTo(JsonParser.parse("{\"k\":[true]}"));
  }

  @Test
  void aNameIsMatchedAfterItsEscapesAreDecoded() throws Exception {
    assertThat(members("{\"st\\u0061tus\":1}", "status").names()).containsExactly("status");
    assertThat(members("{\"statu\":1,\"statuss\":2}", "status").names()).isEmpty();
  }

  @Test
  void aRootThatIsNotAnObjectIsCheckedAndGivesNull() throws Exception {
    for (String root : new String[] {"[1,{\"a\":2}]", "\"text\"", "-0.5", "true", "null"}) {
      byte[] utf8 = root.getBytes(StandardCharsets.UTF_8);
      assertThat(JsonParser.parseMembers(utf8, 0, utf8.length, "a")).as(root).isNull();
      assertThat(JsonParser.rootType(utf8, 0, utf8.length))
          .as(root)
          .isEqualTo(JsonParser.parse(root).type());
    }
    assertThatThrownBy(() -> members("[1,]", "a"))
        .hasMessage("unexpected ']', expected a value at offset 3");
  }

  @Test
  void duplicatesAreRefusedAmongTheNamedMembersOnly() throws Exception {
    assertThatThrownBy(() -> members("{\"a\":1,\"b\":2,\"a\":3}", "a"))
        .hasMessage("duplicate member name \"a\" at offset 13");
    assertThatThrownBy(() -> members("{\"a\":{\"k\":1,\"k\":2}}", "a"))
        .hasMessage("duplicate member name \"k\" at offset 12");
    // Nothing reads "x", so a second "x" cannot shadow anything.
    assertThat(members("{\"x\":1,\"x\":{\"k\":1,\"k\":2},\"a\":0}", "a").names())
        .containsExactly("a");
  }

  @Test
  void aValueOverItsLimitIsRefusedOnceTheDocumentIsKnownToBeJson() throws Exception {
    String[] names = {"h", "body"};
    int[] limits = {7, Integer.MAX_VALUE};
    byte[] atLimit = "{\"h\":[1,2,3],\"body\":\"long enough\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(JsonParser.parseMembers(atLimit, 0, atLimit.length, names, limits).names())
        .containsExactly("h", "body");

    byte[] over = "{\"h\":[1,2,3,4],\"body\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> JsonParser.parseMembers(over, 0, over.length, names, limits))
        .isInstanceOfSatisfying(
            JsonMemberTooLongException.class,
            e -> {
              assertThat(e.name()).isEqualTo("h");
              assertThat(e.limit()).isEqualTo(7);
              assertThat(e).hasMessage("the value of \"h\" is longer than 7 bytes");
            });
    // A document that is not JSON is refused as such, wherever its error is.
    byte[] overAndBroken = "{\"h\":[1,2,3,4],\"body\":x}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(
            () -> JsonParser.parseMembers(overAndBroken, 0, overAndBroken.length, names, limits))
        .isInstanceOf(JsonParseException.class)
        .hasMessage("unexpected 'x', expected a value at offset 22");
    assertThatThrownBy(() -> JsonParser.parseMembers(over, 0, over.length, names, new int[] {1}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nestingIsLimitedInSkippedValuesToo() {
    String deep = "[".repeat(JsonParser.MAX_DEPTH) + "]".repeat(JsonParser.MAX_DEPTH);
    String tooDeep = "[" + deep + "]";
    assertThatThrownBy(() -> members("{\"x\":" + tooDeep + "}", "a"))
        .hasMessageStartingWith("nesting deeper than " + JsonParser.MAX_DEPTH + " levels");
  }

  /**
   * Random edits of valid documents: whatever {@code parse} accepts, {@code parseMembers} accepts
   * with the same named members; whatever {@code parse} refuses for anything but a duplicate name,
   * {@code parseMembers} refuses with the same reason at the same offset.
   */
  @Test
  void agreesWithParseOnEditedDocuments() throws Exception {
    String[] seeds = {
      "{\"statusCode\":200,\"headers\":{\"a\":\"b\",\"n\":1},\"body\":\"x\\u00e9\\n\",\"s\":[1,-2.5e-3,"
          + "true,false,null,{\"q\":\"\\ud83d\\ude00\"}]}",
      "{\"a\":{\"b\":[[],{}]},\"c\":\"caf\u00e9\",\"d\":0,\"e\":[\"\\\"\",\"\\\\\"]}",
      "[{\"a\":1},{\"a\":2},\"a\",3]",
      "{\"a\":1,\"a\":2}",
    };
    String alphabet = "{}[],:\"\\ae0-.1Eu+tfn \u00e9";
    Random random = new Random(7);
    String[] names = {"a", "statusCode", "headers", "body", "q"};
    int accepted = 0;
    int refused = 0;
    for (int i = 0; i < 20_000; i++) {
      StringBuilder doc = new StringBuilder(seeds[random.nextInt(seeds.length)]);
      for (int edits = random.nextInt(3); edits > 0; edits--) {
        int at = random.nextInt(doc.length() + 1);
        switch (random.nextInt(3)) {
          case 0:
            doc.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
            break;
          case 1:
            if (at < doc.length()) {
              doc.deleteCharAt(at);
            }
            break;
          default:
            if (at < doc.length()) {
              doc.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
            }
        }
      }
      byte[] utf8 = doc.toString().getBytes(StandardCharsets.UTF_8);
      JsonValue whole;
      try {
        whole = JsonParser.parse(utf8);
      } catch (JsonParseException e) {
        if (!e.reason().startsWith("duplicate member name")) {
          refused++;
          assertThatThrownBy(() -> JsonParser.parseMembers(utf8, 0, utf8.length, names))
              .as(doc.toString())
              .isInstanceOf(JsonParseException.class)
              .hasMessage(e.getMessage());
        }
        continue;
      }
      accepted++;
      JsonObject selected = JsonParser.parseMembers(utf8, 0, utf8.length, names);
      if (whole.type() != JsonType.OBJECT) {
        assertThat(selected).as(doc.toString()).isNull();
        continue;
      }
      Map<String, JsonValue> expected = new LinkedHashMap<>();
      for (Map.Entry<String, JsonValue> e : ((JsonObject) whole).members().entrySet()) {
        if (java.util.Arrays.asList(names).contains(e.getKey())) {
          expected.put(e.getKey(), e.getValue());
        }
      }
      assertThat(selected.members()).as(doc.toString()).containsExactlyEntriesOf(expected);
    }
    // Both sides of the comparison were exercised.
    assertThat(accepted).isGreaterThan(1_000);
    assertThat(refused).isGreaterThan(1_000);
  }

  private static JsonObject members(String json, String... names) throws JsonParseException {
    byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
    return JsonParser.parseMembers(utf8, 0, utf8.length, names);
  }
}
