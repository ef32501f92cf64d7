package dev.lambdagate.lambda;

import static dev.lambdagate.lambda.SampleRequests.CONTEXT;
import static dev.lambdagate.lambda.SampleRequests.SEED_BODY;
import static dev.lambdagate.lambda.SampleRequests.oneLine;
import static dev.lambdagate.lambda.SampleRequests.sample;
import static dev.lambdagate.lambda.SampleRequests.withBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.config.PayloadTransformMode;
import dev.lambdagate.json.JsonObject;
import dev.lambdagate.json.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class EventBuildersTest {

  @Test
  void noneModePassesTheSeedBodyThroughUnchanged() {
    byte[] body = SEED_BODY.getBytes(StandardCharsets.UTF_8);
    HttpRequest request =
        new HttpRequest(
            "POST",
            "/echo",
            HeaderList.of(
                "host",
                "lambda.us-east-1.amazonaws.com",
                "content-type",
                "application/x-www-form-urlencoded"),
            body,
            "10.0.0.1");

    byte[] payload = InvokePayload.build(PayloadTransformMode.NONE, request, CONTEXT);

    assertThat(payload).isEqualTo(body);
    assertThat(new String(payload, StandardCharsets.UTF_8))
        .isEqualTo("{\"key1\":\"value1\", \"key2\":\"value2\"}");
  }

  @Test
  void envoyEventOfTheSampleRequest() {
    String event = utf8(InvokePayload.build(PayloadTransformMode.ENVOY, sample(), CONTEXT));

    assertThat(event)
        .isEqualTo(
            oneLine(
                """
                {"raw_path":"/echo/path?name=J%C3%BCrgen&tag=a&tag=b&flag",
                "method":"POST",
                "headers":{"host":"api.example.com:8080","user-agent":"curl/8.5.0","content-type":"application/json",\
                "x-multi":"1,2","cookie":"a=1; b=2,c=3"},
                "query_string_parameters":{"name":"J\u00fcrgen","tag":"a","flag":""},
                "body":"{\\"key1\\":\\"value1\\", \\"key2\\":\\"value2\\"}",
                "is_base64_encoded":false}
                """));
  }

  @Test
  void apiGatewayV1EventOfTheSampleRequest() {
    String event =
        utf8(InvokePayload.build(PayloadTransformMode.API_GATEWAY_V1, sample(), CONTEXT));

    assertThat(event)
        .isEqualTo(
            oneLine(
                """
                {"resource":"/echo/path","path":"/echo/path","httpMethod":"POST",
                "headers":{"host":"api.example.com:8080","user-agent":"curl/8.5.0","content-type":"application/json",\
                "x-multi":"2","cookie":"c=3"},
                "multiValueHeaders":{"host":["api.example.com:8080"],"user-agent":["curl/8.5.0"],\
                "content-type":["application/json"],"x-multi":["1","2"],"cookie":["a=1; b=2","c=3"]},
                "queryStringParameters":{"name":"J\u00fcrgen","tag":"b","flag":""},
                "multiValueQueryStringParameters":{"name":["J\u00fcrgen"],"tag":["a","b"],"flag":[""]},
                "pathParameters":null,"stageVariables":null,
                "requestContext":{"resourcePath":"/echo/path","httpMethod":"POST","path":"/echo/path",\
                "protocol":"HTTP/1.1","stage":"$default","domainName":"api.example.com","requestId":"req-1",\
                "requestTime":"04/Mar/2020:19:03:58 +0000","requestTimeEpoch":1583348638390,\
                "identity":{"sourceIp":"203.0.113.9","userAgent":"curl/8.5.0"}},
                "body":"{\\"key1\\":\\"value1\\", \\"key2\\":\\"value2\\"}",
                "isBase64Encoded":false}
                """));
  }

  @Test
  void apiGatewayV2EventOfTheSampleRequest() {
    String event =
        utf8(InvokePayload.build(PayloadTransformMode.API_GATEWAY_V2, sample(), CONTEXT));

    assertThat(event)
        .isEqualTo(
            oneLine(
                """
                {"version":"2.0","routeKey":"$default","rawPath":"/echo/path",
                "rawQueryString":"name=J%C3%BCrgen&tag=a&tag=b&flag",
                "cookies":["a=1","b=2","c=3"],
                "headers":{"host":"api.example.com:8080","user-agent":"curl/8.5.0","content-type":"application/json",\
                "x-multi":"1,2"},
                "queryStringParameters":{"name":"J\u00fcrgen","tag":"a,b","flag":""},
                "requestContext":{"domainName":"api.example.com","domainPrefix":"api",\
                "http":{"method":"POST","path":"/echo/path","protocol":"HTTP/1.1","sourceIp":"203.0.113.9",\
                "userAgent":"curl/8.5.0"},\
                "requestId":"req-1","routeKey":"$default","stage":"$default",\
                "time":"04/Mar/2020:19:03:58 +0000","timeEpoch":1583348638390},
                "body":"{\\"key1\\":\\"value1\\", \\"key2\\":\\"value2\\"}",
                "isBase64Encoded":false}
                """));
  }

  @Test
  void minimalGetInEachMode() {
    HttpRequest get = new HttpRequest("GET", "/", new HeaderList(), (byte[]) null, null, "HTTP/2");
    EventContext noId = new EventContext(0L, null);

    assertThat(utf8(EnvoyEvent.build(get)))
        .isEqualTo(
            "{\"raw_path\":\"/\",\"method\":\"GET\",\"headers\":{},\"query_string_parameters\":{},"
                + "\"body\":\"\",\"is_base64_encoded\":false}");
    assertThat(utf8(ApiGatewayV1Event.build(get, noId)))
        .isEqualTo(
            oneLine(
                """
                {"resource":"/","path":"/","httpMethod":"GET","headers":{},"multiValueHeaders":{},
                "queryStringParameters":null,"multiValueQueryStringParameters":null,
                "pathParameters":null,"stageVariables":null,
                "requestContext":{"resourcePath":"/","httpMethod":"GET","path":"/","protocol":"HTTP/2",\
                "stage":"$default","requestTime":"01/Jan/1970:00:00:00 +0000","requestTimeEpoch":0,\
                "identity":{"sourceIp":null,"userAgent":null}},
                "body":null,"isBase64Encoded":false}
                """));
    assertThat(utf8(ApiGatewayV2Event.build(get, noId)))
        .isEqualTo(
            oneLine(
                """
                {"version":"2.0","routeKey":"$default","rawPath":"/","rawQueryString":"","headers":{},
                "requestContext":{"http":{"method":"GET","path":"/","protocol":"HTTP/2","sourceIp":"",\
                "userAgent":""},"routeKey":"$default","stage":"$default",\
                "time":"01/Jan/1970:00:00:00 +0000","timeEpoch":0},
                "isBase64Encoded":false}
                """));
  }

  @Test
  void binaryBodiesTravelAsBase64() throws Exception {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, (byte) 0xFF};

    JsonObject event = parse(EnvoyEvent.build(withBody("image/png", png)));

    assertThat(event.get("body").toString())
        .isEqualTo("\"" + Base64.getEncoder().encodeToString(png) + "\"");
    assertThat(event.get("is_base64_encoded").toString()).isEqualTo("true");
  }

  @Test
  void decidesTextOrBase64FromContentTypeEncodingAndUtf8() throws Exception {
    byte[] text = "h\u00e9llo".getBytes(StandardCharsets.UTF_8);
    assertBase64(withBody("text/plain; charset=utf-8", text), false);
    assertBase64(withBody("Application/JSON", text), false);
    assertBase64(withBody("application/vnd.api+json", text), false);
    assertBase64(withBody("application/problem+xml", text), false);
    assertBase64(withBody("text/javascript", text), false);
    assertBase64(withBody("application/x-javascript", text), false);
    assertBase64(withBody("application/x-www-form-urlencoded", text), true);
    assertBase64(withBody("application/octet-stream", text), true);
    assertBase64(withBody(null, text), true);
    assertBase64(withBody("text/plain; charset=iso-8859-1", new byte[] {'h', (byte) 0xE9}), true);

    HttpRequest gzipped =
        new HttpRequest(
            "POST",
            "/",
            HeaderList.of("content-type", "application/json", "content-encoding", "gzip"),
            text,
            null);
    assertBase64(gzipped, true);
    HttpRequest identity =
        new HttpRequest(
            "POST",
            "/",
            HeaderList.of("content-type", "application/json", "content-encoding", "identity"),
            text,
            null);
    assertBase64(identity, false);
  }

  @Test
  void textBodiesKeepNonAsciiAndEscapeControlCharacters() throws Exception {
    String body = "line1\nline2\t\"quoted\" \u00e9\u20ac\uD83D\uDE00 \u2028";
    byte[] event =
        ApiGatewayV2Event.build(
            withBody("text/plain", body.getBytes(StandardCharsets.UTF_8)), CONTEXT);

    assertThat(utf8(event))
        .contains("\"body\":\"line1\\nline2\\t\\\"quoted\\\" \u00e9\u20ac\uD83D\uDE00 \\u2028\"");
    assertThat(parse(event).get("body").toString())
        .isEqualTo(dev.lambdagate.json.JsonWriter.quote(body));
  }

  @Test
  void headerValuesAreEscaped() throws Exception {
    HttpRequest request =
        new HttpRequest("GET", "/", HeaderList.of("x-quote", "say \"hi\" \\ now"), null, null);

    JsonObject headers = (JsonObject) parse(EnvoyEvent.build(request)).get("headers");

    assertThat(headers.get("x-quote").toString()).isEqualTo("\"say \\\"hi\\\" \\\\ now\"");
  }

  @Test
  void pseudoHeadersNeverReachAnEvent() throws Exception {
    HttpRequest request =
        new HttpRequest(
            "GET", "/", HeaderList.of(":authority", "a", ":path", "/", "x", "1"), null, null);

    assertThat(((JsonObject) parse(EnvoyEvent.build(request)).get("headers")).names())
        .containsExactly("x");
    assertThat(
            ((JsonObject) parse(ApiGatewayV1Event.build(request, CONTEXT)).get("headers")).names())
        .containsExactly("x");
    assertThat(
            ((JsonObject) parse(ApiGatewayV2Event.build(request, CONTEXT)).get("headers")).names())
        .containsExactly("x");
  }

  @Test
  void v2LowerCasesHeaderNamesAndSkipsEmptyCookies() throws Exception {
    HttpRequest request =
        new HttpRequest(
            "GET", "/p?q", HeaderList.of("X-Trace", "1", "Cookie", " ;a=1;;  b=2 ; "), null, "::1");

    JsonObject event = parse(ApiGatewayV2Event.build(request, CONTEXT));

    assertThat(((JsonObject) event.get("headers")).names()).containsExactly("x-trace");
    assertThat(event.get("cookies").toString()).isEqualTo("[\"a=1\",\"b=2\"]");
    assertThat(event.get("queryStringParameters").toString()).isEqualTo("{\"q\":\"\"}");
  }

  @Test
  void v1DomainNameDropsTheHostPort() throws Exception {
    HttpRequest request =
        new HttpRequest("GET", "/", HeaderList.of("Host", "[2001:db8::1]:8443"), null, null);

    JsonObject context =
        (JsonObject) parse(ApiGatewayV1Event.build(request, CONTEXT)).get("requestContext");

    assertThat(context.get("domainName").toString()).isEqualTo("\"[2001:db8::1]\"");
  }

  @Test
  void largeBodiesProduceValidEvents() throws Exception {
    byte[] big = new byte[3 * 1024 * 1024];
    new java.util.Random(1).nextBytes(big);

    byte[] event =
        InvokePayload.build(
            PayloadTransformMode.API_GATEWAY_V2, withBody("application/zip", big), CONTEXT);

    JsonObject parsed = parse(event);
    String body = ((dev.lambdagate.json.JsonString) parsed.get("body")).value();
    assertThat(Base64.getDecoder().decode(body)).isEqualTo(big);
  }

  private static void assertBase64(HttpRequest request, boolean expected) throws Exception {
    for (byte[] event :
        new byte[][] {
          EnvoyEvent.build(request),
          ApiGatewayV1Event.build(request, CONTEXT),
          ApiGatewayV2Event.build(request, CONTEXT)
        }) {
      JsonObject parsed = parse(event);
      String flag = parsed.has("is_base64_encoded") ? "is_base64_encoded" : "isBase64Encoded";
      assertThat(parsed.get(flag).toString())
          .as(request.headers().toString())
          .isEqualTo(String.valueOf(expected));
      String body = ((dev.lambdagate.json.JsonString) parsed.get("body")).value();
      byte[] decoded =
          expected ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
      byte[] original = new byte[request.bodyLength()];
      request.body().read(0, original, 0, original.length);
      assertThat(decoded).isEqualTo(original);
    }
  }

  private static JsonObject parse(byte[] event) throws Exception {
    return (JsonObject) JsonParser.parse(event);
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
