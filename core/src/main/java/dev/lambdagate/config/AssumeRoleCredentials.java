package dev.lambdagate.config;

/**
 * Role chaining ({@code credentials.assumeRole}): after the base credentials (web identity or
 * inline keys), the filter calls STS {@code AssumeRole}, SigV4-signed with them, and signs requests
 * with the assumed role's credentials. Immutable; {@link #toString()} shows no secret (the external
 * id is not one, but is shown only as present or not).
 */
public final class AssumeRoleCredentials extends CredentialSource {

  private final CredentialSource base;
  private final String roleArn;
  private final String roleSessionName;
  private final String externalId;
  private final String stsRegion;
  private final Endpoint stsEndpoint;
  private final String stsCluster;

  public AssumeRoleCredentials(
      CredentialSource base,
      String roleArn,
      String roleSessionName,
      String externalId,
      String stsRegion,
      Endpoint stsEndpoint,
      String stsCluster) {
    if (base == null
        || base instanceof AssumeRoleCredentials
        || roleArn == null
        || stsRegion == null
        || stsEndpoint == null
        || stsCluster == null) {
      throw new IllegalArgumentException(
          "assumeRole needs base credentials, a role ARN and an STS endpoint");
    }
    this.base = base;
    this.roleArn = roleArn;
    this.roleSessionName = roleSessionName;
    this.externalId = externalId;
    this.stsRegion = stsRegion;
    this.stsEndpoint = stsEndpoint;
    this.stsCluster = stsCluster;
  }

  /**
   * The credentials that sign the AssumeRole call: {@link InlineCredentials} or {@link
   * WebIdentityCredentials}.
   */
  public CredentialSource base() {
    return base;
  }

  public String roleArn() {
    return roleArn;
  }

  /**
   * The RoleSessionName, or null for one the filter makes up ({@code lambdagate-<epoch seconds>}).
   */
  public String roleSessionName() {
    return roleSessionName;
  }

  /** The ExternalId the role's trust policy asks for, or null. */
  public String externalId() {
    return externalId;
  }

  /** The signing region of the AssumeRole call. */
  public String stsRegion() {
    return stsRegion;
  }

  public Endpoint stsEndpoint() {
    return stsEndpoint;
  }

  /** The Envoy cluster through which the filter calls STS. */
  public String stsCluster() {
    return stsCluster;
  }

  @Override
  public String toString() {
    return "AssumeRoleCredentials{base="
        + base
        + ", roleArn="
        + roleArn
        + ", roleSessionName="
        + roleSessionName
        + ", externalId="
        + (externalId == null ? "none" : "set")
        + ", stsRegion="
        + stsRegion
        + ", stsEndpoint="
        + stsEndpoint
        + ", stsCluster="
        + stsCluster
        + "}";
  }
}
