package dev.lambdagate.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the query-string reader used to build events. Properties: any text parses (never an
 * exception) into as many parameters as there are non-empty {@code &}-separated segments; and
 * parameters encoded by the JDK's {@link URLEncoder} (with {@code %20} for space, as a client sends
 * them) are read back as the original names and values, in order.
 */
@Timeout(10) // seconds per input: a parser must not hang
class QueryStringFuzzTest {

  @FuzzTest
  void anyQueryParses(byte[] input) {
    String raw = new String(input, StandardCharsets.UTF_8);
    QueryString q = QueryString.parse(raw);
    int segments = 0;
    for (String segment : raw.split("&", -1)) {
      if (!segment.isEmpty()) {
        segments++;
      }
    }
    assertThat(q.size()).isEqualTo(segments);
    for (int i = 0; i < q.size(); i++) {
      assertThat(q.name(i)).isNotNull();
      assertThat(q.value(i)).isNotNull();
    }
  }

  @FuzzTest
  void jdkEncodedParametersRoundTrip(FuzzedDataProvider data) {
    List<String[]> params = new ArrayList<>();
    StringBuilder raw = new StringBuilder();
    int n = data.consumeInt(0, 6);
    for (int i = 0; i < n; i++) {
      String name = wellFormed(data.consumeString(16));
      String value = wellFormed(data.consumeString(32));
      if (name.isEmpty() && value.isEmpty()) {
        continue; // "=" alone is a parameter with an empty name; "" is no parameter at all
      }
      params.add(new String[] {name, value});
      if (raw.length() > 0) {
        raw.append('&');
      }
      raw.append(encode(name)).append('=').append(encode(value));
    }
    QueryString q = QueryString.parse(raw.toString());
    assertThat(q.size()).as(raw.toString()).isEqualTo(params.size());
    for (int i = 0; i < params.size(); i++) {
      assertThat(q.name(i)).isEqualTo(params.get(i)[0]);
      assertThat(q.value(i)).isEqualTo(params.get(i)[1]);
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Text that survives UTF-8: unpaired surrogates have no encoding to round-trip. */
  private static String wellFormed(String s) {
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }
}
