package dev.lambdagate.config;

/**
 * A backend the control plane could not build ({@code {"error": "..."}}); requests routed to it are
 * answered with 500 {@code backend_invalid} instead of reaching AWS.
 */
public final class InvalidBackend extends Backend {

  private final String message;

  public InvalidBackend(String message) {
    this.message = message;
  }

  /** Why the backend is unusable, as the control plane put it. */
  public String message() {
    return message;
  }

  @Override
  public String toString() {
    return "InvalidBackend{" + message + "}";
  }
}
