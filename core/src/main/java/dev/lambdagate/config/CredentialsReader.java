package dev.lambdagate.config;

import dev.lambdagate.json.JsonObject;

/** Reads and checks a {@code credentials} object. Error messages never quote a credential value. */
final class CredentialsReader {

  private CredentialsReader() {}

  /**
   * @param backendRegion the region of the backend, the default STS region
   */
  static CredentialSource read(JsonObject credentials, String path, String backendRegion)
      throws ConfigException {
    JsonFields f = new JsonFields(credentials, path);
    CredentialSource base = base(f, path, backendRegion);
    if (base instanceof PodIdentityCredentials && f.isSet("assumeRole")) {
      throw new ConfigException(
          f.pathOf("assumeRole"), "role chaining from podIdentity is not supported");
    }
    if (!f.isSet("assumeRole")) {
      return base;
    }
    return assumeRole(f.requiredObject("assumeRole"), f.pathOf("assumeRole"), base, backendRegion);
  }

  private static CredentialSource base(JsonFields f, String path, String backendRegion)
      throws ConfigException {
    boolean keys = f.isSet("accessKeyId") || f.isSet("secretAccessKey") || f.isSet("sessionToken");
    if (f.isSet("podIdentity")) {
      if (keys || f.isSet("webIdentity")) {
        throw new ConfigException(
            path, "expected one of accessKeyId and secretAccessKey, webIdentity or podIdentity");
      }
      return podIdentity(f.requiredObject("podIdentity"), f.pathOf("podIdentity"));
    }
    if (f.isSet("webIdentity")) {
      if (keys) {
        throw new ConfigException(
            path, "expected either accessKeyId and secretAccessKey or webIdentity, not both");
      }
      return webIdentity(f.requiredObject("webIdentity"), f.pathOf("webIdentity"), backendRegion);
    }
    String accessKeyId = f.requiredString("accessKeyId");
    for (int i = 0; i < accessKeyId.length(); i++) {
      char c = accessKeyId.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
        throw new ConfigException(f.pathOf("accessKeyId"), "must contain only letters and digits");
      }
    }
    if (accessKeyId.length() > 128) {
      throw new ConfigException(f.pathOf("accessKeyId"), "must be at most 128 characters");
    }
    String secretAccessKey = f.requiredString("secretAccessKey");
    checkPrintable(secretAccessKey, f.pathOf("secretAccessKey"));
    // An empty token (as a Kubernetes Secret with sessionToken: "" yields) means long-lived keys.
    String sessionToken = f.optionalString("sessionToken");
    if (sessionToken != null) {
      checkPrintable(sessionToken, f.pathOf("sessionToken"));
    }
    return new InlineCredentials(accessKeyId, secretAccessKey, sessionToken);
  }

  /**
   * {@code assumeRole}: the STS settings default to the web identity's; with inline keys {@code
   * stsCluster} is required and the region defaults to the backend's.
   */
  private static AssumeRoleCredentials assumeRole(
      JsonObject o, String path, CredentialSource base, String backendRegion)
      throws ConfigException {
    JsonFields f = new JsonFields(o, path);
    String roleArn = f.requiredString("roleArn");
    if (!isRoleArn(roleArn)) {
      throw new ConfigException(
          f.pathOf("roleArn"), "must be an IAM role ARN like arn:aws:iam::123456789012:role/name");
    }
    String sessionName = f.optionalString("roleSessionName");
    if (sessionName != null && !isSessionName(sessionName)) {
      throw new ConfigException(
          f.pathOf("roleSessionName"), "must be 2 to 64 characters of letters, digits and _+=,.@-");
    }
    String externalId = f.optionalString("externalId");
    if (externalId != null) {
      if (externalId.length() < 2 || externalId.length() > 1224) {
        throw new ConfigException(f.pathOf("externalId"), "must be 2 to 1224 characters");
      }
      checkPrintable(externalId, f.pathOf("externalId"));
    }
    WebIdentityCredentials web =
        base instanceof WebIdentityCredentials ? (WebIdentityCredentials) base : null;
    String stsRegion = f.optionalString("stsRegion");
    if (stsRegion == null) {
      stsRegion = web != null ? web.stsRegion() : backendRegion;
    } else if (!AwsRegion.isValid(stsRegion)) {
      throw new ConfigException(f.pathOf("stsRegion"), "must be a region name like us-east-1");
    }
    String endpointUrl = f.optionalString("stsEndpoint");
    Endpoint stsEndpoint;
    if (endpointUrl != null) {
      try {
        stsEndpoint = Endpoint.parse(endpointUrl);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(f.pathOf("stsEndpoint"), e.getMessage());
      }
    } else if (web != null && f.optionalString("stsRegion") == null) {
      stsEndpoint = web.stsEndpoint();
    } else {
      stsEndpoint = AwsRegion.serviceEndpoint("sts", stsRegion);
    }
    String stsCluster =
        web != null ? f.optionalString("stsCluster") : f.requiredString("stsCluster");
    if (stsCluster == null) {
      stsCluster = web.stsCluster();
    }
    return new AssumeRoleCredentials(
        base, roleArn, sessionName, externalId, stsRegion, stsEndpoint, stsCluster);
  }

  /** STS's RoleSessionName: 2 to 64 characters of {@code [\w+=,.@-]}. */
  static boolean isSessionName(String name) {
    if (name.length() < 2 || name.length() > 64) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "_+=,.@-".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static WebIdentityCredentials webIdentity(JsonObject o, String path, String backendRegion)
      throws ConfigException {
    JsonFields f = new JsonFields(o, path);
    String roleArn = f.requiredString("roleArn");
    if (!isRoleArn(roleArn)) {
      throw new ConfigException(
          f.pathOf("roleArn"), "must be an IAM role ARN like arn:aws:iam::123456789012:role/name");
    }
    String token = f.requiredString("token");
    checkPrintable(token, f.pathOf("token"));
    String stsRegion = f.optionalString("stsRegion");
    if (stsRegion == null) {
      stsRegion = backendRegion;
    } else if (!AwsRegion.isValid(stsRegion)) {
      throw new ConfigException(f.pathOf("stsRegion"), "must be a region name like us-east-1");
    }
    String endpointUrl = f.optionalString("stsEndpoint");
    Endpoint stsEndpoint;
    if (endpointUrl == null) {
      stsEndpoint = AwsRegion.serviceEndpoint("sts", stsRegion);
    } else {
      try {
        stsEndpoint = Endpoint.parse(endpointUrl);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(f.pathOf("stsEndpoint"), e.getMessage());
      }
    }
    String stsCluster = f.requiredString("stsCluster");
    return new WebIdentityCredentials(roleArn, token, stsRegion, stsEndpoint, stsCluster);
  }

  /**
   * {@code podIdentity}: {@code token} and {@code cluster} required, {@code authority} optional.
   */
  private static PodIdentityCredentials podIdentity(JsonObject o, String path)
      throws ConfigException {
    JsonFields f = new JsonFields(o, path);
    String token = f.requiredString("token");
    checkPrintable(token, f.pathOf("token"));
    String cluster = f.requiredString("cluster");
    String authority = f.optionalString("authority");
    if (authority == null) {
      authority = PodIdentityCredentials.DEFAULT_AUTHORITY;
    } else {
      checkPrintable(authority, f.pathOf("authority"));
    }
    return new PodIdentityCredentials(token, cluster, authority);
  }

  /**
   * {@code arn:<partition>:iam::<12 digits>:role/<path and name>}, 20 to 2048 characters as STS
   * requires.
   */
  static boolean isRoleArn(String arn) {
    if (arn.length() < 20 || arn.length() > 2048 || !arn.startsWith("arn:aws")) {
      return false;
    }
    int partitionEnd = arn.indexOf(':', 4);
    if (partitionEnd < 0 || !arn.startsWith(":iam::", partitionEnd)) {
      return false;
    }
    int accountStart = partitionEnd + 6;
    int accountEnd = arn.indexOf(':', accountStart);
    if (accountEnd < 0 || !FunctionName.isAccountId(arn.substring(accountStart, accountEnd))) {
      return false;
    }
    return arn.startsWith("role/", accountEnd + 1) && arn.length() > accountEnd + 6;
  }

  /**
   * Secrets and tokens are printable ASCII without spaces; a stray newline or space (a common
   * copy-and-paste accident) would otherwise only show up as a signature mismatch at AWS.
   */
  private static void checkPrintable(String value, String path) throws ConfigException {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= 0x20 || c >= 0x7F) {
        throw new ConfigException(
            path, "must contain only printable ASCII characters, without spaces");
      }
    }
  }
}
