package dev.lambdagate.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lambdagate.config.PayloadTransformMode;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResponseUnwrapperTest {

  private static final PayloadTransformMode V1 = PayloadTransformMode.API_GATEWAY_V1;
  private static final PayloadTransformMode V2 = PayloadTransformMode.API_GATEWAY_V2;
  private static final PayloadTransformMode ENVOY = PayloadTransformMode.ENVOY;

  @Test
  void unwrapsStatusHeadersMultiValueHeadersCookiesAndABase64Body() {
    HttpResponse response =
        unwrap(
            V1,
            """
                {"statusCode": 201,
                 "headers": {"Content-Type": "text/plain", "X-One": "1", "X-Multi": "replaced"},
                 "multiValueHeaders": {"x-multi": ["a", "b"], "Set-Cookie": ["s=1"]},
                 "cookies": ["c=1; Path=/", "d=2"],
                 "body": "aGVsbG8gd29ybGQ=", "isBase64Encoded": true}
                """);

    assertThat(response.status()).isEqualTo(201);
    assertThat(response.headers())
        .isEqualTo(
            HeaderList.of(
                "content-type", "text/plain",
                "x-one", "1",
                "x-multi", "a",
                "x-multi", "b",
                "set-cookie", "s=1",
                "set-cookie", "c=1; Path=/",
                "set-cookie", "d=2"));
    assertThat(response.bodyText()).isEqualTo("hello world");
  }

  /**
   * A name in both maps, in any case, is the multi-value one's: random overlapping sets of names
   * against a plain equalsIgnoreCase oracle.
   */
  @Test
  void aHeaderInBothMapsIsTakenFromMultiValueHeadersInAnyCase() {
    java.util.Random random = new java.util.Random(3);
    for (int round = 0; round < 200; round++) {
      java.util.List<String> single = new java.util.ArrayList<>();
      java.util.List<String> multi = new java.util.ArrayList<>();
      StringBuilder json = new StringBuilder("{\"statusCode\":200,\"headers\":{");
      for (int i = 0; i < 12; i++) {
        String name = randomCase(random, "x-h" + random.nextInt(16));
        if (single.stream().noneMatch(name::equals)) {
          json.append(single.isEmpty() ? "" : ",").append('"').append(name).append("\":\"s\"");
          single.add(name);
        }
      }
      json.append("},\"multiValueHeaders\":{");
      for (int i = 0; i < 12; i++) {
        String name = randomCase(random, "x-h" + random.nextInt(16));
        if (multi.stream().noneMatch(name::equals)) {
          json.append(multi.isEmpty() ? "" : ",").append('"').append(name).append("\":[\"m\"]");
          multi.add(name);
        }
      }
      HttpResponse response = unwrap(V1, json.append("}}").toString());
      for (String name : single) {
        boolean inMulti = multi.stream().anyMatch(m -> m.equalsIgnoreCase(name));
        boolean keptFromSingle = false;
        for (int i = 0; i < response.headers().size(); i++) {
          keptFromSingle |=
              response.headers().name(i).equalsIgnoreCase(name)
                  && response.headers().value(i).equals("s");
        }
        assertThat(keptFromSingle).as("%s in %s", name, json).isEqualTo(!inMulti);
      }
    }
  }

  private static String randomCase(java.util.Random random, String name) {
    StringBuilder out = new StringBuilder();
    for (char c : name.toCharArray()) {
      out.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
    }
    return out.toString();
  }

  @Test
  void decodesABinaryBodyExactly() {
    HttpResponse response =
        unwrap(
            V2,
            "{\"statusCode\":200,\"headers\":{\"content-type\":\"image/gif\"},"
                + "\"body\":\"R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs=\",\"isBase64Encoded\":true}");

    assertThat(response.body())
        .isEqualTo(
            java.util.Base64.getDecoder()
                .decode("R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs="));
  }

  @Test
  void aPlainBodyIsEncodedAsUtf8() {
    HttpResponse response =
        unwrap(V1, "{\"statusCode\":200,\"body\":\"caf\\u00e9 \\uD83D\\uDE00\"}");

    assertThat(response.body())
        .isEqualTo("caf\u00e9 \uD83D\uDE00".getBytes(StandardCharsets.UTF_8));
    assertThat(response.headers()).isEqualTo(HeaderList.of("content-type", "application/json"));
  }

  @Test
  void theSeedEchoResultUnwrapsToItsBody() {
    HttpResponse response =
        unwrap(
            V2,
            "{\"statusCode\":200,\"body\":\"Response from AWS Lambda. Here's the request "
                + "you just sent me: {\\\"key1\\\":\\\"value1\\\",\\\"key2\\\":\\\"value2\\\"}\"}");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.bodyText())
        .isEqualTo(
            "Response from AWS Lambda. Here's the request you just sent me: {\"key1\":\"value1\",\"key2\":\"value2\"}");
    assertThat(response.headers().isEmpty()).isTrue();
  }

  @Test
  void v2TakesAResultWithoutStatusCodeAsTheJsonBody() {
    for (String payload :
        new String[] {
          "{\"message\":\"hi\",\"body\":5}", "\"hello\"", "[1,2]", "42", "null", "true"
        }) {
      HttpResponse response = unwrap(V2, payload);

      assertThat(response.status()).as(payload).isEqualTo(200);
      assertThat(response.headers())
          .as(payload)
          .isEqualTo(HeaderList.of("content-type", "application/json"));
      assertThat(response.bodyText()).as(payload).isEqualTo(payload);
    }
  }

  @Test
  void v2AddsNoContentTypeOfItsOwnWhenTheResultHasAStatus() {
    HttpResponse response = unwrap(V2, "{\"statusCode\":204}");

    assertThat(response.status()).isEqualTo(204);
    assertThat(response.headers().isEmpty()).isTrue();
    assertThat(response.body()).isEmpty();
  }

  @Test
  void envoyModeAcceptsSnakeCaseAndDefaultsTheStatusTo200() {
    HttpResponse snake =
        unwrap(
            ENVOY,
            "{\"status_code\":404,\"headers\":{\"x-a\":\"b\"},"
                + "\"body\":\"bm90IGZvdW5k\",\"is_base64_encoded\":true}");
    assertThat(snake.status()).isEqualTo(404);
    assertThat(snake.bodyText()).isEqualTo("not found");
    assertThat(snake.headers())
        .isEqualTo(HeaderList.of("x-a", "b", "content-type", "application/json"));

    assertThat(unwrap(ENVOY, "{\"body\":\"x\"}").status()).isEqualTo(200);
    assertThat(unwrap(ENVOY, "{\"status_code\":0,\"body\":\"x\"}").status()).isEqualTo(200);
    assertThat(unwrap(ENVOY, "{}").body()).isEmpty();
  }

  @Test
  void acceptsAStatusCodeWrittenAsAString() {
    assertThat(unwrap(V1, "{\"statusCode\":\"302\",\"headers\":{\"Location\":\"/x\"}}").status())
        .isEqualTo(302);
  }

  @Test
  void writesNumbersAndBooleansAsHeaderTextAndSkipsNulls() {
    HttpResponse response =
        unwrap(
            V1,
            "{\"statusCode\":200,\"headers\":{\"X-Count\":3,\"X-Flag\":true,"
                + "\"X-None\":null},\"multiValueHeaders\":{\"X-Many\":[1.5,false,null],\"X-Gone\":null}}");

    assertThat(response.headers())
        .isEqualTo(
            HeaderList.of(
                "x-count",
                "3",
                "x-flag",
                "true",
                "x-many",
                "1.5",
                "x-many",
                "false",
                "content-type",
                "application/json"));
  }

  @Test
  void dropsHopByHopHeadersContentLengthAndPseudoHeaders() {
    HttpResponse response =
        unwrap(
            V1,
            "{\"statusCode\":200,\"headers\":{\"Content-Length\":\"999\","
                + "\"Transfer-Encoding\":\"chunked\",\"Connection\":\"close\",\":status\":\"500\",\"X-Kept\":\"1\"},"
                + "\"body\":\"ok\"}");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headers())
        .isEqualTo(HeaderList.of("x-kept", "1", "content-type", "application/json"));
  }

  static Stream<Arguments> unusableResults() {
    return Stream.of(
        Arguments.of(
            V1,
            "",
            "the function result is not JSON: unexpected end of input, expected a value at offset 0"),
        Arguments.of(
            V2,
            "{\"statusCode\":200,",
            "the function result is not JSON: unexpected end of input, "
                + "expected a member name at offset 18"),
        Arguments.of(
            ENVOY,
            "hello",
            "the function result is not JSON: unexpected 'h', expected a value at offset 0"),
        Arguments.of(V1, "[1]", "expected a JSON object, got array"),
        Arguments.of(ENVOY, "\"text\"", "expected a JSON object, got string"),
        Arguments.of(V1, "{\"body\":\"x\"}", "statusCode is required"),
        Arguments.of(V1, "{\"statusCode\":\"OK\"}", "statusCode: expected an integer, got string"),
        Arguments.of(V2, "{\"statusCode\":200.5}", "statusCode: expected an integer, got 200.5"),
        Arguments.of(V2, "{\"statusCode\":true}", "statusCode: expected an integer, got boolean"),
        Arguments.of(
            V1, "{\"statusCode\":42}", "statusCode: 42 is not an HTTP status from 100 to 599"),
        Arguments.of(
            V1, "{\"statusCode\":0}", "statusCode: 0 is not an HTTP status from 100 to 599"),
        Arguments.of(
            V1, "{\"statusCode\":\"1000\"}", "statusCode: expected an integer, got string"),
        Arguments.of(
            V1, "{\"statusCode\":200,\"headers\":[]}", "headers: expected an object, got array"),
        Arguments.of(
            V1,
            "{\"statusCode\":200,\"headers\":{\"X\":{}}}",
            "headers.X: expected a string, got object"),
        Arguments.of(
            V1,
            "{\"statusCode\":200,\"headers\":{\"Bad Name\":\"v\"}}",
            "headers: invalid header name \"Bad Name\""),
        Arguments.of(
            V1,
            "{\"statusCode\":200,\"headers\":{\"X\":\"a\\r\\nSet-Cookie: evil=1\"}}",
            "headers.X: contains a line break or NUL"),
        Arguments.of(
            V1,
            "{\"statusCode\":200,\"multiValueHeaders\":{\"X\":\"a\"}}",
            "multiValueHeaders.X: expected an array, got string"),
        Arguments.of(
            V1,
            "{\"statusCode\":200,\"multiValueHeaders\":{\"X\":[[\"a\"]]}}",
            "multiValueHeaders.X: expected a string, got array"),
        Arguments.of(
            V2,
            "{\"statusCode\":200,\"cookies\":\"a=1\"}",
            "cookies: expected an array, got string"),
        Arguments.of(
            V2,
            "{\"statusCode\":200,\"cookies\":[\"a=1\",2]}",
            "cookies[1]: expected a string, got number"),
        Arguments.of(
            V2,
            "{\"statusCode\":200,\"cookies\":[\"a=1\\nb\"]}",
            "cookies[0]: contains a line break or NUL"),
        Arguments.of(
            V2, "{\"statusCode\":200,\"body\":{\"a\":1}}", "body: expected a string, got object"),
        Arguments.of(
            V1,
            "{\"statusCode\":200,\"body\":\"x\",\"isBase64Encoded\":\"true\"}",
            "isBase64Encoded: expected a boolean, got string"),
        Arguments.of(
            V1,
            "{\"statusCode\":200,\"body\":\"aGV*bG8=\",\"isBase64Encoded\":true}",
            "body: invalid Base64 character at index 3"));
  }

  @ParameterizedTest(name = "[{index}] {2}")
  @MethodSource("unusableResults")
  void answersAnUnusableResultWith502SayingWhy(
      PayloadTransformMode mode, String payload, String why) {
    HttpResponse response = unwrap(mode, payload);

    assertThat(response.status()).isEqualTo(502);
    assertThat(response.headers()).isEqualTo(HeaderList.of("content-type", "application/json"));
    assertThat(response.bodyText())
        .isEqualTo("{\"error\":\"lambda_response_invalid\",\"message\":\"Bad Gateway\"}");
    assertThat(response.errorCode()).isEqualTo("lambda_response_invalid");
    assertThat(response.errorDetail()).isEqualTo(why);
  }

  @Test
  void theErrorBodyIsExactJson() {
    assertThat(unwrap(V1, "{\"body\":\"x\"}").bodyText())
        .isEqualTo("{\"error\":\"lambda_response_invalid\",\"message\":\"Bad Gateway\"}");
    assertThat(unwrap(V1, "{\"body\":\"x\"}").errorDetail()).isEqualTo("statusCode is required");
  }

  @Test
  void membersThatAreNotReadAreCheckedButCannotShadowAnything() {
    // A second "data" is no duplicate that matters: nothing reads "data".
    HttpResponse passed =
        unwrap(ENVOY, "{\"statusCode\":201,\"data\":[1,{\"k\":1,\"k\":2}],\"data\":0}");
    assertThat(passed.status()).isEqualTo(201);
    // A second "statusCode" is refused, and an unread member must still be JSON.
    assertThat(unwrap(ENVOY, "{\"statusCode\":201,\"x\":0,\"statusCode\":200}").errorDetail())
        .isEqualTo(
            "the function result is not JSON: duplicate member name \"statusCode\" at offset 24");
    assertThat(unwrap(ENVOY, "{\"statusCode\":201,\"x\":[01]}").errorDetail())
        .isEqualTo("the function result is not JSON: leading zeros are not allowed at offset 23");
    // In ApiGatewayV2 a result without statusCode is passed on whole.
    String echoed = "{\"items\":[1,2,3],\"items\":[]}";
    assertThat(unwrap(V2, echoed).bodyText()).isEqualTo(echoed);
  }

  @Test
  void headersLongerThanTheLimitAreRefusedNotBuilt() {
    int limit = ResponseUnwrapper.MAX_HEADERS_JSON_BYTES;
    for (String member : new String[] {"headers", "multiValueHeaders", "cookies"}) {
      String atLimit = headersOfLength(member, limit);
      String overLimit = headersOfLength(member, limit + 1);
      assertThat(unwrap(ENVOY, "{\"statusCode\":200," + atLimit + "}").status())
          .as(member)
          .isEqualTo(200);
      assertThat(unwrap(ENVOY, "{\"statusCode\":200," + overLimit + "}").errorDetail())
          .as(member)
          .isEqualTo(
              member
                  + ": longer than 65536 bytes of JSON, more than a response's headers may be"
                  + " (Envoy's default limit for an upstream response's headers is 60 KiB)");
      // A result that is not JSON is answered as such, however long its headers.
      assertThat(unwrap(ENVOY, "{\"statusCode\":200," + overLimit + ",}").errorDetail())
          .as(member)
          .startsWith("the function result is not JSON: ");
    }
    // In ApiGatewayV2 a result without statusCode is the body, whatever its members are called.
    String echoed = "{" + headersOfLength("headers", limit + 1) + "}";
    HttpResponse passed = unwrap(V2, echoed);
    assertThat(passed.status()).isEqualTo(200);
    assertThat(passed.bodyText()).isEqualTo(echoed);
    assertThat(
            unwrap(V2, "{\"statusCode\":200," + headersOfLength("headers", limit + 1) + "}")
                .status())
        .isEqualTo(502);
    // The body is limited only by the result's size.
    String body = "b".repeat(limit * 2);
    assertThat(unwrap(ENVOY, "{\"body\":\"" + body + "\"}").bodyText()).isEqualTo(body);
  }

  /** {@code "member":value} whose value is exactly {@code length} bytes of JSON. */
  private static String headersOfLength(String member, int length) {
    String value;
    if (member.equals("cookies")) {
      value = "[\"a=" + "c".repeat(length - 6) + "\"]"; // [" a= ... "]
    } else if (member.equals("multiValueHeaders")) {
      value = "{\"x-a\":[\"" + "v".repeat(length - 12) + "\"]}"; // {"x-a":[" ... "]}
    } else {
      value = "{\"x-a\":\"" + "v".repeat(length - 10) + "\"}"; // {"x-a":" ... "}
    }
    assertThat(value.length()).isEqualTo(length);
    return "\"" + member + "\":" + value;
  }

  @Test
  void noneModeHasNothingToUnwrap() {
    assertThatThrownBy(() -> ResponseUnwrapper.unwrap(PayloadTransformMode.NONE, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static HttpResponse unwrap(PayloadTransformMode mode, String payload) {
    return ResponseUnwrapper.unwrap(mode, payload.getBytes(StandardCharsets.UTF_8));
  }
}
