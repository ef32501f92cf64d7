package dev.lambdagate.config;

import dev.lambdagate.json.JsonObject;
import dev.lambdagate.json.Utf8;

/** Reads and checks a {@code lambda} object and computes the Invoke request's fixed parts. */
final class LambdaConfigReader {

  static final String DEFAULT_REGION = "us-east-1";

  private LambdaConfigReader() {}

  static LambdaConfig read(JsonObject lambda, String path) throws ConfigException {
    JsonFields f = new JsonFields(lambda, path);

    String functionNameText = f.requiredString("functionName");
    FunctionName functionName;
    try {
      functionName = FunctionName.parse(functionNameText);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(f.pathOf("functionName"), e.getMessage());
    }

    String region = f.optionalString("region");
    if (region != null) {
      if (!AwsRegion.isValid(region)) {
        throw new ConfigException(f.pathOf("region"), "must be a region name like us-east-1");
      }
      if (functionName.region() != null && !functionName.region().equals(region)) {
        throw new ConfigException(
            f.pathOf("region"),
            region
                + " does not match the region "
                + functionName.region()
                + " in the function ARN");
      }
    } else {
      region = functionName.region() != null ? functionName.region() : DEFAULT_REGION;
    }

    String accountId = f.optionalString("accountId");
    if (accountId != null) {
      if (!FunctionName.isAccountId(accountId)) {
        throw new ConfigException(f.pathOf("accountId"), "must be exactly 12 digits");
      }
      if (functionName.accountId() != null && !functionName.accountId().equals(accountId)) {
        throw new ConfigException(
            f.pathOf("accountId"),
            accountId
                + " does not match the account "
                + functionName.accountId()
                + " in the function ARN");
      }
    } else {
      accountId = functionName.accountId();
    }

    String qualifierKey = f.optionalString("qualifier");
    if (qualifierKey != null) {
      if (!FunctionName.isQualifier(qualifierKey)) {
        throw new ConfigException(
            f.pathOf("qualifier"),
            "must be $LATEST, a version or an alias: up to 128 letters, digits, '-', '_' or '$'");
      }
      if (functionName.qualifier() != null && !functionName.qualifier().equals(qualifierKey)) {
        throw new ConfigException(
            f.pathOf("qualifier"),
            qualifierKey
                + " does not match the qualifier "
                + functionName.qualifier()
                + " in the function name");
      }
    }

    InvocationMode invocationMode = InvocationMode.SYNC;
    String modeName = f.optionalString("invocationMode");
    if (modeName != null) {
      invocationMode = InvocationMode.fromConfigName(modeName);
      if (invocationMode == null) {
        throw new ConfigException(f.pathOf("invocationMode"), "must be one of Sync, Async, DryRun");
      }
    }

    PayloadTransformMode transformMode = PayloadTransformMode.NONE;
    String transformName = f.optionalString("payloadTransformMode");
    if (transformName != null) {
      transformMode = PayloadTransformMode.fromConfigName(transformName);
      if (transformMode == null) {
        throw new ConfigException(
            f.pathOf("payloadTransformMode"),
            "must be one of None, Envoy, ApiGatewayV1, ApiGatewayV2");
      }
    }

    ResponseMode responseMode = ResponseMode.BUFFERED;
    String responseModeName = f.optionalString("responseMode");
    if (responseModeName != null) {
      responseMode = ResponseMode.fromConfigName(responseModeName);
      if (responseMode == null) {
        throw new ConfigException(f.pathOf("responseMode"), "must be one of Buffered, Streaming");
      }
      if (responseMode == ResponseMode.STREAMING && invocationMode == InvocationMode.ASYNC) {
        // InvokeWithResponseStream accepts RequestResponse and DryRun only: an Event
        // invocation has no response to stream.
        throw new ConfigException(
            f.pathOf("responseMode"),
            "Streaming is not supported with invocationMode Async (an asynchronous invocation"
                + " has no response to stream)");
      }
    }

    Endpoint endpoint;
    String endpointUrl = f.optionalString("endpoint");
    if (endpointUrl == null) {
      endpoint = AwsRegion.serviceEndpoint("lambda", region);
    } else {
      try {
        endpoint = Endpoint.parse(endpointUrl);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(f.pathOf("endpoint"), e.getMessage());
      }
    }

    int functionErrorStatus =
        f.optionalInt("functionErrorStatus", LambdaConfig.DEFAULT_FUNCTION_ERROR_STATUS);
    if (functionErrorStatus < 100 || functionErrorStatus > 599) {
      throw new ConfigException(
          f.pathOf("functionErrorStatus"), "must be an HTTP status from 100 to 599");
    }

    String qualifier = functionName.qualifier() != null ? functionName.qualifier() : qualifierKey;
    String invokePath =
        invokePath(
            functionName,
            region,
            accountId,
            functionName.qualifier() == null ? qualifierKey : null,
            responseMode);
    return new LambdaConfig(
        functionNameText,
        region,
        accountId,
        qualifier,
        invocationMode,
        transformMode,
        endpoint,
        functionErrorStatus,
        responseMode,
        invokePath);
  }

  /**
   * {@code /2015-03-31/functions/{FunctionName}/invocations[?Qualifier=...]} ({@code Invoke}), or
   * {@code /2021-11-15/functions/{FunctionName}/response-streaming-invocations[?Qualifier=...]}
   * ({@code InvokeWithResponseStream}) in Streaming mode. A plain name with a configured account id
   * is sent as the full ARN, so that the account is part of the call.
   *
   * @param queryQualifier the qualifier to send as a query parameter, or null
   */
  static String invokePath(
      FunctionName functionName,
      String region,
      String accountId,
      String queryQualifier,
      ResponseMode responseMode) {
    String target = functionName.text();
    if (functionName.isPlainName() && accountId != null) {
      target = functionName.arn(region, accountId);
    }
    StringBuilder sb = new StringBuilder(64 + target.length() * 2);
    boolean streaming = responseMode == ResponseMode.STREAMING;
    sb.append(streaming ? "/2021-11-15/functions/" : "/2015-03-31/functions/");
    appendEncoded(sb, target);
    sb.append(streaming ? "/response-streaming-invocations" : "/invocations");
    if (queryQualifier != null) {
      sb.append("?Qualifier=");
      appendEncoded(sb, queryQualifier);
    }
    return sb.toString();
  }

  /**
   * Percent-encodes everything except RFC 3986 unreserved characters, as AWS SDKs do for path
   * labels and query values: ':' becomes %3A and '$' becomes %24.
   */
  static void appendEncoded(StringBuilder sb, String value) {
    byte[] bytes = Utf8.encode(value);
    for (byte b : bytes) {
      char c = (char) (b & 0xFF);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        sb.append(c);
      } else {
        sb.append('%')
            .append("0123456789ABCDEF".charAt(c >> 4))
            .append("0123456789ABCDEF".charAt(c & 0xF));
      }
    }
  }
}
