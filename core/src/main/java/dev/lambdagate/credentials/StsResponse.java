package dev.lambdagate.credentials;

/**
 * What STS answered: issued credentials, or an error's {@code Code} and {@code Message}. Immutable.
 * {@link #toString()} shows no secret.
 */
public final class StsResponse {
  private final ExpiringCredentials credentials;
  private final String errorCode;
  private final String errorMessage;

  private StsResponse(ExpiringCredentials credentials, String errorCode, String errorMessage) {
    this.credentials = credentials;
    this.errorCode = errorCode;
    this.errorMessage = errorMessage;
  }

  public static StsResponse success(ExpiringCredentials credentials) {
    return new StsResponse(credentials, null, null);
  }

  public static StsResponse error(String code, String message) {
    return new StsResponse(null, code == null ? "Unknown" : code, message == null ? "" : message);
  }

  public boolean isSuccess() {
    return credentials != null;
  }

  /** The issued credentials; null for an error. */
  public ExpiringCredentials credentials() {
    return credentials;
  }

  /** The error code (e.g. {@code InvalidIdentityToken}); null on success. */
  public String errorCode() {
    return errorCode;
  }

  /** The error message; null on success. */
  public String errorMessage() {
    return errorMessage;
  }

  /** {@code Code: Message} for an error. */
  public String describeError() {
    return errorMessage.isEmpty() ? errorCode : errorCode + ": " + errorMessage;
  }

  @Override
  public String toString() {
    return isSuccess()
        ? "StsResponse[" + credentials + "]"
        : "StsResponse[error " + describeError() + "]";
  }
}
