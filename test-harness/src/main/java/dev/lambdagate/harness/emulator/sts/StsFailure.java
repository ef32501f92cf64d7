package dev.lambdagate.harness.emulator.sts;

/**
 * Failures the STS emulator can be told to answer with instead of doing its work. (For "STS is
 * down", close the emulator: connections are then refused.)
 */
public enum StsFailure {
  /** 500 {@code InternalFailure} (type Receiver). */
  INTERNAL_FAILURE(
      500,
      "Receiver",
      "InternalFailure",
      "The request processing has failed because of an unknown error, exception or failure."),
  /** 400 {@code Throttling}. */
  THROTTLING(400, "Sender", "Throttling", "Rate exceeded"),
  /** 400 {@code IDPCommunicationError}: the identity provider could not be reached (retryable). */
  IDP_COMMUNICATION_ERROR(
      400,
      "Sender",
      "IDPCommunicationError",
      "The request could not be fulfilled because the identity provider (IDP) that was asked to verify the "
          + "incoming identity token could not be reached. This is often a transient error caused by "
          + "network conditions. Retry the request a limited number of times and wait between attempts "
          + "to be notified of the result.");

  private final int status;
  private final String type;
  private final String code;
  private final String message;

  StsFailure(int status, String type, String code, String message) {
    this.status = status;
    this.type = type;
    this.code = code;
    this.message = message;
  }

  public int status() {
    return status;
  }

  /** {@code Sender} or {@code Receiver}. */
  public String type() {
    return type;
  }

  /** The error {@code Code}. */
  public String code() {
    return code;
  }

  public String message() {
    return message;
  }

  /** Parses the CLI/config spelling: {@code internal}, {@code throttling}, {@code idp}. */
  public static StsFailure parse(String text) {
    return switch (text) {
      case "internal", "InternalFailure" -> INTERNAL_FAILURE;
      case "throttling", "Throttling" -> THROTTLING;
      case "idp", "IDPCommunicationError" -> IDP_COMMUNICATION_ERROR;
      default ->
          throw new IllegalArgumentException(
              "failure must be internal, throttling or idp, not '" + text + "'");
    };
  }
}
