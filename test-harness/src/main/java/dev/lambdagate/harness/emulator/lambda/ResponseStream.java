package dev.lambdagate.harness.emulator.lambda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * What a {@link StreamingLambdaFunction} writes its response to, like the Node.js runtime's {@code
 * responseStream}: each {@link #write} reaches the caller at once as one {@code PayloadChunk}
 * event. The content type must be set before the first write; after it the response head is sent.
 */
public interface ResponseStream {

  /**
   * The stream's content type (Lambda's {@code Content-Type}); {@value
   * StreamingLambdaFunction#HTTP_INTEGRATION_CONTENT_TYPE} for a response that starts with an
   * HTTP-integration prelude ({@link #writePrelude}).
   *
   * @throws IllegalStateException after the first write
   */
  void contentType(String contentType);

  /** Sends {@code bytes} as one {@code PayloadChunk} now. */
  void write(byte[] bytes) throws IOException;

  /** Sends {@code text} as UTF-8, as one {@code PayloadChunk} now. */
  default void write(String text) throws IOException {
    write(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Sets the HTTP-integration content type and sends the prelude ({@code metadataJson} and eight
   * NUL bytes), as {@code awslambda.HttpResponseStream.from(stream, metadata)} does.
   */
  default void writePrelude(String metadataJson) throws IOException {
    contentType(StreamingLambdaFunction.HTTP_INTEGRATION_CONTENT_TYPE);
    byte[] json = metadataJson.getBytes(StandardCharsets.UTF_8);
    byte[] prelude = new byte[json.length + 8];
    System.arraycopy(json, 0, prelude, 0, json.length);
    write(prelude);
  }
}
