package dev.lambdagate.config;

/**
 * Where a backend's AWS credentials come from: {@link InlineCredentials} given in the
 * configuration, {@link WebIdentityCredentials} exchanged with STS by the filter, optionally
 * chained to an assumed role ({@link AssumeRoleCredentials}), or {@link PodIdentityCredentials}
 * fetched from the EKS Pod Identity agent.
 */
public abstract class CredentialSource {

  CredentialSource() {}
}
