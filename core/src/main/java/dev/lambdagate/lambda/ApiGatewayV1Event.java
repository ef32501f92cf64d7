package dev.lambdagate.lambda;

import dev.lambdagate.config.PayloadTransformMode;
import dev.lambdagate.json.JsonWriter;

/**
 * The event of an API Gateway REST API Lambda proxy integration (payload format 1.0), for functions
 * written against it.
 *
 * <ul>
 *   <li>{@code headers} holds the last value of a repeated header, {@code multiValueHeaders} all of
 *       them; names keep the spelling of their first occurrence;
 *   <li>{@code queryStringParameters} / {@code multiValueQueryStringParameters} likewise,
 *       percent-decoded, and null when there is no query;
 *   <li>{@code resource} and {@code requestContext.resourcePath} are the path (there is no API
 *       Gateway resource tree), {@code stage} is {@code $default}, {@code pathParameters} and
 *       {@code stageVariables} are null;
 *   <li>{@code body} is null for an empty body; see {@link BodyEncoding} for Base64.
 * </ul>
 */
public final class ApiGatewayV1Event {

  private ApiGatewayV1Event() {}

  /** The event as UTF-8 JSON. */
  public static byte[] build(HttpRequest request, EventContext context) {
    JsonWriter w =
        InvokePayload.write(
            PayloadTransformMode.API_GATEWAY_V1,
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
    w.name("resource").value(rawPath);
    w.name("path").value(rawPath);
    w.name("httpMethod").value(request.method());

    w.name("headers").beginObject();
    for (int i = 0; i < headers.size(); i++) {
      if (HeaderGroups.startsGroup(headers, i)) {
        w.name(headers.name(i)).value(HeaderGroups.lastValue(headers, i));
      }
    }
    w.endObject();
    w.name("multiValueHeaders").beginObject();
    for (int i = 0; i < headers.size(); i++) {
      if (HeaderGroups.startsGroup(headers, i)) {
        w.name(headers.name(i)).beginArray();
        for (int j = i; j < headers.size(); j++) {
          if (HeaderNames.equalsIgnoreCase(headers.name(j), headers.name(i))) {
            w.value(headers.value(j));
          }
        }
        w.endArray();
      }
    }
    w.endObject();

    QueryString query = QueryString.parse(request.rawQuery());
    w.name("queryStringParameters");
    if (query.size() == 0) {
      w.nullValue();
    } else {
      w.beginObject();
      for (int i = 0; i < query.size(); i++) {
        if (query.isFirstOfName(i)) {
          w.name(query.name(i)).value(query.lastValueOfName(i));
        }
      }
      w.endObject();
    }
    w.name("multiValueQueryStringParameters");
    if (query.size() == 0) {
      w.nullValue();
    } else {
      w.beginObject();
      for (int i = 0; i < query.size(); i++) {
        if (query.isFirstOfName(i)) {
          w.name(query.name(i)).beginArray();
          for (int j = i; j >= 0; j = query.nextOfName(j)) {
            w.value(query.value(j));
          }
          w.endArray();
        }
      }
      w.endObject();
    }
    w.name("pathParameters").nullValue();
    w.name("stageVariables").nullValue();

    w.name("requestContext").beginObject();
    w.name("resourcePath").value(rawPath);
    w.name("httpMethod").value(request.method());
    w.name("path").value(rawPath);
    w.name("protocol").value(request.protocol());
    w.name("stage").value("$default");
    String host = headers.get("host");
    if (host != null) {
      w.name("domainName").value(HostNames.withoutPort(host));
    }
    if (context.requestId() != null) {
      w.name("requestId").value(context.requestId());
    }
    w.name("requestTime").value(ClfTime.format(context.requestTimeEpochMillis()));
    w.name("requestTimeEpoch").value(context.requestTimeEpochMillis());
    w.name("identity")
        .beginObject()
        .name("sourceIp")
        .value(request.sourceIp())
        .name("userAgent")
        .value(headers.get("user-agent"))
        .endObject();
    w.endObject();

    w.name("body");
    if (request.bodyLength() == 0) {
      w.nullValue();
    } else {
      BodyEncoding.write(w, request.body(), base64);
    }
    w.name("isBase64Encoded").value(base64);
    w.endObject();
  }
}
