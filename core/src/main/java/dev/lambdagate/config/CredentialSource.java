package dev.lambdagate.config;

/**
 * Where a backend's AWS credentials come from: {@link InlineCredentials} given in the
 * configuration, or {@link WebIdentityCredentials} exchanged with STS by the filter, optionally
 * chained to an assumed role ({@link AssumeRoleCredentials}).
 */
public abstract class CredentialSource {

  CredentialSource() {}
}
