package dev.lambdagate.harness.emulator.lambda;

/**
 * What a {@link LambdaFunction} learns about the invocation besides the event. Immutable and
 * thread-safe.
 *
 * @param functionName the function's name (never an ARN)
 * @param executedVersion {@code $LATEST} or a version number; an alias is already resolved
 * @param requestId the {@code x-amzn-RequestId} the caller will see
 * @param invocationType how the function was invoked
 */
public record InvocationContext(
    String functionName, String executedVersion, String requestId, InvocationType invocationType) {}
