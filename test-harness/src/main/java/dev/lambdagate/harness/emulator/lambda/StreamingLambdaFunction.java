package dev.lambdagate.harness.emulator.lambda;

import java.io.ByteArrayOutputStream;

/**
 * A function set up for response streaming: it writes its response piece by piece to a {@link
 * ResponseStream}. Through {@code InvokeWithResponseStream} each piece reaches the caller as it is
 * written; through {@code Invoke} the pieces are buffered into one result, as Lambda does.
 *
 * <p>Called concurrently; implementations must be thread-safe. An exception becomes an {@code
 * Unhandled} error ({@code InvokeComplete.ErrorCode} when streaming).
 */
@FunctionalInterface
public interface StreamingLambdaFunction extends LambdaFunction {

  /** Lambda's content type for a stream that starts with an HTTP-integration prelude. */
  String HTTP_INTEGRATION_CONTENT_TYPE = "application/vnd.awslambda.http-integration-response";

  /** Runs the function, writing its response to {@code out}. */
  void stream(byte[] event, InvocationContext context, ResponseStream out) throws Exception;

  /** {@code Invoke} of a streaming function: the whole response, buffered. */
  @Override
  default FunctionResult invoke(byte[] event, InvocationContext context) throws Exception {
    ByteArrayOutputStream buffered = new ByteArrayOutputStream();
    stream(
        event,
        context,
        new ResponseStream() {
          @Override
          public void contentType(String contentType) {}

          @Override
          public void write(byte[] bytes) {
            buffered.writeBytes(bytes);
          }
        });
    return FunctionResult.ok(buffered.toByteArray());
  }
}
