package dev.lambdagate.controlplane.lambda;

/**
 * What the control plane learnt by invoking a Backend's function with {@code X-Amz-Invocation-Type:
 * DryRun}: Lambda checks the caller's permission and the function's existence without running it.
 * Becomes the Backend's {@code FunctionReady} condition.
 *
 * @param state the outcome
 * @param reason a condition reason: {@value #DRY_RUN_SUCCEEDED}, {@value #FUNCTION_NOT_FOUND},
 *     {@value #ACCESS_DENIED}, {@value #INVALID_SIGNATURE}, {@value #UNRECOGNIZED_CLIENT}, {@value
 *     #LAMBDA_ERROR}, {@value #UNREACHABLE}, {@value #CREDENTIALS_NOT_READY} or {@value #PENDING}
 * @param message for people: the function, the endpoint and, on failure, Lambda's error type and
 *     message; never a credential
 */
public record FunctionCheckResult(State state, String reason, String message) {

  public static final String DRY_RUN_SUCCEEDED = "DryRunSucceeded";
  public static final String FUNCTION_NOT_FOUND = "FunctionNotFound";
  public static final String ACCESS_DENIED = "AccessDenied";
  public static final String INVALID_SIGNATURE = "InvalidSignature";
  public static final String UNRECOGNIZED_CLIENT = "UnrecognizedClient";
  public static final String LAMBDA_ERROR = "LambdaError";
  public static final String UNREACHABLE = "Unreachable";
  public static final String CREDENTIALS_NOT_READY = "CredentialsNotReady";
  public static final String PENDING_REASON = "Pending";

  /** How sure the control plane is. */
  public enum State {
    /** Lambda accepted the DryRun: the function exists and the credentials may invoke it. */
    READY,
    /** Lambda refused: the proxies' Invoke calls will be refused the same way. */
    FAILED,
    /**
     * No verdict: no answer (connection failure, timeout), throttling or a 5xx, or no credentials
     * to sign with yet. Retried.
     */
    UNKNOWN,
    /** Not checked yet. */
    PENDING
  }

  public static final FunctionCheckResult PENDING =
      new FunctionCheckResult(
          State.PENDING, PENDING_REASON, "the function has not been checked with a DryRun yet");

  public static FunctionCheckResult ready(String message) {
    return new FunctionCheckResult(State.READY, DRY_RUN_SUCCEEDED, message);
  }

  public static FunctionCheckResult failed(String reason, String message) {
    return new FunctionCheckResult(State.FAILED, reason, message);
  }

  public static FunctionCheckResult unknown(String reason, String message) {
    return new FunctionCheckResult(State.UNKNOWN, reason, message);
  }
}
