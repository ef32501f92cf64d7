package dev.lambdagate.credentials;

/**
 * Sends STS calls: in the filter, a proxy-wasm HTTP call-out to the STS cluster; a fake in tests.
 */
public interface StsTransport {
  /** Receives the outcome of one call, exactly once. */
  interface Callback {
    /** STS (or something in between) answered with this status and body. */
    void onResponse(int httpStatus, byte[] body);

    /** No answer: connection failure, reset or timeout; {@code reason} says which if known. */
    void onFailure(String reason);
  }

  /**
   * Starts {@code request} through {@code cluster} (the Envoy cluster that reaches STS); the
   * outcome goes to {@code callback} later, or at once when the call cannot even be started.
   */
  void send(String cluster, StsHttpRequest request, Callback callback);
}
