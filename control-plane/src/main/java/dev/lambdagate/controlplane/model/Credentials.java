package dev.lambdagate.controlplane.model;

/** How the filter gets AWS credentials for one backend. {@code toString} never shows a secret. */
public sealed interface Credentials {

  /** Whether the filter gets these from STS (and the control plane can check them there). */
  default boolean fromSts() {
    return !(this instanceof Inline);
  }

  /** Keys from a Secret ({@code accessKey}, {@code secretKey}, optional {@code sessionToken}). */
  record Inline(String accessKeyId, String secretAccessKey, String sessionToken)
      implements Credentials {
    @Override
    public String toString() {
      return "Inline[accessKeyId=" + accessKeyId + ", secretAccessKey=<redacted>, sessionToken="
          + (sessionToken == null ? "none" : "<redacted>") + "]";
    }
  }

  /**
   * IRSA: a ServiceAccount token the filter exchanges with STS (AssumeRoleWithWebIdentity).
   *
   * @param stsCluster the Envoy cluster the filter calls STS through
   */
  record WebIdentity(String roleArn, String token, String stsRegion, Endpoint stsEndpoint,
      String stsCluster) implements Credentials {
    @Override
    public String toString() {
      return "WebIdentity[roleArn=" + roleArn + ", token=<redacted>, stsRegion=" + stsRegion
          + ", stsEndpoint=" + stsEndpoint.url() + ", stsCluster=" + stsCluster + "]";
    }
  }

  /**
   * Role chaining ({@code auth.type: AssumeRole}): the filter gets {@code base} credentials, then
   * calls STS {@code AssumeRole} signed with them and signs Invoke calls with the role's.
   */
  record Chained(Credentials base, String roleArn, String roleSessionName, String externalId,
      String stsRegion, Endpoint stsEndpoint, String stsCluster) implements Credentials {}
}
