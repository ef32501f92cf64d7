package dev.lambdagate.lambda;

import dev.lambdagate.config.PayloadTransformMode;
import dev.lambdagate.json.JsonWriter;

/**
 * The JSON event of Envoy's own {@code aws_lambda} filter (payload passthrough off):
 *
 * <pre>{@code
 * {"raw_path":"/echo?x=1","method":"POST","headers":{"content-type":"application/json"},
 *  "query_string_parameters":{"x":"1"},"body":"{\"k\":1}","is_base64_encoded":false}
 * }</pre>
 *
 * <ul>
 *   <li>{@code raw_path}: the path with its query string, as received;
 *   <li>{@code headers}: repeated headers joined with ',' under the first spelling of the name;
 *   <li>{@code query_string_parameters}: percent-decoded; for a repeated name the first value, as
 *       Envoy does;
 *   <li>{@code body}: see {@link BodyEncoding} for when it is Base64.
 * </ul>
 *
 * Every member is always present, as in Envoy's output.
 */
public final class EnvoyEvent {

  private EnvoyEvent() {}

  /** The event as UTF-8 JSON. */
  public static byte[] build(HttpRequest request) {
    JsonWriter w =
        InvokePayload.write(
            PayloadTransformMode.ENVOY, request, null, new byte[0], Integer.MAX_VALUE - 64);
    return w.toUtf8();
  }

  /** Writes the event into {@code w}; {@code base64}: see {@link BodyEncoding#isBase64}. */
  static void write(JsonWriter w, HttpRequest request, boolean base64) {
    w.beginObject();
    w.name("raw_path").value(request.path());
    w.name("method").value(request.method());

    w.name("headers").beginObject();
    HeaderList headers = request.headers();
    for (int i = 0; i < headers.size(); i++) {
      if (HeaderGroups.startsGroup(headers, i)) {
        w.name(headers.name(i)).value(HeaderGroups.joinedValues(headers, i));
      }
    }
    w.endObject();

    w.name("query_string_parameters").beginObject();
    QueryString query = QueryString.parse(request.rawQuery());
    for (int i = 0; i < query.size(); i++) {
      if (query.isFirstOfName(i)) {
        w.name(query.name(i)).value(query.value(i));
      }
    }
    w.endObject();

    w.name("body");
    BodyEncoding.write(w, request.body(), base64);
    w.name("is_base64_encoded").value(base64);
    w.endObject();
  }
}
