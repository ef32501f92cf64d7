package dev.lambdagate.config;

/**
 * The {@code lambda} section of a backend, checked, with everything a request needs computed once:
 * the Invoke path, the endpoint, the invocation type header and the payload limit.
 */
public final class LambdaConfig {

  /** Default of {@code lambda.functionErrorStatus}. */
  public static final int DEFAULT_FUNCTION_ERROR_STATUS = 502;

  private final String functionName;
  private final String region;
  private final String accountId;
  private final String qualifier;
  private final InvocationMode invocationMode;
  private final PayloadTransformMode payloadTransformMode;
  private final Endpoint endpoint;
  private final int functionErrorStatus;
  private final ResponseMode responseMode;
  private final String invokePath;

  LambdaConfig(
      String functionName,
      String region,
      String accountId,
      String qualifier,
      InvocationMode invocationMode,
      PayloadTransformMode payloadTransformMode,
      Endpoint endpoint,
      int functionErrorStatus,
      ResponseMode responseMode,
      String invokePath) {
    this.functionName = functionName;
    this.region = region;
    this.accountId = accountId;
    this.qualifier = qualifier;
    this.invocationMode = invocationMode;
    this.payloadTransformMode = payloadTransformMode;
    this.endpoint = endpoint;
    this.functionErrorStatus = functionErrorStatus;
    this.responseMode = responseMode;
    this.invokePath = invokePath;
  }

  /** {@code lambda.functionName} as configured. */
  public String functionName() {
    return functionName;
  }

  /** The region the function lives in and requests are signed for. */
  public String region() {
    return region;
  }

  /** The account id, from {@code lambda.accountId} or the ARN, or null when neither gives one. */
  public String accountId() {
    return accountId;
  }

  /**
   * The version or alias invoked, from {@code lambda.qualifier} or the function name; null for
   * $LATEST.
   */
  public String qualifier() {
    return qualifier;
  }

  public InvocationMode invocationMode() {
    return invocationMode;
  }

  public PayloadTransformMode payloadTransformMode() {
    return payloadTransformMode;
  }

  /**
   * The Lambda API endpoint: {@code lambda.endpoint} or {@code
   * https://lambda.{region}.amazonaws.com}.
   */
  public Endpoint endpoint() {
    return endpoint;
  }

  /** The status returned for a function error; 200 keeps Lambda's own status. */
  public int functionErrorStatus() {
    return functionErrorStatus;
  }

  /** {@code lambda.responseMode}: Buffered (Invoke) or Streaming (InvokeWithResponseStream). */
  public ResponseMode responseMode() {
    return responseMode;
  }

  /**
   * The path and query of the Invoke request (of {@code InvokeWithResponseStream} in Streaming
   * mode: {@code /2021-11-15/functions/echo/response-streaming-invocations}), e.g. {@code
   * /2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aecho/invocations}
   * or {@code /2015-03-31/functions/echo/invocations?Qualifier=live}.
   */
  public String invokePath() {
    return invokePath;
  }

  /**
   * The path and query of the plain {@code Invoke} call for a {@code lambda} object with these
   * fields (as {@link #invokePath()} of the parsed object in Buffered mode): for callers that check
   * a function the way the filter will call it. Always {@code Invoke}, whatever the response mode:
   * a {@code DryRun} check is made with {@code Invoke}, and it checks the same function, qualifier
   * and permission ({@code lambda:InvokeFunction} covers both APIs).
   *
   * @param functionName name, name:qualifier, partial or full ARN
   * @param accountId the configured account id, or null
   * @param qualifier the configured {@code qualifier} key, or null
   * @throws IllegalArgumentException if {@code functionName} is not a valid function name
   */
  public static String invokePath(
      String functionName, String region, String accountId, String qualifier) {
    FunctionName parsed = FunctionName.parse(functionName);
    return LambdaConfigReader.invokePath(
        parsed,
        region,
        accountId,
        parsed.qualifier() == null ? qualifier : null,
        ResponseMode.BUFFERED);
  }

  /** The value of the {@code X-Amz-Invocation-Type} header. */
  public String invocationType() {
    return invocationMode.invocationType();
  }

  /** The largest payload Lambda accepts in the configured invocation mode, in bytes. */
  public int payloadLimitBytes() {
    return invocationMode.payloadLimitBytes();
  }

  @Override
  public String toString() {
    return "LambdaConfig{functionName="
        + functionName
        + ", region="
        + region
        + ", accountId="
        + accountId
        + ", qualifier="
        + qualifier
        + ", invocationMode="
        + invocationMode.configName()
        + ", payloadTransformMode="
        + payloadTransformMode.configName()
        + ", endpoint="
        + endpoint
        + ", functionErrorStatus="
        + functionErrorStatus
        + ", responseMode="
        + responseMode.configName()
        + ", invokePath="
        + invokePath
        + "}";
  }
}
