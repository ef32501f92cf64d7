package dev.lambdagate.harness.emulator.sts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks STS parameters against the service model's constraints and words the problems as STS's
 * {@code ValidationError} does ("2 validation errors detected: Value null at 'roleArn' failed to
 * satisfy constraint: Member must not be null; ..."). Stateless and thread-safe.
 */
final class StsRequestValidation {

  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]*");
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws[a-zA-Z-]*:iam::(\\d{12}):role/(?:[^/]+/)*([^/]+)");

  private StsRequestValidation() {}

  /** The account and role name of a role ARN, or null when it is not one. */
  record RoleName(String accountId, String roleName) {
    static RoleName of(String roleArn) {
      var m = ROLE_ARN.matcher(roleArn);
      return m.matches() ? new RoleName(m.group(1), m.group(2)) : null;
    }
  }

  /**
   * The validation message for these parameters, or null when they are valid.
   *
   * @param webIdentity true for AssumeRoleWithWebIdentity (WebIdentityToken required)
   */
  static String problems(Map<String, String> params, boolean webIdentity) {
    List<String> problems = new ArrayList<>();
    length(problems, params, "RoleArn", "roleArn", 20, 2048);
    String sessionName = params.get("RoleSessionName");
    length(problems, params, "RoleSessionName", "roleSessionName", 2, 64);
    if (sessionName != null && !SESSION_NAME.matcher(sessionName).matches()) {
      problems.add(
          "Value '"
              + sessionName
              + "' at 'roleSessionName' failed to satisfy constraint: "
              + "Member must satisfy regular expression pattern: [\\w+=,.@-]*");
    }
    if (webIdentity) {
      String token = params.get("WebIdentityToken");
      // The token is a credential: never echo it.
      if (token == null) {
        problems.add(
            "Value null at 'webIdentityToken' failed to satisfy constraint: Member must not be null");
      } else if (token.length() < 4 || token.length() > 20000) {
        problems.add(
            "Value at 'webIdentityToken' failed to satisfy constraint: Member must have length "
                + (token.length() < 4
                    ? "greater than or equal to 4"
                    : "less than or equal to 20000"));
      }
    }
    String duration = params.get("DurationSeconds");
    if (duration != null) {
      Integer seconds = parseInt(duration);
      if (seconds == null || seconds < 900) {
        problems.add(
            "Value '"
                + duration
                + "' at 'durationSeconds' failed to satisfy constraint: "
                + "Member must have value greater than or equal to 900");
      } else if (seconds > 43200) {
        problems.add(
            "Value '"
                + duration
                + "' at 'durationSeconds' failed to satisfy constraint: "
                + "Member must have value less than or equal to 43200");
      }
    }
    if (problems.isEmpty()) {
      return null;
    }
    return problems.size()
        + " validation error"
        + (problems.size() == 1 ? "" : "s")
        + " detected: "
        + String.join("; ", problems);
  }

  /**
   * The validation message for GetSessionToken's parameters (DurationSeconds 900 to 129600 for an
   * IAM user; no MFA here), or null when they are valid.
   */
  static String sessionTokenProblems(Map<String, String> params) {
    String duration = params.get("DurationSeconds");
    if (duration == null) {
      return null;
    }
    Integer seconds = parseInt(duration);
    if (seconds == null || seconds < 900) {
      return "1 validation error detected: Value '"
          + duration
          + "' at 'durationSeconds' failed to satisfy "
          + "constraint: Member must have value greater than or equal to 900";
    }
    if (seconds > 129600) {
      return "1 validation error detected: Value '"
          + duration
          + "' at 'durationSeconds' failed to satisfy "
          + "constraint: Member must have value less than or equal to 129600";
    }
    return null;
  }

  /** A required string parameter with length bounds. */
  private static void length(
      List<String> problems,
      Map<String, String> params,
      String parameter,
      String member,
      int min,
      int max) {
    String value = params.get(parameter);
    if (value == null) {
      problems.add(
          "Value null at '" + member + "' failed to satisfy constraint: Member must not be null");
    } else if (value.length() < min) {
      problems.add(
          "Value '"
              + value
              + "' at '"
              + member
              + "' failed to satisfy constraint: "
              + "Member must have length greater than or equal to "
              + min);
    } else if (value.length() > max) {
      problems.add(
          "Value '"
              + value
              + "' at '"
              + member
              + "' failed to satisfy constraint: "
              + "Member must have length less than or equal to "
              + max);
    }
  }

  static Integer parseInt(String text) {
    try {
      return Integer.valueOf(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
