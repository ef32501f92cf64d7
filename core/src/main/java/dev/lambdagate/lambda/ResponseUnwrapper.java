package dev.lambdagate.lambda;

import dev.lambdagate.config.PayloadTransformMode;
import dev.lambdagate.json.Base64Codec;
import dev.lambdagate.json.JsonArray;
import dev.lambdagate.json.JsonBoolean;
import dev.lambdagate.json.JsonMemberTooLongException;
import dev.lambdagate.json.JsonNumber;
import dev.lambdagate.json.JsonObject;
import dev.lambdagate.json.JsonParseException;
import dev.lambdagate.json.JsonParser;
import dev.lambdagate.json.JsonString;
import dev.lambdagate.json.JsonType;
import dev.lambdagate.json.JsonValue;
import dev.lambdagate.json.JsonWriter;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a successful function result into the HTTP response it describes, in the {@code Envoy},
 * {@code ApiGatewayV1} and {@code ApiGatewayV2} modes.
 *
 * <p>The result is a JSON object with:
 *
 * <ul>
 *   <li>{@code statusCode} or {@code status_code}: an integer from 100 to 599 (a string of digits
 *       is accepted too);
 *   <li>{@code headers}: an object of string values (numbers and booleans are written as their JSON
 *       text, null values are skipped);
 *   <li>{@code multiValueHeaders}: an object of arrays of such values; a name present here replaces
 *       the same name in {@code headers}, as API Gateway does;
 *   <li>{@code cookies}: an array of strings, one {@code set-cookie} header each;
 *   <li>{@code body}: a string, and {@code isBase64Encoded} / {@code is_base64_encoded}: whether to
 *       Base64-decode it.
 * </ul>
 *
 * Header names are written in lower case. Hop-by-hop headers and {@code content-length} are dropped
 * (the length is Envoy's to set). Pseudo-header names (':') are skipped, as Envoy does.
 *
 * <p>What is not in that shape:
 *
 * <ul>
 *   <li>{@code ApiGatewayV2}: a JSON result without {@code statusCode} (an object without it, or
 *       any other JSON value) is the body of a 200 response with {@code content-type:
 *       application/json}, exactly as API Gateway HTTP APIs do;
 *   <li>{@code Envoy}: an object without a status code gets 200, as in Envoy;
 *   <li>{@code ApiGatewayV1}: {@code statusCode} is required.
 * </ul>
 *
 * In {@code Envoy} and {@code ApiGatewayV1} mode a response without a content type gets {@code
 * application/json}. Anything else that cannot be used (not JSON, wrong types, invalid header
 * names, line breaks in values, bad Base64, {@code headers}, {@code multiValueHeaders} or {@code
 * cookies} longer than {@link #MAX_HEADERS_JSON_BYTES}) gives 502 {@code lambda_response_invalid},
 * with why as its {@link HttpResponse#errorDetail()} (logged, not sent). Members the mapping does
 * not read are checked to be JSON but never built.
 */
public final class ResponseUnwrapper {

  /**
   * The most JSON text that each of a result's {@code headers}, {@code multiValueHeaders} and
   * {@code cookies} may be: 64 KiB, above the 60 KiB that Envoy allows an upstream response's
   * headers by default ({@code max_response_headers_kb}), so that what Envoy would take from an
   * HTTP upstream a function may return too.
   */
  public static final int MAX_HEADERS_JSON_BYTES = 64 * 1024;

  /**
   * The members of a result that are read. Only these are built when a result is parsed: the rest
   * is checked to be JSON and skipped, so a result that is mostly other data (a function returning
   * its input, say) costs no more memory than its own bytes.
   */
  private static final String[] RESULT_MEMBERS = {
    "statusCode",
    "status_code",
    "headers",
    "multiValueHeaders",
    "cookies",
    "body",
    "isBase64Encoded",
    "is_base64_encoded"
  };

  /** The two spellings of the status code. */
  private static final String[] STATUS_MEMBERS = {"statusCode", "status_code"};

  /**
   * The most JSON text, in bytes, of each of {@link #RESULT_MEMBERS} that is built: what becomes
   * headers is refused past {@link #MAX_HEADERS_JSON_BYTES}, so that a result cannot fill the VM's
   * heap with header objects (a few MB of them did); the body and the rest are limited only by the
   * result's own size.
   */
  private static final int[] RESULT_LIMITS = {
    Integer.MAX_VALUE,
    Integer.MAX_VALUE,
    ResponseUnwrapper.MAX_HEADERS_JSON_BYTES,
    ResponseUnwrapper.MAX_HEADERS_JSON_BYTES,
    ResponseUnwrapper.MAX_HEADERS_JSON_BYTES,
    Integer.MAX_VALUE,
    Integer.MAX_VALUE,
    Integer.MAX_VALUE
  };

  private ResponseUnwrapper() {}

  /**
   * The response described by {@code payload}, or a 502 {@code lambda_response_invalid} reply when
   * it cannot be used.
   *
   * @throws IllegalArgumentException for {@code None} mode, where nothing is unwrapped
   */
  public static HttpResponse unwrap(PayloadTransformMode mode, byte[] payload) {
    return unwrap(mode, payload, 0, payload.length);
  }

  /**
   * The response described by {@code payload[offset, offset + length)} (e.g. a reused buffer
   * holding the result); the response never refers to that array.
   */
  public static HttpResponse unwrap(
      PayloadTransformMode mode, byte[] payload, int offset, int length) {
    if (mode == PayloadTransformMode.NONE) {
      throw new IllegalArgumentException("None mode returns the payload as it is");
    }
    try {
      return unwrapOrThrow(
          mode,
          payload,
          offset,
          length,
          mode == PayloadTransformMode.API_GATEWAY_V2 ? null : "application/json");
    } catch (InvalidResult e) {
      return ErrorResponse.lambdaResponseInvalid(e.getMessage());
    }
  }

  /**
   * The head (status, headers, cookies) described by the JSON prelude of a streamed response
   * ({@code awslambda.HttpResponseStream}), read as an {@code Envoy}-mode result is, except that a
   * head without a content type gets {@code application/octet-stream}: the body that follows is
   * bytes unless the function says otherwise. A 502 {@code lambda_response_invalid} reply when it
   * cannot be used.
   */
  public static HttpResponse unwrapStreamHead(byte[] prelude, int offset, int length) {
    try {
      return unwrapOrThrow(
          PayloadTransformMode.ENVOY, prelude, offset, length, "application/octet-stream");
    } catch (InvalidResult e) {
      return ErrorResponse.lambdaResponseInvalid(e.getMessage());
    }
  }

  /**
   * @param defaultContentType the content type of a result that names none, or null for none
   */
  private static HttpResponse unwrapOrThrow(
      PayloadTransformMode mode, byte[] payload, int offset, int length, String defaultContentType)
      throws InvalidResult {
    JsonObject result;
    try {
      result = JsonParser.parseMembers(payload, offset, length, RESULT_MEMBERS, RESULT_LIMITS);
    } catch (JsonParseException e) {
      throw new InvalidResult("the function result is not JSON: " + e.getMessage());
    } catch (JsonMemberTooLongException e) {
      // In ApiGatewayV2 a result without a status code is the body, whatever its members are
      // called: only a result that describes a response has headers to limit.
      if (mode == PayloadTransformMode.API_GATEWAY_V2 && !hasStatus(payload, offset, length)) {
        return passedThrough(payload, offset, length);
      }
      throw new InvalidResult(
          e.name()
              + ": longer than "
              + e.limit()
              + " bytes of JSON, more than a response's headers may be ("
              + "Envoy's default limit for an upstream response's headers is 60 KiB)");
    }
    JsonValue status = result == null ? null : member(result, "statusCode", "status_code");
    if (mode == PayloadTransformMode.API_GATEWAY_V2 && status == null) {
      return passedThrough(payload, offset, length);
    }
    if (result == null) {
      throw new InvalidResult(
          "expected a JSON object, got " + JsonParser.rootType(payload, offset, length).jsonName());
    }
    int statusCode = 200;
    if (status != null) {
      statusCode = statusCode(status, mode);
    } else if (mode == PayloadTransformMode.API_GATEWAY_V1) {
      throw new InvalidResult("statusCode is required");
    }

    HeaderList headers = new HeaderList();
    JsonObject multiValueHeaders = optionalObject(result, "multiValueHeaders");
    JsonObject singleValueHeaders = optionalObject(result, "headers");
    if (singleValueHeaders != null) {
      String[] multiValueNames =
          multiValueHeaders == null ? null : lowerCaseSorted(multiValueHeaders);
      for (int m = 0; m < singleValueHeaders.size(); m++) {
        String name = singleValueHeaders.name(m);
        if (!keepHeader(name, "headers")
            || (multiValueNames != null
                && Arrays.binarySearch(multiValueNames, HeaderNames.toLowerCase(name)) >= 0)) {
          continue;
        }
        addHeader(headers, name, singleValueHeaders.value(m), "headers");
      }
    }
    if (multiValueHeaders != null) {
      for (int m = 0; m < multiValueHeaders.size(); m++) {
        String name = multiValueHeaders.name(m);
        JsonValue value = multiValueHeaders.value(m);
        if (!keepHeader(name, "multiValueHeaders") || value.type() == JsonType.NULL) {
          continue;
        }
        if (value.type() != JsonType.ARRAY) {
          throw new InvalidResult(
              "multiValueHeaders." + name + ": expected an array, got " + value.typeName());
        }
        List<JsonValue> values = ((JsonArray) value).items();
        for (int i = 0; i < values.size(); i++) {
          addHeader(headers, name, values.get(i), "multiValueHeaders");
        }
      }
    }
    JsonValue cookies = member(result, "cookies", null);
    if (cookies != null) {
      if (cookies.type() != JsonType.ARRAY) {
        throw new InvalidResult("cookies: expected an array, got " + cookies.typeName());
      }
      List<JsonValue> items = ((JsonArray) cookies).items();
      for (int i = 0; i < items.size(); i++) {
        JsonValue cookie = items.get(i);
        if (cookie.type() != JsonType.STRING) {
          throw new InvalidResult(
              "cookies[" + i + "]: expected a string, got " + cookie.typeName());
        }
        String value = ((JsonString) cookie).value();
        if (!HeaderNames.isSafeValue(value)) {
          throw new InvalidResult("cookies[" + i + "]: contains a line break or NUL");
        }
        headers.add("set-cookie", value);
      }
    }
    if (defaultContentType != null && !headers.contains("content-type")) {
      headers.add("content-type", defaultContentType);
    }
    return new HttpResponse(statusCode, headers, body(result));
  }

  /** ApiGatewayV2's answer for a JSON result that does not describe a response: 200, itself. */
  private static HttpResponse passedThrough(byte[] payload, int offset, int length) {
    byte[] body =
        offset == 0 && length == payload.length
            ? payload
            : Arrays.copyOfRange(payload, offset, offset + length);
    return new HttpResponse(200, HeaderList.of("content-type", "application/json"), body);
  }

  /** Whether a result that is known to be JSON has a status code that is not null. */
  private static boolean hasStatus(byte[] payload, int offset, int length) {
    try {
      JsonObject status = JsonParser.parseMembers(payload, offset, length, STATUS_MEMBERS);
      return status != null && member(status, "statusCode", "status_code") != null;
    } catch (JsonParseException e) {
      throw new IllegalStateException("a result already read as JSON is not JSON", e);
    }
  }

  private static int statusCode(JsonValue status, PayloadTransformMode mode) throws InvalidResult {
    long code;
    if (status.type() == JsonType.NUMBER && ((JsonNumber) status).isInt()) {
      code = ((JsonNumber) status).longValue();
    } else if (status.type() == JsonType.STRING && isDigits(((JsonString) status).value())) {
      code = Long.parseLong(((JsonString) status).value());
    } else {
      throw new InvalidResult(
          "statusCode: expected an integer, got "
              + (status.type() == JsonType.NUMBER
                  ? ((JsonNumber) status).text()
                  : status.typeName()));
    }
    if (code == 0 && mode == PayloadTransformMode.ENVOY) {
      return 200; // Envoy treats status_code 0 (the protobuf default) as "not set"
    }
    if (code < 100 || code > 599) {
      throw new InvalidResult("statusCode: " + code + " is not an HTTP status from 100 to 599");
    }
    return (int) code;
  }

  private static byte[] body(JsonObject result) throws InvalidResult {
    JsonValue base64 = member(result, "isBase64Encoded", "is_base64_encoded");
    if (base64 != null && base64.type() != JsonType.BOOLEAN) {
      throw new InvalidResult("isBase64Encoded: expected a boolean, got " + base64.typeName());
    }
    JsonValue body = member(result, "body", null);
    if (body == null) {
      return null;
    }
    if (body.type() != JsonType.STRING) {
      throw new InvalidResult("body: expected a string, got " + body.typeName());
    }
    // As UTF-8 bytes: a large body is kept that way by the parser (no UTF-16 copy).
    byte[] text = ((JsonString) body).utf8();
    if (base64 != null && ((JsonBoolean) base64).value()) {
      try {
        return Base64Codec.decode(text, 0, text.length);
      } catch (IllegalArgumentException e) {
        throw new InvalidResult("body: " + e.getMessage());
      }
    }
    return text;
  }

  /** Whether a header the function set is passed on; throws for names that are not tokens. */
  private static boolean keepHeader(String name, String field) throws InvalidResult {
    if (name.startsWith(":")) {
      return false;
    }
    if (!HeaderNames.isToken(name)) {
      throw new InvalidResult(field + ": invalid header name " + JsonWriter.quote(name));
    }
    return !HeaderNames.isHopByHop(name) && !HeaderNames.equalsIgnoreCase(name, "content-length");
  }

  private static void addHeader(HeaderList headers, String name, JsonValue value, String field)
      throws InvalidResult {
    String text;
    switch (value.type()) {
      case STRING:
        text = ((JsonString) value).value();
        break;
      case NUMBER:
        text = ((JsonNumber) value).text();
        break;
      case BOOLEAN:
        text = ((JsonBoolean) value).value() ? "true" : "false";
        break;
      case NULL:
        return;
      default:
        throw new InvalidResult(
            field + "." + name + ": expected a string, got " + value.typeName());
    }
    if (!HeaderNames.isSafeValue(text)) {
      throw new InvalidResult(field + "." + name + ": contains a line break or NUL");
    }
    headers.add(HeaderNames.toLowerCase(name), text);
  }

  /** The first of two spellings of a member that is present and not null, or null. */
  private static JsonValue member(JsonObject o, String name, String altName) {
    JsonValue v = o.get(name);
    if (v != null && v.type() != JsonType.NULL) {
      return v;
    }
    if (altName == null) {
      return null;
    }
    v = o.get(altName);
    return v != null && v.type() != JsonType.NULL ? v : null;
  }

  private static JsonObject optionalObject(JsonObject o, String name) throws InvalidResult {
    JsonValue v = member(o, name, null);
    if (v == null) {
      return null;
    }
    if (v.type() != JsonType.OBJECT) {
      throw new InvalidResult(name + ": expected an object, got " + v.typeName());
    }
    return (JsonObject) v;
  }

  /**
   * The object's member names lower-cased and sorted, for lookups by binary search: a result may
   * carry thousands of header names in each map, and comparing every pair took seconds.
   */
  private static String[] lowerCaseSorted(JsonObject o) {
    String[] names = new String[o.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = HeaderNames.toLowerCase(o.name(i));
    }
    Arrays.sort(names);
    return names;
  }

  private static boolean isDigits(String s) {
    if (s.isEmpty() || s.length() > 3) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** Why a function result cannot be turned into a response; never leaves this class. */
  private static final class InvalidResult extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidResult(String message) {
      super(message);
    }
  }
}
