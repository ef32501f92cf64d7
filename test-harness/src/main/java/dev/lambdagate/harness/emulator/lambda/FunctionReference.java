package dev.lambdagate.harness.emulator.lambda;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code FunctionName} of an Invoke request, taken apart. Accepted forms (each may end in
 * {@code :qualifier}): {@code name}, {@code 123456789012:function:name} (partial ARN) and {@code
 * arn:aws:lambda:us-east-1:123456789012:function:name} (full ARN).
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the bare function name
 * @param qualifier version or alias from the name itself, or null
 * @param region region from a full ARN, or null
 * @param accountId account from an ARN, or null
 */
public record FunctionReference(String name, String qualifier, String region, String accountId) {

  /** The FunctionName pattern from the Lambda service model, quoted in validation errors. */
  public static final String MODEL_PATTERN =
      "(arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?"
          + "-[a-z]+-\\d{1}:\\d{12}:|(((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?))"
          + "(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?";

  private static final String NAME = "([a-zA-Z0-9-_.]{1,64})";
  private static final String QUALIFIER = "(?::(\\$LATEST(?:\\.PUBLISHED)?|[a-zA-Z0-9-_]{1,128}))?";
  private static final Pattern FULL_ARN =
      Pattern.compile(
          "arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\\d{12}):function:" + NAME + QUALIFIER);
  private static final Pattern PARTIAL_ARN =
      Pattern.compile("(\\d{12}):function:" + NAME + QUALIFIER);
  private static final Pattern PLAIN = Pattern.compile(NAME + QUALIFIER);

  /** The query parameter {@code Qualifier}'s pattern, from the service model. */
  public static final Pattern QUALIFIER_PARAMETER =
      Pattern.compile("\\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]{1,128}");

  /**
   * Parses an already percent-decoded FunctionName.
   *
   * @throws IllegalArgumentException with Lambda's {@code ValidationException} message
   */
  public static FunctionReference parse(String functionName) {
    if (functionName.length() <= 256) {
      Matcher m = FULL_ARN.matcher(functionName);
      if (m.matches()) {
        return new FunctionReference(m.group(3), m.group(4), m.group(1), m.group(2));
      }
      m = PARTIAL_ARN.matcher(functionName);
      if (m.matches()) {
        return new FunctionReference(m.group(2), m.group(3), null, m.group(1));
      }
      m = PLAIN.matcher(functionName);
      if (m.matches()) {
        return new FunctionReference(m.group(1), m.group(2), null, null);
      }
    }
    throw new IllegalArgumentException(
        "1 validation error detected: Value '"
            + functionName
            + "' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
            + MODEL_PATTERN);
  }

  /** This reference with the qualifier set (from {@code ?Qualifier=}). */
  public FunctionReference withQualifier(String newQualifier) {
    return new FunctionReference(name, newQualifier, region, accountId);
  }

  /**
   * The ARN Lambda prints in "Function not found" messages, using this reference's region and
   * account where it names them and the emulator's otherwise.
   */
  public String arn(String defaultRegion, String defaultAccountId) {
    return "arn:aws:lambda:"
        + (region != null ? region : defaultRegion)
        + ":"
        + (accountId != null ? accountId : defaultAccountId)
        + ":function:"
        + name
        + (qualifier != null ? ":" + qualifier : "");
  }
}
