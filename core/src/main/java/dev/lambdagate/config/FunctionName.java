package dev.lambdagate.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A Lambda {@code FunctionName} split into its parts. Accepted forms (AWS Invoke API): {@code
 * name}, {@code name:qualifier}, {@code 123456789012:function:name[:qualifier]} (partial ARN) and
 * {@code arn:aws:lambda:us-east-1:123456789012:function:name[:qualifier]} (full ARN).
 */
public final class FunctionName {

  public static final int MAX_LENGTH = 256;
  public static final int MAX_NAME_LENGTH = 64;

  private static final String FORMS =
      "must be a function name, name:qualifier, "
          + "a partial ARN 123456789012:function:name or a full ARN "
          + "arn:aws:lambda:region:123456789012:function:name";

  private final String text;
  private final String name;
  private final String qualifier;
  private final String accountId;
  private final String region;
  private final boolean plainName;

  private FunctionName(
      String text, String name, String qualifier, String accountId, String region, boolean plain) {
    this.text = text;
    this.name = name;
    this.qualifier = qualifier;
    this.accountId = accountId;
    this.region = region;
    this.plainName = plain;
  }

  /**
   * Parses and checks a function name.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static FunctionName parse(String text) {
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("must be at most " + MAX_LENGTH + " characters");
    }
    List<String> parts = splitOnColons(text);
    if (parts.get(0).equals("arn")) {
      if (parts.size() != 7 && parts.size() != 8) {
        throw new IllegalArgumentException(FORMS);
      }
      if (!isPartition(parts.get(1))
          || !parts.get(2).equals("lambda")
          || !parts.get(5).equals("function")) {
        throw new IllegalArgumentException(FORMS);
      }
      if (!AwsRegion.isValid(parts.get(3))) {
        throw new IllegalArgumentException("the region in the ARN is not a valid region name");
      }
      checkAccountId(parts.get(4));
      String qualifier = parts.size() == 8 ? checkQualifier(parts.get(7)) : null;
      return new FunctionName(
          text, checkName(parts.get(6)), qualifier, parts.get(4), parts.get(3), false);
    }
    if (parts.size() >= 3 && parts.get(1).equals("function")) {
      if (parts.size() > 4) {
        throw new IllegalArgumentException(FORMS);
      }
      checkAccountId(parts.get(0));
      String qualifier = parts.size() == 4 ? checkQualifier(parts.get(3)) : null;
      return new FunctionName(text, checkName(parts.get(2)), qualifier, parts.get(0), null, false);
    }
    if (parts.size() > 2) {
      throw new IllegalArgumentException(FORMS);
    }
    String qualifier = parts.size() == 2 ? checkQualifier(parts.get(1)) : null;
    return new FunctionName(text, checkName(parts.get(0)), qualifier, null, null, true);
  }

  /** Whether {@code id} is an AWS account id: exactly 12 digits. */
  public static boolean isAccountId(String id) {
    if (id.length() != 12) {
      return false;
    }
    for (int i = 0; i < 12; i++) {
      char c = id.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code q} is a valid {@code Qualifier} parameter: 1 to 128 letters, digits, '-', '_' or
   * '$' (so {@code $LATEST}, a version number or an alias), or {@code $LATEST.PUBLISHED}.
   */
  public static boolean isQualifier(String q) {
    if (q.equals("$LATEST.PUBLISHED")) {
      return true;
    }
    if (q.isEmpty() || q.length() > 128) {
      return false;
    }
    for (int i = 0; i < q.length(); i++) {
      char c = q.charAt(i);
      if (!isNameChar(c) && c != '$') {
        return false;
      }
    }
    return true;
  }

  private static String checkName(String name) {
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "the function name must be 1 to 64 letters, digits, '-' or '_'");
    }
    for (int i = 0; i < name.length(); i++) {
      if (!isNameChar(name.charAt(i))) {
        throw new IllegalArgumentException(
            "the function name must be 1 to 64 letters, digits, '-' or '_'");
      }
    }
    return name;
  }

  /** A qualifier inside a function name: $LATEST[.PUBLISHED], a version or an alias. */
  private static String checkQualifier(String q) {
    boolean ok = q.equals("$LATEST") || q.equals("$LATEST.PUBLISHED");
    if (!ok && !q.isEmpty() && q.length() <= 128) {
      ok = true;
      for (int i = 0; i < q.length() && ok; i++) {
        ok = isNameChar(q.charAt(i));
      }
    }
    if (!ok) {
      throw new IllegalArgumentException(
          "the qualifier after the function name must be $LATEST, a version or an alias "
              + "(letters, digits, '-' or '_')");
    }
    return q;
  }

  private static void checkAccountId(String id) {
    if (!isAccountId(id)) {
      throw new IllegalArgumentException("the account id in the ARN must be 12 digits");
    }
  }

  private static boolean isPartition(String p) {
    if (!p.equals("aws") && !p.startsWith("aws-")) {
      return false;
    }
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (!(c >= 'a' && c <= 'z') && c != '-') {
        return false;
      }
    }
    return true;
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_';
  }

  private static List<String> splitOnColons(String text) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == ':') {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    return parts;
  }

  /** The function name as configured. */
  public String text() {
    return text;
  }

  /** The bare function name, e.g. {@code echo}. */
  public String name() {
    return name;
  }

  /** The qualifier written after the name, or null. */
  public String qualifier() {
    return qualifier;
  }

  /** The account id written in a (partial) ARN, or null. */
  public String accountId() {
    return accountId;
  }

  /** The region written in a full ARN, or null. */
  public String region() {
    return region;
  }

  /**
   * The full ARN of this function (with its qualifier, if written) in {@code region} of {@code
   * accountId}: {@code arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]}.
   */
  public String arn(String region, String accountId) {
    return "arn:"
        + AwsRegion.partition(region)
        + ":lambda:"
        + region
        + ":"
        + accountId
        + ":function:"
        + name
        + (qualifier == null ? "" : ":" + qualifier);
  }

  /** Whether the name is neither a partial nor a full ARN. */
  public boolean isPlainName() {
    return plainName;
  }
}
