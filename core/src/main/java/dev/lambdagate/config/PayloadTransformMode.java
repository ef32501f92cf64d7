package dev.lambdagate.config;

/**
 * How an HTTP request becomes the Invoke payload and the Lambda result becomes the HTTP response:
 * {@code lambda.payloadTransformMode} in the configuration.
 */
public enum PayloadTransformMode {
  /** The request body is the payload; the payload is the response body. */
  NONE("None"),
  /** The JSON event and response of Envoy's own {@code aws_lambda} filter. */
  ENVOY("Envoy"),
  /** API Gateway REST API proxy integration (payload format 1.0). */
  API_GATEWAY_V1("ApiGatewayV1"),
  /** API Gateway HTTP API (payload format 2.0). */
  API_GATEWAY_V2("ApiGatewayV2");

  private static final PayloadTransformMode[] ALL = values();

  private final String configName;

  PayloadTransformMode(String configName) {
    this.configName = configName;
  }

  /** The spelling used in the configuration. */
  public String configName() {
    return configName;
  }

  /** The mode spelled {@code name} in the configuration, or null when there is none. */
  public static PayloadTransformMode fromConfigName(String name) {
    for (PayloadTransformMode mode : ALL) {
      if (mode.configName.equals(name)) {
        return mode;
      }
    }
    return null;
  }
}
