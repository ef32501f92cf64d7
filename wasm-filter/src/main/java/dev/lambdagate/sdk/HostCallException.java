package dev.lambdagate.sdk;

/** A host call returned a status other than OK where the caller needed it to succeed. */
public final class HostCallException extends RuntimeException {
  private final int status;

  public HostCallException(String hostFunction, int status) {
    super(hostFunction + " failed with status " + status);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
