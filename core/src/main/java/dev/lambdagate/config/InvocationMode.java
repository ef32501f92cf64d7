package dev.lambdagate.config;

/** How Lambda runs the function: {@code lambda.invocationMode} in the configuration. */
public enum InvocationMode {
  /** Wait for the result: {@code X-Amz-Invocation-Type: RequestResponse}, 200 with the payload. */
  SYNC("Sync", "RequestResponse", 6 * 1024 * 1024),
  /** Queue the event: {@code X-Amz-Invocation-Type: Event}, 202 with no body. */
  ASYNC("Async", "Event", 1024 * 1024),
  /** Only check parameters and permissions: {@code X-Amz-Invocation-Type: DryRun}, 204. */
  DRY_RUN("DryRun", "DryRun", 6 * 1024 * 1024);

  private static final InvocationMode[] ALL = values();

  private final String configName;
  private final String invocationType;
  private final int payloadLimitBytes;

  InvocationMode(String configName, String invocationType, int payloadLimitBytes) {
    this.configName = configName;
    this.invocationType = invocationType;
    this.payloadLimitBytes = payloadLimitBytes;
  }

  /** The spelling used in the configuration ({@code Sync}, {@code Async}, {@code DryRun}). */
  public String configName() {
    return configName;
  }

  /** The value of the {@code X-Amz-Invocation-Type} request header. */
  public String invocationType() {
    return invocationType;
  }

  /**
   * The largest Invoke payload Lambda accepts in this mode: 6 MB (6291456 bytes) for synchronous
   * and dry-run invocations, 1 MB (1048576 bytes) for asynchronous ones.
   */
  public int payloadLimitBytes() {
    return payloadLimitBytes;
  }

  /** The mode spelled {@code name} in the configuration, or null when there is none. */
  public static InvocationMode fromConfigName(String name) {
    for (InvocationMode mode : ALL) {
      if (mode.configName.equals(name)) {
        return mode;
      }
    }
    return null;
  }
}
