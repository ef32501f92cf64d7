package dev.lambdagate.credentials;

import dev.lambdagate.sigv4.Credentials;

/** Credentials given in the configuration (for example from a Kubernetes Secret). Immutable. */
public final class StaticCredentialsProvider implements CredentialsProvider {
  private final Credentials credentials;

  public StaticCredentialsProvider(Credentials credentials) {
    this.credentials = credentials;
  }

  @Override
  public Credentials credentials() {
    return credentials;
  }

  @Override
  public String toString() {
    return "StaticCredentialsProvider[" + credentials + "]";
  }
}
