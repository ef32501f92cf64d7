package dev.lambdagate.controlplane.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code Backend.spec}. Only {@code type: AWS} is served; other types are kept so that status can
 * say they are unsupported instead of dropping them silently.
 *
 * @param type {@code AWS}
 * @param aws the Lambda destination; required when {@code type} is {@code AWS}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackendSpec(String type, AwsBackend aws) {

  /**
   * {@code spec.aws}.
   *
   * @param region AWS region of the function; {@code us-east-1} when absent
   * @param accountId the 12-digit account that owns the function
   * @param auth how to get credentials; absent means the gateway's ambient identity (IRSA)
   * @param lambda the function
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record AwsBackend(String region, String accountId, AwsAuth auth, AwsLambda lambda) {}

  /**
   * {@code spec.aws.auth}.
   *
   * @param type {@code Secret} (keys in a Secret of the Backend's namespace) or {@code AssumeRole}
   *     (chain a role from the ambient or Secret credentials)
   * @param secretRef the Secret with {@code accessKey}, {@code secretKey}, optional {@code
   *     sessionToken}
   * @param assumeRole the role to assume for {@code type: AssumeRole}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record AwsAuth(String type, LocalRef secretRef, AssumeRole assumeRole) {}

  /** A reference to an object in the same namespace. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record LocalRef(String name) {}

  /** {@code spec.aws.auth.assumeRole}: role chaining with a signed STS AssumeRole call. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record AssumeRole(String roleArn, String roleSessionName, String externalId) {}

  /**
   * {@code spec.aws.lambda}.
   *
   * @param functionName name, {@code name:alias}, partial or full ARN
   * @param qualifier version or alias; {@code $LATEST} when absent
   * @param invocationMode {@code Sync} (default), {@code Async} or {@code DryRun}
   * @param endpointURL overrides {@code https://lambda.{region}.amazonaws.com}
   * @param payloadTransformMode {@code None} (default), {@code Envoy}, {@code ApiGatewayV1}, {@code
   *     ApiGatewayV2}
   * @param functionErrorStatus the status of a function error's response
   * @param retry what the route to the function retries
   * @param responseMode {@code Buffered} (default: {@code Invoke}) or {@code Streaming} ({@code
   *     InvokeWithResponseStream}, passed to the client as it arrives)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record AwsLambda(
      String functionName,
      String qualifier,
      String invocationMode,
      String endpointURL,
      String payloadTransformMode,
      Integer functionErrorStatus,
      Retry retry,
      String responseMode) {

    /** Without {@code functionErrorStatus} (the filter's default, 502) and retries. */
    public AwsLambda(
        String functionName,
        String qualifier,
        String invocationMode,
        String endpointURL,
        String payloadTransformMode) {
      this(
          functionName,
          qualifier,
          invocationMode,
          endpointURL,
          payloadTransformMode,
          null,
          null,
          null);
    }
  }

  /**
   * {@code spec.aws.lambda.retry}: retries of Lambda's throttling and service errors.
   *
   * @param attempts retries after the first try (1–5, default 2)
   * @param statusCodes Lambda statuses to retry (default 429, 500, 502, 503, 504)
   * @param baseInterval the backoff's base interval, Gateway API duration (default 25ms)
   * @param maxInterval the backoff's cap (default 10 × baseInterval)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Retry(
      Integer attempts, List<Integer> statusCodes, String baseInterval, String maxInterval) {}
}
