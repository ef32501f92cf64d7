package dev.lambdagate.lambda;

import dev.lambdagate.config.PayloadTransformMode;
import dev.lambdagate.json.JsonWriter;

/**
 * The event of an API Gateway HTTP API Lambda integration, payload format 2.0.
 *
 * <ul>
 *   <li>{@code headers}: names in lower case, repeated headers joined with ','; the {@code cookie}
 *       header is not among them but split into {@code cookies} (on ';', surrounding spaces
 *       dropped), which is left out when there are none;
 *   <li>{@code queryStringParameters}: percent-decoded, repeated names joined with ',', left out
 *       when there is no query; {@code rawQueryString} is the query as received;
 *   <li>{@code routeKey} and {@code stage} are {@code $default}; {@code requestContext.http} always
 *       has {@code sourceIp} and {@code userAgent} (empty when unknown), because frameworks read
 *       them without checking;
 *   <li>{@code body} is left out for an empty body; see {@link BodyEncoding} for Base64.
 * </ul>
 */
public final class ApiGatewayV2Event {

  private ApiGatewayV2Event() {}

  /** The event as UTF-8 JSON. */
  public static byte[] build(HttpRequest request, EventContext context) {
    JsonWriter w =
        InvokePayload.write(
            PayloadTransformMode.API_GATEWAY_V2,
            request,
            context,
            new byte[0],
            Integer.MAX_VALUE - 64);
    return w.toUtf8();
  }

  /** Writes the event into {@code w}; {@code base64}: see {@link BodyEncoding#isBase64}. */
  static void write(JsonWriter w, HttpRequest request, EventContext context, boolean base64) {
    String rawPath = request.rawPath();
    HeaderList headers = request.headers();
    w.beginObject();
    w.name("version").value("2.0");
    w.name("routeKey").value("$default");
    w.name("rawPath").value(rawPath);
    w.name("rawQueryString").value(request.rawQuery());

    if (headers.contains("cookie")) {
      w.name("cookies").beginArray();
      for (int i = 0; i < headers.size(); i++) {
        if (HeaderNames.equalsIgnoreCase(headers.name(i), "cookie")) {
          writeCookies(w, headers.value(i));
        }
      }
      w.endArray();
    }

    w.name("headers").beginObject();
    for (int i = 0; i < headers.size(); i++) {
      if (HeaderGroups.startsGroup(headers, i)
          && !HeaderNames.equalsIgnoreCase(headers.name(i), "cookie")) {
        w.name(HeaderNames.toLowerCase(headers.name(i)))
            .value(HeaderGroups.joinedValues(headers, i));
      }
    }
    w.endObject();

    QueryString query = QueryString.parse(request.rawQuery());
    if (query.size() > 0) {
      w.name("queryStringParameters").beginObject();
      for (int i = 0; i < query.size(); i++) {
        if (query.isFirstOfName(i)) {
          w.name(query.name(i)).value(query.joinedValuesOfName(i));
        }
      }
      w.endObject();
    }

    w.name("requestContext").beginObject();
    String host = headers.get("host");
    if (host != null) {
      String domainName = HostNames.withoutPort(host);
      w.name("domainName").value(domainName);
      w.name("domainPrefix").value(HostNames.firstLabel(domainName));
    }
    String userAgent = headers.get("user-agent");
    w.name("http")
        .beginObject()
        .name("method")
        .value(request.method())
        .name("path")
        .value(rawPath)
        .name("protocol")
        .value(request.protocol())
        .name("sourceIp")
        .value(request.sourceIp() == null ? "" : request.sourceIp())
        .name("userAgent")
        .value(userAgent == null ? "" : userAgent)
        .endObject();
    if (context.requestId() != null) {
      w.name("requestId").value(context.requestId());
    }
    w.name("routeKey").value("$default");
    w.name("stage").value("$default");
    w.name("time").value(ClfTime.format(context.requestTimeEpochMillis()));
    w.name("timeEpoch").value(context.requestTimeEpochMillis());
    w.endObject();

    if (request.bodyLength() > 0) {
      w.name("body");
      BodyEncoding.write(w, request.body(), base64);
    }
    w.name("isBase64Encoded").value(base64);
    w.endObject();
  }

  /** Writes each cookie of one Cookie header value ({@code a=1; b=2}) as an array item. */
  private static void writeCookies(JsonWriter w, String value) {
    int length = value.length();
    int start = 0;
    for (int i = 0; i <= length; i++) {
      if (i == length || value.charAt(i) == ';') {
        int s = start;
        int e = i;
        while (s < e && (value.charAt(s) == ' ' || value.charAt(s) == '\t')) {
          s++;
        }
        while (e > s && (value.charAt(e - 1) == ' ' || value.charAt(e - 1) == '\t')) {
          e--;
        }
        if (e > s) {
          w.value(value.substring(s, e));
        }
        start = i + 1;
      }
    }
  }
}
