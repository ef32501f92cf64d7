package dev.lambdagate.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonRoundTripTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "[]",
        "\"\"",
        "{\"\":\"\"}",
        "{\"a\\u0000b\":\"\\u001f\\\"\\\\\\/\"}",
        "[\"\\uD834\\uDD1E\",\"\\u2028\\u2029\",\"\u00e9\"]",
        "{\"nested\":{\"deeper\":[[[{\"x\":[null,true,false,-0.0e-0]}]]]}}",
        "[0,-0,1E400,-1.5e-7,9223372036854775807,-9223372036854775808,18446744073709551616]",
        "{\"statusCode\":200,\"headers\":{\"content-type\":\"text/plain\"},\"body\":\"hi\\n\"}",
      })
  void parseWriteParseKeepsTheValue(String text) throws Exception {
    JsonValue first = JsonParser.parse(text);
    String written = first.toString();
    JsonValue second = JsonParser.parse(written);

    assertThat(second).isEqualTo(first);
    assertThat(second.toString()).isEqualTo(written);
  }

  @Test
  void randomTreesSurviveWriteThenParse() throws Exception {
    Random random = new Random(20240501L);
    for (int i = 0; i < 2000; i++) {
      JsonValue tree = randomValue(random, 0);
      byte[] utf8 = new JsonWriter().value(tree).toUtf8();

      JsonValue parsed = JsonParser.parse(utf8);

      assertThat(parsed).isEqualTo(tree);
    }
  }

  private static JsonValue randomValue(Random random, int depth) {
    int kind = random.nextInt(depth > 4 ? 4 : 6);
    switch (kind) {
      case 0:
        return JsonString.of(randomString(random));
      case 1:
        return JsonNumber.of(random.nextLong() >> random.nextInt(64));
      case 2:
        return JsonBoolean.of(random.nextBoolean());
      case 3:
        return JsonNull.INSTANCE;
      case 4:
        {
          List<JsonValue> items = new ArrayList<>();
          int n = random.nextInt(5);
          for (int i = 0; i < n; i++) {
            items.add(randomValue(random, depth + 1));
          }
          return JsonArray.copyOf(items);
        }
      default:
        {
          Map<String, JsonValue> members = new LinkedHashMap<>();
          int n = random.nextInt(5);
          for (int i = 0; i < n; i++) {
            members.put(randomString(random), randomValue(random, depth + 1));
          }
          return JsonObject.copyOf(members);
        }
    }
  }

  /** Strings mixing ASCII, control characters, escapes-worthy characters and all UTF-8 lengths. */
  private static String randomString(Random random) {
    int length = random.nextInt(12);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(6)) {
        case 0:
          sb.append((char) random.nextInt(0x20));
          break;
        case 1:
          sb.append("\"\\/\u2028\u2029".charAt(random.nextInt(5)));
          break;
        case 2:
          sb.append((char) (0x80 + random.nextInt(0x780)));
          break;
        case 3:
          {
            char c = (char) (0x800 + random.nextInt(0xF7FF));
            sb.append(Character.isSurrogate(c) ? 'S' : c);
            break;
          }
        case 4:
          sb.appendCodePoint(0x10000 + random.nextInt(0x100000));
          break;
        default:
          sb.append((char) (0x20 + random.nextInt(0x5F)));
      }
    }
    return sb.toString();
  }
}
