package dev.lambdagate.controlplane.model;

import dev.lambdagate.config.AwsRegion;
import dev.lambdagate.config.Endpoint;
import dev.lambdagate.config.FunctionName;
import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.crd.BackendSpec;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a Backend on its own (no Gateway involved) with the same rules the filter applies to its
 * configuration, so a mistake is reported on the Backend, naming the field, instead of making Envoy
 * reject the whole listener.
 */
final class BackendValidator {
  static final String DEFAULT_REGION = "us-east-1";
  private static final Set<String> INVOCATION_MODES = Set.of("Sync", "Async", "DryRun");
  private static final Set<String> TRANSFORM_MODES =
      Set.of("None", "Envoy", "ApiGatewayV1", "ApiGatewayV2");

  /**
   * The gateway-independent part of a Backend.
   *
   * @param inline keys from the Backend's Secret, or null for the Gateway's ambient identity
   * @param assumeRole the role to chain to ({@code auth.type: AssumeRole}), or null
   * @param error the message (naming the field), or null
   * @param podIdentity {@code auth.type: PodIdentity}: the Gateway proxy's EKS Pod Identity
   */
  record Resolved(
      LambdaTarget lambda,
      Credentials.Inline inline,
      AssumeRoleSpec assumeRole,
      String error,
      boolean podIdentity) {
    Resolved(
        LambdaTarget lambda, Credentials.Inline inline, AssumeRoleSpec assumeRole, String error) {
      this(lambda, inline, assumeRole, error, false);
    }
  }

  /** {@code spec.aws.auth.assumeRole}, validated. */
  record AssumeRoleSpec(String roleArn, String roleSessionName, String externalId) {}

  private static final java.util.regex.Pattern ROLE_ARN =
      java.util.regex.Pattern.compile("arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[\\w+=,.@/-]{1,512}");

  private BackendValidator() {}

  static Resolved resolve(
      Backend backend, Map<String, Secret> secretsByNsName, EndpointPolicy endpoints) {
    try {
      return resolveOrThrow(backend, secretsByNsName, endpoints);
    } catch (Invalid e) {
      return new Resolved(null, null, null, e.getMessage());
    }
  }

