package dev.lambdagate.config;

/**
 * Credentials from the EKS Pod Identity agent ({@code credentials.podIdentity}): the filter calls
 * {@code GET /v1/credentials} through {@code cluster} with the proxy ServiceAccount's token
 * (audience {@code pods.eks.amazonaws.com}) as {@code Authorization}. Immutable; {@link
 * #toString()} never shows the token.
 */
public final class PodIdentityCredentials extends CredentialSource {
  /** The agent's IPv4 link-local address (IPv6: {@code [fd00:ec2::23]}). */
  public static final String DEFAULT_AUTHORITY = "169.254.170.23";

  private final String token;
  private final String cluster;
  private final String authority;

  public PodIdentityCredentials(String token, String cluster, String authority) {
    if (token == null || cluster == null || authority == null) {
      throw new IllegalArgumentException("every pod identity setting is required");
    }
    this.token = token;
    this.cluster = cluster;
    this.authority = authority;
  }

  /** The ServiceAccount token sent as {@code Authorization}. */
  public String token() {
    return token;
  }

  /** The Envoy cluster through which the filter calls the agent. */
  public String cluster() {
    return cluster;
  }

  /** The {@code :authority} of the call; defaults to the agent's {@code 169.254.170.23}. */
  public String authority() {
    return authority;
  }

  @Override
  public String toString() {
    return "PodIdentityCredentials{token=<redacted>, cluster="
        + cluster
        + ", authority="
        + authority
        + "}";
  }
}
