package dev.lambdagate.config;

/**
 * Credentials obtained by exchanging a web identity token (IRSA: the pod's service account token)
 * for a role's temporary credentials with STS {@code AssumeRoleWithWebIdentity} ({@code
 * credentials.webIdentity}). {@link #toString()} never shows the token.
 */
public final class WebIdentityCredentials extends CredentialSource {

  private final String roleArn;
  private final String token;
  private final String stsRegion;
  private final Endpoint stsEndpoint;
  private final String stsCluster;

  public WebIdentityCredentials(
      String roleArn, String token, String stsRegion, Endpoint stsEndpoint, String stsCluster) {
    if (roleArn == null
        || token == null
        || stsRegion == null
        || stsEndpoint == null
        || stsCluster == null) {
      throw new IllegalArgumentException("every web identity setting is required");
    }
    this.roleArn = roleArn;
    this.token = token;
    this.stsRegion = stsRegion;
    this.stsEndpoint = stsEndpoint;
    this.stsCluster = stsCluster;
  }

  /** The IAM role to assume, e.g. {@code arn:aws:iam::123456789012:role/lambda-invoker}. */
  public String roleArn() {
    return roleArn;
  }

  /** The web identity token (a JWT) sent to STS. */
  public String token() {
    return token;
  }

  /** The STS region; defaults to the backend's region. */
  public String stsRegion() {
    return stsRegion;
  }

  /** The STS endpoint; defaults to {@code https://sts.{stsRegion}.amazonaws.com}. */
  public Endpoint stsEndpoint() {
    return stsEndpoint;
  }

  /** The Envoy cluster through which the filter calls STS. */
  public String stsCluster() {
    return stsCluster;
  }

  @Override
  public String toString() {
    return "WebIdentityCredentials{roleArn="
        + roleArn
        + ", token=<redacted>, stsRegion="
        + stsRegion
        + ", stsEndpoint="
        + stsEndpoint
        + ", stsCluster="
        + stsCluster
        + "}";
  }
}
