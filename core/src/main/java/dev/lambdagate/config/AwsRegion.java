package dev.lambdagate.config;

/** What the filter needs to know about an AWS region name such as {@code us-east-1}. */
public final class AwsRegion {

  private static final String COMMERCIAL_SUFFIX = "amazonaws.com";
  private static final String CHINA_SUFFIX = "amazonaws.com.cn";
  private static final String ISO_SUFFIX = "c2s.ic.gov";
  private static final String ISO_B_SUFFIX = "sc2s.sgov.gov";

  private AwsRegion() {}

  /**
   * Whether {@code name} looks like a region: lower-case letters, digits and single dashes,
   * starting with a letter, at most 32 characters. The name ends up in a host name and in the SigV4
   * credential scope, so nothing else may get through.
   */
  public static boolean isValid(String name) {
    int length = name.length();
    if (length == 0 || length > 32) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = name.charAt(i);
      boolean letter = c >= 'a' && c <= 'z';
      boolean digit = c >= '0' && c <= '9';
      if (c == '-') {
        if (i == 0 || i == length - 1 || name.charAt(i - 1) == '-') {
          return false;
        }
      } else if (!letter && !(digit && i > 0)) {
        return false;
      }
    }
    return true;
  }

  /** The ARN partition of the region: {@code aws}, {@code aws-cn}, {@code aws-us-gov}, ... */
  public static String partition(String region) {
    if (region.startsWith("cn-")) {
      return "aws-cn";
    }
    if (region.startsWith("us-gov-")) {
      return "aws-us-gov";
    }
    if (region.startsWith("us-isob-")) {
      return "aws-iso-b";
    }
    if (region.startsWith("us-iso-")) {
      return "aws-iso";
    }
    return "aws";
  }

  /** The DNS suffix of the region's service endpoints, e.g. {@code amazonaws.com}. */
  public static String dnsSuffix(String region) {
    switch (partition(region)) {
      case "aws-cn":
        return CHINA_SUFFIX;
      case "aws-iso":
        return ISO_SUFFIX;
      case "aws-iso-b":
        return ISO_B_SUFFIX;
      default:
        return COMMERCIAL_SUFFIX;
    }
  }

  /**
   * Every DNS suffix {@link #dnsSuffix} can return (one per partition family; GovCloud shares
   * {@code amazonaws.com}): what a regional AWS endpoint name may end with.
   */
  public static String[] dnsSuffixes() {
    return new String[] {COMMERCIAL_SUFFIX, CHINA_SUFFIX, ISO_SUFFIX, ISO_B_SUFFIX};
  }

  /**
   * The regional HTTPS endpoint of {@code service}, e.g. {@code
   * https://lambda.us-east-1.amazonaws.com}.
   */
  public static Endpoint serviceEndpoint(String service, String region) {
    return Endpoint.https(service + "." + region + "." + dnsSuffix(region));
  }
}
