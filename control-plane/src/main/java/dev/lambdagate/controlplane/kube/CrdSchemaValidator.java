package dev.lambdagate.controlplane.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks an object against the OpenAPI v3 schema of a CRD the way the API server would for the
 * structural keywords lambdagate's CRDs use: {@code type}, {@code required}, {@code properties},
 * {@code additionalProperties}, {@code items}, {@code enum}, {@code pattern}, {@code
 * minLength}/{@code maxLength}, {@code maxItems}, {@code minimum}, {@code maximum}. Unknown fields
 * are not errors (the server prunes them). CEL rules ({@code x-kubernetes-validations}) and formats
 * are not evaluated. Messages name the field, e.g. {@code spec.aws.accountId: Invalid value:
 * "12345678901": should match '^[0-9]{12}$'}.
 */
public final class CrdSchemaValidator {
  private static final ObjectMapper YAML = new YAMLMapper();

  private final String kind;
  private final Map<String, JsonNode> schemaByVersion = new LinkedHashMap<>();

  private CrdSchemaValidator(JsonNode crd) {
    this.kind = crd.path("spec").path("names").path("kind").asText();
    for (JsonNode v : crd.path("spec").path("versions")) {
      schemaByVersion.put(
          crd.path("spec").path("group").asText() + "/" + v.path("name").asText(),
          v.path("schema").path("openAPIV3Schema"));
    }
  }

  /** From a CRD YAML on the class path, e.g. {@code crds/backends.yaml}. */
  public static CrdSchemaValidator fromResource(String path) {
    try (InputStream in = CrdSchemaValidator.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no resource " + path);
      }
      return new CrdSchemaValidator(YAML.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The CRD's {@code spec.names.kind}. */
  public String kind() {
    return kind;
  }

  /** Errors of one object given as YAML or JSON; empty when valid. */
  public List<String> validate(String yaml) {
    try {
      return validate(YAML.readTree(yaml));
    } catch (IOException e) {
      return List.of("not YAML: " + e.getMessage());
    }
  }

  /** Errors of one object; empty when valid. */
  public List<String> validate(JsonNode object) {
    List<String> errors = new ArrayList<>();
    if (!kind.equals(object.path("kind").asText())) {
      errors.add("kind: expected " + kind + ", got " + object.path("kind").asText());
      return errors;
    }
    JsonNode schema = schemaByVersion.get(object.path("apiVersion").asText());
    if (schema == null) {
      errors.add(
          "apiVersion: "
              + object.path("apiVersion").asText()
              + " is not served; served: "
              + schemaByVersion.keySet());
      return errors;
    }
    check("", object, schema, errors);
    return errors;
  }

  private static void check(String path, JsonNode value, JsonNode schema, List<String> errors) {
    if (path.equals("metadata")) {
      return; // validated by the server itself
    }
    String where = path.isEmpty() ? "<root>" : path;
    String type = schema.path("type").asText("");
    if (value.isNull()) {
      if (!schema.path("nullable").asBoolean(false)) {
        errors.add(
            where + ": Invalid value: \"null\": " + where + " in body must be of type " + type);
      }
      return;
    }
    if (!type.isEmpty() && !hasType(value, type)) {
      errors.add(
          where
              + ": Invalid value: \""
              + typeName(value)
              + "\": "
              + where
              + " in body must be of type "
              + type);
      return;
    }
    if (schema.has("enum")) {
      boolean found = false;
      List<String> allowed = new ArrayList<>();
      for (JsonNode e : schema.get("enum")) {
        allowed.add("\"" + e.asText() + "\"");
        found |= e.equals(value);
      }
      if (!found) {
        errors.add(
            where
                + ": Unsupported value: "
                + value
                + ": supported values: "
                + String.join(", ", allowed));
      }
    }
    if (value.isTextual()) {
      String s = value.asText();
      if (schema.has("pattern")
          && !Pattern.compile(schema.get("pattern").asText()).matcher(s).find()) {
        errors.add(
            where
                + ": Invalid value: "
                + value
                + ": "
                + where
                + " in body should match '"
                + schema.get("pattern").asText()
                + "'");
      }
      if (schema.has("minLength") && s.length() < schema.get("minLength").asInt()) {
        errors.add(
            where
                + ": Invalid value: "
                + value
                + ": "
                + where
                + " in body should be at least "
                + schema.get("minLength").asInt()
                + " chars long");
      }
      if (schema.has("maxLength") && s.length() > schema.get("maxLength").asInt()) {
        errors.add(
            where
                + ": Too long: may not be more than "
                + schema.get("maxLength").asInt()
                + " bytes");
      }
    }
    if (value.isNumber()
        && schema.has("minimum")
        && value.asDouble() < schema.get("minimum").asDouble()) {
      errors.add(
          where
              + ": Invalid value: "
              + value
              + ": "
              + where
              + " in body should be greater than or equal to "
              + schema.get("minimum").asText());
    }
    if (value.isNumber()
        && schema.has("maximum")
        && value.asDouble() > schema.get("maximum").asDouble()) {
      errors.add(
          where
              + ": Invalid value: "
              + value
              + ": "
              + where
              + " in body should be less than or equal to "
              + schema.get("maximum").asText());
    }
    if (value.isObject()) {
      for (JsonNode r : schema.path("required")) {
        if (!value.has(r.asText())) {
          errors.add(child(path, r.asText()) + ": Required value");
        }
      }
      JsonNode properties = schema.path("properties");
      JsonNode additional = schema.path("additionalProperties");
      Iterator<Map.Entry<String, JsonNode>> it = value.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (properties.has(e.getKey())) {
          check(child(path, e.getKey()), e.getValue(), properties.get(e.getKey()), errors);
        } else if (additional.isObject()) {
          check(child(path, e.getKey()), e.getValue(), additional, errors);
        }
      }
    }
    if (value.isArray()) {
      if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
        errors.add(
            where
                + ": Too many: "
                + value.size()
                + ": must have at most "
                + schema.get("maxItems").asInt()
                + " items");
      }
      if (schema.has("items")) {
        for (int i = 0; i < value.size(); i++) {
          check(path + "[" + i + "]", value.get(i), schema.get("items"), errors);
        }
      }
    }
  }

  private static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static boolean hasType(JsonNode v, String type) {
    return switch (type) {
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "string" -> v.isTextual();
      case "integer" -> v.isIntegralNumber();
      case "number" -> v.isNumber();
      case "boolean" -> v.isBoolean();
      default -> true;
    };
  }

  private static String typeName(JsonNode v) {
    if (v.isObject()) {
      return "object";
    } else if (v.isArray()) {
      return "array";
    } else if (v.isTextual()) {
      return "string";
    } else if (v.isNumber()) {
      return v.isIntegralNumber() ? "integer" : "number";
    } else if (v.isBoolean()) {
      return "boolean";
    }
    return v.getNodeType().toString().toLowerCase();
  }
}
