package dev.lambdagate.harness.emulator.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** JSON.parse + JSON.stringify semantics, with expectations taken from Node.js. */
class JavaScriptJsonTest {

  static String roundTrip(String json) throws InvalidJsonPayloadException {
    return JavaScriptJson.stringify(JavaScriptJson.parse(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void whitespaceGoesAndKeyOrderStays() throws Exception {
    assertThat(roundTrip("{\"key1\":\"value1\", \"key2\":\"value2\"}"))
        .isEqualTo("{\"key1\":\"value1\",\"key2\":\"value2\"}");
    assertThat(roundTrip(" { \"z\" : [ 1 , { } , [ ] ] , \"a\" : null } "))
        .isEqualTo("{\"z\":[1,{},[]],\"a\":null}");
  }

  @Test
  void arrayIndexKeysComeFirstInNumericOrder() throws Exception {
    assertThat(
            roundTrip(
                "{\"b\":1,\"2\":2,\"1\":3,\"01\":4,\"-1\":5,\"4294967295\":6,\"4294967294\":7,"
                    + "\"a\":{\"10\":0,\"9\":1}}"))
        .isEqualTo(
            "{\"1\":3,\"2\":2,\"4294967294\":7,\"b\":1,\"01\":4,\"-1\":5,\"4294967295\":6,"
                + "\"a\":{\"9\":1,\"10\":0}}");
  }

  @Test
  void repeatedKeyKeepsFirstPositionAndLastValue() throws Exception {
    assertThat(roundTrip("{\"a\":1,\"b\":2,\"a\":3}")).isEqualTo("{\"a\":3,\"b\":2}");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "1.0|1",
        "-0|0",
        "-0.0|0",
        "100|100",
        "1E2|100",
        "0.1|0.1",
        "1e21|1e+21",
        "1e20|100000000000000000000",
        "1e-7|1e-7",
        "0.000001|0.000001",
        "2.5e-5|0.000025",
        "123e-20|1.23e-18",
        "123456789012345678901234567890|1.2345678901234568e+29",
        "9007199254740993|9007199254740992",
        "5e-324|5e-324",
        "1.7976931348623157e308|1.7976931348623157e+308",
        "1e400|null",
        "-1e400|null",
        "0.30000000000000004|0.30000000000000004",
        "1.5e300|1.5e+300",
        "-12.50|-12.5",
        "4.35|4.35",
        "2e-3|0.002",
        "1.23456789e-7|1.23456789e-7",
        "123456.789e3|123456789",
      })
  void numbersPrintAsJavaScriptPrintsThem(String input, String expected) throws Exception {
    assertThat(roundTrip(input)).isEqualTo(expected);
  }

  @Test
  void stringsAreEscapedLikeJsonStringify() throws Exception {
    String input =
        "\"\\u0000\\u001f\\u007f\\u2028\\/\\u00e9\\ud83d\\ude00\\ud800x\\udc00\\\"\\\\\\b\\f\\n\\r\\t\"";

    assertThat(roundTrip(input))
        .isEqualTo(
            "\"\\u0000\\u001f\u007f\u2028/\u00e9\ud83d\ude00\\ud800x\\udc00"
                + "\\\"\\\\\\b\\f\\n\\r\\t\"");
  }

  @Test
  void topLevelScalarsAreValues() throws Exception {
    assertThat(roundTrip(" \"text\" ")).isEqualTo("\"text\"");
    assertThat(roundTrip("true")).isEqualTo("true");
    assertThat(roundTrip("null")).isEqualTo("null");
  }

  @Test
  void invalidJsonIsReportedLikeLambda() {
    assertThatThrownBy(() -> roundTrip("hello"))
        .isInstanceOf(InvalidJsonPayloadException.class)
        .hasMessage(
            "Unrecognized token 'hello': was expecting (JSON String, Number, Array, Object or token "
                + "'null', 'true' or 'false')\n at [Source: (byte[])\"hello\"; line: 1, column: 6]");
    assertThatThrownBy(() -> roundTrip("{\"a\":1} {}"))
        .isInstanceOf(InvalidJsonPayloadException.class);
    assertThatThrownBy(() -> roundTrip("{\"a\":01}"))
        .isInstanceOf(InvalidJsonPayloadException.class);
    assertThatThrownBy(() -> roundTrip("")).isInstanceOf(InvalidJsonPayloadException.class);
  }

  @Test
  void longSourcesAreTruncatedInTheLocation() {
    String payload = "x".repeat(600);

    assertThatThrownBy(() -> roundTrip(payload))
        .hasMessageContaining("xxx\"[truncated 100 bytes]; line: 1, column: ");
  }
}
