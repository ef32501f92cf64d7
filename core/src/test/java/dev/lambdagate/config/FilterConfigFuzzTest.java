package dev.lambdagate.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.lambdagate.json.JsonWriter;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the configuration parser and its readers (sign, lambda, credentials, backends, routes,
 * routeFilters). Property: a document is either a {@link FilterConfig} or a {@link ConfigException}
 * with a path and a problem, never another exception.
 *
 * <p>Raw bytes rarely get past the JSON parser, so the second target writes well-formed JSON whose
 * keys mostly come from the configuration's own vocabulary and whose values are chosen from
 * plausible and hostile ones: that reaches every reader.
 */
@Timeout(10) // seconds per input: a parser must not hang
class FilterConfigFuzzTest {
  /** Every key and enum value the readers look for. */
  static final String[] KEYS = {
    "sign",
    "lambda",
    "backends",
    "routes",
    "clusters",
    "routeFilters",
    "credentials",
    "accessKeyId",
    "secretAccessKey",
    "sessionToken",
    "webIdentity",
    "roleArn",
    "token",
    "stsRegion",
    "stsEndpoint",
    "stsCluster",
    "assumeRole",
    "roleSessionName",
    "externalId",
    "service",
    "region",
    "unsignedPayload",
    "hostRewrite",
    "excludedHeaders",
    "functionName",
    "accountId",
    "qualifier",
    "invocationMode",
    "payloadTransformMode",
    "endpoint",
    "functionErrorStatus",
    "error",
    "hostname",
    "path",
    "type",
    "matchedPrefix",
    "value",
    "requestHeaders",
    "set",
    "add",
    "remove",
    "name"
  };

  static final String[] STRINGS = {
    "us-east-1",
    "s3",
    "execute-api",
    "echo",
    "Sync",
    "Async",
    "DryRun",
    "None",
    "Envoy",
    "ApiGatewayV1",
    "ApiGatewayV2",
    "ReplaceFullPath",
    "ReplacePrefixMatch",
    "/",
    "/echo",
    "/v2",
    "123456789012",
    "AKIDEXAMPLE",
    "secret",
    "arn:aws:iam::123456789012:role/r",
    "arn:aws:lambda:us-east-1:123456789012:function:f:1",
    "http://lambda.test:9001",
    "https://sts.us-east-1.amazonaws.com",
    "[::1]:8080",
    "example.com:443",
    "x-team",
    "Host",
    ":path",
    "",
    " ",
    "a\r\nb",
    "\u0000",
    "\uD800",
    "default/lambda",
    "default/lambda/rule-0/match-0"
  };

  @FuzzTest
  @DictionaryEntries({
    "\"sign\"",
    "\"lambda\"",
    "\"backends\"",
    "\"credentials\"",
    "\"accessKeyId\"",
    "\"secretAccessKey\"",
    "\"functionName\"",
    "\"region\"",
    "\"routeFilters\"",
    "\"webIdentity\"",
    "\"assumeRole\"",
    "\"us-east-1\""
  })
  void parseBytes(byte[] json) {
    parseExpectingOnlyConfigErrors(json);
  }

  @FuzzTest
  void parseStructured(FuzzedDataProvider data) {
    JsonWriter w = new JsonWriter();
    writeObject(w, data, 0);
    parseExpectingOnlyConfigErrors(w.toUtf8());
  }

  static void parseExpectingOnlyConfigErrors(byte[] json) {
    try {
      FilterConfig config = FilterConfigParser.parse(json);
      assertThat(config.toString()).isNotNull();
    } catch (ConfigException e) {
      assertThat(e.path()).isNotNull();
      assertThat(e.problem()).isNotEmpty();
    }
  }

  private static void writeObject(JsonWriter w, FuzzedDataProvider data, int depth) {
    w.beginObject();
    int members = data.consumeInt(0, 4);
    java.util.Set<String> used = new java.util.HashSet<>();
    for (int i = 0; i < members && data.remainingBytes() > 0; i++) {
      String key = data.consumeBoolean() ? data.pickValue(KEYS) : data.consumeString(12);
      if (!used.add(key)) {
        continue; // duplicate names are a JSON error, tested by the byte target
      }
      w.name(key);
      writeValue(w, data, depth + 1);
    }
    w.endObject();
  }

  private static void writeValue(JsonWriter w, FuzzedDataProvider data, int depth) {
    int kind = depth > 6 ? data.consumeInt(2, 6) : data.consumeInt(0, 6);
    switch (kind) {
      case 0, 1 -> writeObject(w, data, depth);
      case 2 -> {
        w.beginArray();
        int n = depth > 6 ? 0 : data.consumeInt(0, 3);
        for (int i = 0; i < n; i++) {
          writeValue(w, data, depth + 1);
        }
        w.endArray();
      }
      case 3 -> w.value(data.consumeBoolean() ? data.pickValue(STRINGS) : data.consumeString(40));
      case 4 -> w.value(data.consumeLong());
      case 5 -> w.value(data.consumeBoolean());
      default -> w.nullValue();
    }
  }
}
