package dev.lambdagate.sdk;

/**
 * What a stream callback tells the host: go on with the stream, or stop it here (Envoy buffers a
 * paused body) until the filter continues it or answers it. {@link #code()} is the ABI's {@code
 * FilterHeadersStatus}/{@code FilterDataStatus} value, and the {@link Dispatcher}, which returns it
 * to the host, is the only reader of it. Immutable.
 */
public enum Action {
  CONTINUE(0),
  PAUSE(1);

  private final int code;

  Action(int code) {
    this.code = code;
  }

  /** The value proxy-wasm ABI 0.2.1 exchanges for this action. */
  public int code() {
    return code;
  }
}
