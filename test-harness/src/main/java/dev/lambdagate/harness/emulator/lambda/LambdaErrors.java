package dev.lambdagate.harness.emulator.lambda;

import dev.lambdagate.harness.emulator.http.HttpReply;
import dev.lambdagate.harness.emulator.json.JavaScriptJson;
import dev.lambdagate.harness.emulator.sigv4.SignatureVerification;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lambda's error responses: status, {@code x-amzn-ErrorType}, and a JSON body whose member names
 * and order follow the service (e.g. {@code Message} for ResourceNotFoundException but {@code
 * message} for most others). Stateless and thread-safe.
 */
final class LambdaErrors {

  static final String INVALID_SIGNATURE_MESSAGE =
      "The request signature we calculated does not match the signature "
          + "you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation "
          + "for details.";
  static final String INVALID_TOKEN_MESSAGE =
      "The security token included in the request is invalid.";
  static final String EXPIRED_TOKEN_MESSAGE =
      "The security token included in the request is expired";

  private LambdaErrors() {}

  /** The 403 Lambda answers for a failed signature check. */
  static HttpReply forVerification(SignatureVerification verification, String requestId) {
    return switch (verification.outcome()) {
      case MISSING_AUTHENTICATION ->
          messageOnly(
              403,
              "MissingAuthenticationTokenException",
              "Missing Authentication Token",
              requestId);
      case INCOMPLETE_SIGNATURE ->
          messageOnly(403, "IncompleteSignatureException", verification.detail(), requestId);
      case UNKNOWN_ACCESS_KEY, INVALID_SESSION_TOKEN ->
          messageOnly(403, "UnrecognizedClientException", INVALID_TOKEN_MESSAGE, requestId);
      case EXPIRED_SESSION_TOKEN ->
          messageOnly(403, "ExpiredTokenException", EXPIRED_TOKEN_MESSAGE, requestId);
      case SIGNATURE_EXPIRED, WRONG_CREDENTIAL_SCOPE, REQUIRED_HEADER_UNSIGNED ->
          messageOnly(403, "InvalidSignatureException", verification.detail(), requestId);
      case SIGNATURE_MISMATCH, UNVERIFIABLE ->
          messageOnly(403, "InvalidSignatureException", INVALID_SIGNATURE_MESSAGE, requestId);
      case VALID -> throw new IllegalArgumentException("not an error");
    };
  }

  static HttpReply resourceNotFound(String arn, String requestId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("Message", "Function not found: " + arn);
    body.put("Type", "User");
    return reply(404, "ResourceNotFoundException", body, requestId);
  }

  static HttpReply tooManyRequests(String requestId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("Reason", "CallerRateLimitExceeded");
    body.put("Type", "User");
    body.put("message", "Rate exceeded");
    return reply(429, "TooManyRequestsException", body, requestId).withHeader("Retry-After", "1");
  }

  static HttpReply requestTooLarge(int limit, String requestId) {
    return userError(
        413,
        "RequestTooLargeException",
        "Request must be smaller than " + limit + " bytes for the InvokeFunction operation",
        requestId);
  }

  static HttpReply invalidRequestContent(String parserMessage, String requestId) {
    return userError(
        400,
        "InvalidRequestContentException",
        "Could not parse request body into json: Could not parse payload into json: "
            + parserMessage,
        requestId);
  }

  static HttpReply invalidParameterValue(String message, String requestId) {
    return userError(400, "InvalidParameterValueException", message, requestId);
  }

  static HttpReply validation(String message, String requestId) {
    return messageOnly(400, "ValidationException", message, requestId);
  }

  static HttpReply unknownOperation(String method, String path, String requestId) {
    return userError(
        404, "UnknownOperationException", "Unknown operation: " + method + " " + path, requestId);
  }

  private static HttpReply userError(
      int status, String errorType, String message, String requestId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("Type", "User");
    body.put("message", message);
    return reply(status, errorType, body, requestId);
  }

  private static HttpReply messageOnly(
      int status, String errorType, String message, String requestId) {
    return reply(status, errorType, Map.of("message", message), requestId);
  }

  private static HttpReply reply(
      int status, String errorType, Map<String, Object> body, String requestId) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("x-amzn-ErrorType", errorType);
    headers.put("x-amzn-RequestId", requestId);
    return HttpReply.of(status, headers, JavaScriptJson.stringify(body));
  }
}
