package dev.lambdagate.harness.emulator.json;

/**
 * A payload that is not one JSON value. The message is worded like the parser message Lambda
 * returns inside {@code InvalidRequestContentException}, for example {@code Unrecognized token
 * 'abc': was expecting (...)\n at [Source: (byte[])"abc"; line: 1, column: 4]}.
 */
public final class InvalidJsonPayloadException extends Exception {

  private static final long serialVersionUID = 1L;

  public InvalidJsonPayloadException(String message) {
    super(message);
  }
}
