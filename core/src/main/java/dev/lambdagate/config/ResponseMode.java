package dev.lambdagate.config;

/**
 * How Lambda's answer reaches the client: {@code lambda.responseMode} in the configuration.
 * Buffered calls {@code Invoke} and maps the whole result; Streaming calls {@code
 * InvokeWithResponseStream} and passes each decoded chunk on as it arrives.
 */
public enum ResponseMode {
  /** {@code POST /2015-03-31/functions/{fn}/invocations}: the result arrives whole. */
  BUFFERED("Buffered"),
  /**
   * {@code POST /2021-11-15/functions/{fn}/response-streaming-invocations}: the result arrives as
   * an AWS event stream, passed to the client chunk by chunk.
   */
  STREAMING("Streaming");

  private static final ResponseMode[] ALL = values();

  private final String configName;

  ResponseMode(String configName) {
    this.configName = configName;
  }

  /** The spelling used in the configuration ({@code Buffered}, {@code Streaming}). */
  public String configName() {
    return configName;
  }

  /** The mode spelled {@code name} in the configuration, or null when there is none. */
  public static ResponseMode fromConfigName(String name) {
    for (ResponseMode mode : ALL) {
      if (mode.configName.equals(name)) {
        return mode;
      }
    }
    return null;
  }
}
