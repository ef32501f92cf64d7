package dev.lambdagate.config;

import dev.lambdagate.json.JsonArray;
import dev.lambdagate.json.JsonBoolean;
import dev.lambdagate.json.JsonNumber;
import dev.lambdagate.json.JsonObject;
import dev.lambdagate.json.JsonString;
import dev.lambdagate.json.JsonType;
import dev.lambdagate.json.JsonValue;

/**
 * Typed reads of one JSON object's members, with errors that name the member's JSON path.
 *
 * <p>One rule for optional keys: absent, {@code null} and {@code ""} all mean "use the default", so
 * emitters that write empty strings for unset fields work unchanged.
 */
final class JsonFields {

  private final JsonObject object;
  private final String path;

  JsonFields(JsonObject object, String path) {
    this.object = object;
    this.path = path;
  }

  static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  String pathOf(String key) {
    return join(path, key);
  }

  /** Whether the member exists with a value other than null. */
  boolean isSet(String key) {
    JsonValue v = object.get(key);
    return v != null && v.type() != JsonType.NULL;
  }

  String requiredString(String key) throws ConfigException {
    JsonValue v = object.get(key);
    if (v == null || v.type() == JsonType.NULL) {
      throw new ConfigException(pathOf(key), "required");
    }
    String s = string(pathOf(key), v);
    if (s.isEmpty()) {
      throw new ConfigException(pathOf(key), "must not be empty");
    }
    return s;
  }

  /** The string value, or null when absent, null or empty. */
  String optionalString(String key) throws ConfigException {
    JsonValue v = object.get(key);
    if (v == null || v.type() == JsonType.NULL) {
      return null;
    }
    String s = string(pathOf(key), v);
    return s.isEmpty() ? null : s;
  }

  boolean optionalBoolean(String key, boolean defaultValue) throws ConfigException {
    JsonValue v = object.get(key);
    if (v == null || v.type() == JsonType.NULL) {
      return defaultValue;
    }
    if (v.type() != JsonType.BOOLEAN) {
      throw typeError(pathOf(key), "a boolean", v);
    }
    return ((JsonBoolean) v).value();
  }

  int optionalInt(String key, int defaultValue) throws ConfigException {
    JsonValue v = object.get(key);
    if (v == null || v.type() == JsonType.NULL) {
      return defaultValue;
    }
    if (v.type() != JsonType.NUMBER) {
      throw typeError(pathOf(key), "an integer", v);
    }
    JsonNumber n = (JsonNumber) v;
    if (!n.isInt()) {
      throw new ConfigException(pathOf(key), "expected an integer, got " + n.text());
    }
    return (int) n.longValue();
  }

  JsonObject requiredObject(String key) throws ConfigException {
    JsonObject o = optionalObject(key);
    if (o == null) {
      throw new ConfigException(pathOf(key), "required");
    }
    return o;
  }

  /** The object value, or null when absent or null. */
  JsonObject optionalObject(String key) throws ConfigException {
    JsonValue v = object.get(key);
    if (v == null || v.type() == JsonType.NULL) {
      return null;
    }
    return object(pathOf(key), v);
  }

  /** The array value, or null when absent or null. */
  JsonArray optionalArray(String key) throws ConfigException {
    JsonValue v = object.get(key);
    if (v == null || v.type() == JsonType.NULL) {
      return null;
    }
    if (v.type() != JsonType.ARRAY) {
      throw typeError(pathOf(key), "an array", v);
    }
    return (JsonArray) v;
  }

  static String string(String path, JsonValue v) throws ConfigException {
    if (v.type() != JsonType.STRING) {
      throw typeError(path, "a string", v);
    }
    return ((JsonString) v).value();
  }

  static JsonObject object(String path, JsonValue v) throws ConfigException {
    if (v.type() != JsonType.OBJECT) {
      throw typeError(path, "an object", v);
    }
    return (JsonObject) v;
  }

  static ConfigException typeError(String path, String expected, JsonValue actual) {
    return new ConfigException(path, "expected " + expected + ", got " + actual.typeName());
  }
}
