package dev.lambdagate.harness.emulator.sts;

import java.time.Instant;
import java.util.Map;

/**
 * One call the STS emulator received. Immutable and thread-safe. The parameters include the web
 * identity token as sent: do not log records wholesale ({@link #toString()} leaves it out).
 *
 * @param receivedAt emulator clock time of arrival
 * @param requestId the RequestId answered
 * @param method request method
 * @param action the {@code Action} parameter, or null
 * @param parameters every query/form parameter (first value of each)
 * @param status HTTP status answered
 * @param errorCode the error {@code Code} answered, or null on success
 * @param issuedAccessKeyId the AccessKeyId issued, or null
 */
public record StsCallRecord(
    Instant receivedAt,
    String requestId,
    String method,
    String action,
    Map<String, String> parameters,
    int status,
    String errorCode,
    String issuedAccessKeyId) {

  public StsCallRecord {
    parameters = Map.copyOf(parameters);
  }

  @Override
  public String toString() {
    return "StsCallRecord["
        + requestId
        + " "
        + action
        + " role="
        + parameters.get("RoleArn")
        + " session="
        + parameters.get("RoleSessionName")
        + " status="
        + status
        + " errorCode="
        + errorCode
        + " issued="
        + issuedAccessKeyId
        + "]";
  }
}
