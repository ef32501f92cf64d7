package dev.lambdagate.harness.emulator.lambda;

import dev.lambdagate.harness.emulator.sigv4.SignatureVerification;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One request the Lambda emulator received, with what it concluded and answered. Tests read these
 * from {@link InvocationLog}. Header names appear as the JDK server reports them (first letter
 * upper case, rest lower case); values are untouched.
 *
 * <p>Immutable and thread-safe (the body array is not copied; treat it as read-only). It holds the
 * request's Authorization and X-Amz-Security-Token headers: do not log records wholesale.
 *
 * @param receivedAt emulator clock time of arrival
 * @param requestId the {@code x-amzn-RequestId} answered
 * @param method request method
 * @param rawPath path as sent
 * @param rawQuery query as sent, or null
 * @param functionName bare function name, or null when the request never got that far
 * @param qualifier the qualifier asked for (from the name or {@code ?Qualifier=}), or null
 * @param executedVersion the version that ran or would run, or null
 * @param invocationType the invocation type, or null when missing the route or invalid
 * @param headers request headers as received
 * @param body request body bytes
 * @param verification the signature check's result
 * @param status HTTP status answered
 * @param errorType {@code x-amzn-ErrorType} answered, or null
 * @param functionError {@code X-Amz-Function-Error} answered, or null
 */
public record InvocationRecord(
    Instant receivedAt,
    String requestId,
    String method,
    String rawPath,
    String rawQuery,
    String functionName,
    String qualifier,
    String executedVersion,
    InvocationType invocationType,
    Map<String, List<String>> headers,
    byte[] body,
    SignatureVerification verification,
    int status,
    String errorType,
    String functionError) {

  /** The body decoded as UTF-8. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The first value of a request header (case-insensitive), or null. */
  public String header(String name) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
        return e.getValue().get(0);
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "InvocationRecord["
        + requestId
        + " "
        + method
        + " "
        + rawPath
        + (rawQuery != null ? "?" + rawQuery : "")
        + " function="
        + functionName
        + " qualifier="
        + qualifier
        + " type="
        + invocationType
        + " status="
        + status
        + " errorType="
        + errorType
        + " verification="
        + verification.outcome()
        + ", "
        + body.length
        + " body bytes]";
  }
}
