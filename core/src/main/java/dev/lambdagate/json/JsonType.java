package dev.lambdagate.json;

/** The six kinds of JSON value, each with the lower-case name used in error messages. */
public enum JsonType {
  OBJECT("object"),
  ARRAY("array"),
  STRING("string"),
  NUMBER("number"),
  BOOLEAN("boolean"),
  NULL("null");

  private final String jsonName;

  JsonType(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The name of this kind as RFC 8259 spells it, e.g. {@code "string"}. */
  public String jsonName() {
    return jsonName;
  }
}
