package dev.lambdagate.harness.emulator.lambda;

import java.util.Optional;

/** The values of {@code X-Amz-Invocation-Type}. */
public enum InvocationType {
  /** Synchronous (the default): 200 with the function's result. */
  REQUEST_RESPONSE("RequestResponse"),
  /** Asynchronous: 202, empty body; the function runs in the background. */
  EVENT("Event"),
  /** Validate only: 204, empty body; the function does not run. */
  DRY_RUN("DryRun");

  private final String headerValue;

  InvocationType(String headerValue) {
    this.headerValue = headerValue;
  }

  /** The value as sent in {@code X-Amz-Invocation-Type}. */
  public String headerValue() {
    return headerValue;
  }

  /** Looks up a header value (exact, case-sensitive, as Lambda does); null means the default. */
  public static Optional<InvocationType> fromHeader(String value) {
    if (value == null) {
      return Optional.of(REQUEST_RESPONSE);
    }
    for (InvocationType type : values()) {
      if (type.headerValue.equals(value)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