  private static final class Invalid extends Exception {
    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  private static Resolved resolveOrThrow(
      Backend backend, Map<String, Secret> secrets, EndpointPolicy endpoints) throws Invalid {
    String ns = backend.getMetadata().getNamespace();
    BackendSpec spec = backend.getSpec();
    if (spec == null) {
      throw new Invalid("spec: required");
    }
    if (spec.type() == null || !spec.type().equals("AWS")) {
      throw new Invalid(
          "spec.type: "
              + (spec.type() == null ? "required" : "unsupported type " + spec.type())
              + " (lambdagate serves AWS)");
    }
    BackendSpec.AwsBackend aws = spec.aws();
    if (aws == null) {
      throw new Invalid("spec.aws: required when spec.type is AWS");
    }
    if (aws.lambda() == null) {
      throw new Invalid("spec.aws.lambda: required");
    }
    BackendSpec.AwsLambda l = aws.lambda();
    String fn = l.functionName();
    if (fn == null || fn.isEmpty()) {
      throw new Invalid("spec.aws.lambda.functionName: required");
    }
    FunctionName ref;
    try {
      ref = FunctionName.parse(fn);
    } catch (IllegalArgumentException e) {
      throw new Invalid("spec.aws.lambda.functionName: " + e.getMessage());
    }
    String region = aws.region();
    if (region != null && !region.isEmpty()) {
      if (!AwsRegion.isValid(region)) {
        throw new Invalid(
            "spec.aws.region: must be a region name like us-east-1, got \"" + region + "\"");
      }
      if (ref.region() != null && !ref.region().equals(region)) {
        throw new Invalid(
            "spec.aws.region: "
                + region
                + " does not match the region "
                + ref.region()
                + " in spec.aws.lambda.functionName");
      }
    } else {
      region = ref.region() != null ? ref.region() : DEFAULT_REGION;
    }
    String accountId = aws.accountId();
    if (accountId != null && !accountId.isEmpty()) {
      if (!FunctionName.isAccountId(accountId)) {
        throw new Invalid(
            "spec.aws.accountId: must be exactly 12 digits, got \"" + accountId + "\"");
      }
      if (ref.accountId() != null && !ref.accountId().equals(accountId)) {
        throw new Invalid(
            "spec.aws.accountId: "
                + accountId
                + " does not match the account "
                + ref.accountId()
                + " in spec.aws.lambda.functionName");
      }
    } else {
      accountId = ref.accountId();
    }
    String qualifier = l.qualifier();
    if (qualifier != null && !qualifier.isEmpty()) {
      if (!FunctionName.isQualifier(qualifier)) {
        throw new Invalid(
            "spec.aws.lambda.qualifier: must be $LATEST, a version or an alias: up "
                + "to 128 letters, digits, '-', '_' or '$'");
      }
      if (ref.qualifier() != null && !ref.qualifier().equals(qualifier)) {
        throw new Invalid(
            "spec.aws.lambda.qualifier: "
                + qualifier
                + " does not match the "
                + "qualifier "
                + ref.qualifier()
                + " in spec.aws.lambda.functionName");
      }
    } else {
      qualifier = null;
    }
    String mode =
        l.invocationMode() == null || l.invocationMode().isEmpty() ? "Sync" : l.invocationMode();
    if (!INVOCATION_MODES.contains(mode)) {
      throw new Invalid("spec.aws.lambda.invocationMode: must be one of Sync, Async, DryRun");
    }
    String transform =
        l.payloadTransformMode() == null || l.payloadTransformMode().isEmpty()
            ? "None"
            : l.payloadTransformMode();
    if (!TRANSFORM_MODES.contains(transform)) {
      throw new Invalid(
          "spec.aws.lambda.payloadTransformMode: must be one of None, Envoy, "
              + "ApiGatewayV1, ApiGatewayV2");
    }
    Integer functionErrorStatus = l.functionErrorStatus();
    if (functionErrorStatus != null && (functionErrorStatus < 100 || functionErrorStatus > 599)) {
      throw new Invalid(
          "spec.aws.lambda.functionErrorStatus: must be an HTTP status from 100 to 599, got "
              + functionErrorStatus);
    }
    String responseMode =
        l.responseMode() == null || l.responseMode().isEmpty() ? "Buffered" : l.responseMode();
    if (!responseMode.equals("Buffered") && !responseMode.equals("Streaming")) {
      throw new Invalid("spec.aws.lambda.responseMode: must be one of Buffered, Streaming");
    }
    if (responseMode.equals("Streaming") && mode.equals("Async")) {
      // InvokeWithResponseStream takes RequestResponse and DryRun only.
      throw new Invalid(
          "spec.aws.lambda.responseMode: Streaming is not supported with invocationMode Async"
              + " (an asynchronous invocation has no response to stream)");
    }
    LambdaRetry retry = retry(l.retry());
    Endpoint endpoint;
    String endpointUrl = l.endpointURL();
    if (endpointUrl != null && !endpointUrl.isEmpty()) {
      try {
        endpoint = Endpoint.parse(endpointUrl);
      } catch (IllegalArgumentException e) {
        throw new Invalid("spec.aws.lambda.endpointURL: " + e.getMessage());
      }
      // Checked before the Secret is read: a Backend that would ship the Gateway's (or its
      // Secret's) credentials to a foreign host is refused whatever its auth says.
      String violation = endpoints.violation(endpoint, "lambda");
      if (violation != null) {
        throw new Invalid("spec.aws.lambda.endpointURL: " + violation);
      }
    } else {
      endpointUrl = null;
      endpoint = AwsRegion.serviceEndpoint("lambda", region);
    }
    String arn = accountId == null ? null : ref.arn(region, accountId);
    LambdaTarget target =
        new LambdaTarget(
            fn,
            arn,
            region,
            accountId,
            qualifier,
            mode,
            transform,
            endpointUrl,
            endpoint,
            functionErrorStatus,
            retry,
            responseMode.equals("Streaming") ? "Streaming" : null);

    BackendSpec.AwsAuth auth = aws.auth();
    if (auth == null) {
      return new Resolved(target, null, null, null);
    }
    AssumeRoleSpec chain = null;
    if ("PodIdentity".equals(auth.type())) {
      if (auth.secretRef() != null) {
        throw new Invalid(
            "spec.aws.auth.secretRef: not used with spec.aws.auth.type PodIdentity (the Gateway "
                + "proxy's ServiceAccount and its Pod Identity association are)");
      }
      if (auth.assumeRole() != null) {
        throw new Invalid(
            "spec.aws.auth.assumeRole: role chaining from PodIdentity is not supported");
      }
      return new Resolved(target, null, null, null, true);
    }
    if ("AssumeRole".equals(auth.type())) {
      BackendSpec.AssumeRole ar = auth.assumeRole();
      if (ar == null || ar.roleArn() == null || ar.roleArn().isEmpty()) {
        throw new Invalid(
            "spec.aws.auth.assumeRole.roleArn: required when spec.aws.auth.type is "
                + "AssumeRole");
      }
      if (!ROLE_ARN.matcher(ar.roleArn()).matches()) {
        throw new Invalid(
            "spec.aws.auth.assumeRole.roleArn: not an IAM role ARN "
                + "(arn:aws:iam::<12 digits>:role/<name>): \""
                + ar.roleArn()
                + "\"");
      }
      chain = new AssumeRoleSpec(ar.roleArn(), ar.roleSessionName(), ar.externalId());
      if (auth.secretRef() == null) {
        // Chained from the Gateway's own identity (IRSA).
        return new Resolved(target, null, chain, null);
      }
    } else if (!"Secret".equals(auth.type())) {
      throw new Invalid(
          "spec.aws.auth.type: "
              + (auth.type() == null ? "required" : auth.type() + " is not supported")
              + " (use Secret, AssumeRole or PodIdentity, or leave "
              + "spec.aws.auth out to use the Gateway's ServiceAccount role)");
    }
    if (auth.secretRef() == null
        || auth.secretRef().name() == null
        || auth.secretRef().name().isEmpty()) {
      throw new Invalid(
          "spec.aws.auth.secretRef.name: required when spec.aws.auth.type is " + "Secret");
    }
    String secretName = ns + "/" + auth.secretRef().name();
    Secret secret = secrets.get(secretName);
    if (secret == null) {
      throw new Invalid("spec.aws.auth.secretRef: Secret " + secretName + " not found");
    }
    String accessKey = secretValue(secret, "accessKey", secretName);
    String secretKey = secretValue(secret, "secretKey", secretName);
    String sessionToken = optionalSecretValue(secret, "sessionToken", secretName);
    if (accessKey == null) {
      throw new Invalid("spec.aws.auth.secretRef: Secret " + secretName + " has no key accessKey");
    }
    if (secretKey == null) {
      throw new Invalid("spec.aws.auth.secretRef: Secret " + secretName + " has no key secretKey");
    }
    if (accessKey.isEmpty()
        || accessKey.length() > 128
        || !accessKey
            .chars()
            .allMatch(
                c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
      throw new Invalid(
          "spec.aws.auth.secretRef: Secret "
              + secretName
              + " key accessKey must be "
              + "1 to 128 letters and digits");
    }
    if (secretKey.isEmpty() || !printable(secretKey)) {
      throw new Invalid(
          "spec.aws.auth.secretRef: Secret "
              + secretName
              + " key secretKey must be "
              + "printable ASCII without spaces");
    }
    if (sessionToken != null && !printable(sessionToken)) {
      throw new Invalid(
          "spec.aws.auth.secretRef: Secret "
              + secretName
              + " key sessionToken must "
              + "be printable ASCII without spaces");
    }
    return new Resolved(
        target, new Credentials.Inline(accessKey, secretKey, sessionToken), chain, null);
  }

  private static String secretValue(Secret s, String key, String name) throws Invalid {
    return optionalSecretValue(s, key, name);
  }

  /**
   * {@code stringData} wins over {@code data}, as the API server merges them; trimmed; "" is
   * absent.
   */
  private static String optionalSecretValue(Secret s, String key, String name) throws Invalid {
    String value = null;
    Map<String, String> stringData = s.getStringData();
    Map<String, String> data = s.getData();
    if (stringData != null && stringData.get(key) != null) {
      value = stringData.get(key);
    } else if (data != null && data.get(key) != null) {
      try {
        value = new String(Base64.getMimeDecoder().decode(data.get(key)), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new Invalid(
            "spec.aws.auth.secretRef: Secret " + name + " key " + key + " is not valid base64");
      }
    }
    if (value == null) {
      return null;
    }
    value = value.strip();
    return value.isEmpty() && key.equals("sessionToken") ? null : value;
  }

  private static boolean printable(String v) {
    return v.chars().allMatch(c -> c > 0x20 && c < 0x7F);
  }

  /**
   * {@code spec.aws.lambda.retry} with its defaults, or null when absent. The CRD schema checks the
   * ranges too; this also serves file mode, which has no schema.
   */
  private static LambdaRetry retry(BackendSpec.Retry r) throws Invalid {
    if (r == null) {
      return null;
    }
    int attempts = r.attempts() == null ? LambdaRetry.DEFAULT_ATTEMPTS : r.attempts();
    if (attempts < 1 || attempts > LambdaRetry.MAX_ATTEMPTS) {
      throw new Invalid(
          "spec.aws.lambda.retry.attempts: must be from 1 to "
              + LambdaRetry.MAX_ATTEMPTS
              + ", got "
              + attempts);
    }
    List<Integer> codes =
        r.statusCodes() == null || r.statusCodes().isEmpty()
            ? LambdaRetry.DEFAULT_STATUS_CODES
            : r.statusCodes().stream().distinct().sorted().toList();
    for (Integer code : codes) {
      if (code == null || code < 400 || code > 599) {
        throw new Invalid(
            "spec.aws.lambda.retry.statusCodes: must be HTTP error statuses from 400 to 599, got "
                + code);
      }
    }
    long base =
        duration(r.baseInterval(), LambdaRetry.DEFAULT_BASE_INTERVAL_MILLIS, "retry.baseInterval");
    if (base < 1) {
      throw new Invalid("spec.aws.lambda.retry.baseInterval: must be at least 1ms");
    }
    long max = duration(r.maxInterval(), 10 * base, "retry.maxInterval");
    if (max < base) {
      throw new Invalid(
          "spec.aws.lambda.retry.maxInterval: must not be shorter than baseInterval ("
              + r.maxInterval()
              + " < "
              + base
              + "ms)");
    }
    return new LambdaRetry(attempts, codes, base, max);
  }

  private static long duration(String value, long defaultMillis, String field) throws Invalid {
    if (value == null) {
      return defaultMillis;
    }
    Long millis = GatewayDuration.millis(value);
    if (millis == null) {
      throw new Invalid(
          "spec.aws.lambda."
              + field
              + ": expected a duration such as 25ms, 1s or 1m30s, got '"
              + value
              + "'");
    }
    return millis;
  }
}
