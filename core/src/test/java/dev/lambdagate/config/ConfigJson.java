package dev.lambdagate.config;

import java.nio.charset.StandardCharsets;

/** Test documents written with single quotes for readability. */
final class ConfigJson {

  static final String KEYS =
      "{'accessKeyId':'AKIDEXAMPLE','secretAccessKey':'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'}";

  private ConfigJson() {}

  static byte[] json(String singleQuoted) {
    return singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
  }

  static FilterConfig parse(String singleQuoted) throws ConfigException {
    return FilterConfigParser.parse(json(singleQuoted));
  }

  /** A single Lambda backend document with inline keys around the given lambda members. */
  static String lambdaDoc(String lambdaMembers) {
    return "{'lambda':{" + lambdaMembers + "},'credentials':" + KEYS + "}";
  }

  static LambdaConfig lambda(String lambdaMembers) throws ConfigException {
    return ((LambdaBackend) parse(lambdaDoc(lambdaMembers)).singleBackend()).lambda();
  }
}
