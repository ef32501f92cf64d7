package dev.lambdagate.harness.emulator.lambda;

/**
 * A function the Lambda emulator can invoke. Register one with {@code
 * LambdaEmulator.register(FunctionDefinition.of("name", (event, context) -> ...))}.
 *
 * <p>Implementations are called concurrently from the emulator's worker threads and must be
 * thread-safe. An exception thrown here becomes an {@code Unhandled} function error, as an
 * exception escaping a real handler does.
 */
@FunctionalInterface
public interface LambdaFunction {

  /**
   * Runs the function.
   *
   * @param event the Invoke payload, already checked to be JSON ({@code {}} when the caller sent no
   *     body)
   * @param context names, version and request id of this invocation
   * @return the Invoke response's status, extra headers and payload
   */
  FunctionResult invoke(byte[] event, InvocationContext context) throws Exception;
}
