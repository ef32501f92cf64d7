package dev.lambdagate.config;

/** A backend that turns requests into Lambda Invoke calls. */
public final class LambdaBackend extends Backend {

  private final LambdaConfig lambda;
  private final CredentialSource credentials;

  public LambdaBackend(LambdaConfig lambda, CredentialSource credentials) {
    this.lambda = lambda;
    this.credentials = credentials;
  }

  public LambdaConfig lambda() {
    return lambda;
  }

  public CredentialSource credentials() {
    return credentials;
  }

  @Override
  public String toString() {
    return "LambdaBackend{" + lambda + ", " + credentials + "}";
  }
}
