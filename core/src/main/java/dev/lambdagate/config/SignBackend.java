package dev.lambdagate.config;

/** A backend that SigV4-signs requests and lets them continue to their AWS service. */
public final class SignBackend extends Backend {

  private final SignConfig sign;
  private final CredentialSource credentials;

  public SignBackend(SignConfig sign, CredentialSource credentials) {
    this.sign = sign;
    this.credentials = credentials;
  }

  public SignConfig sign() {
    return sign;
  }

  public CredentialSource credentials() {
    return credentials;
  }

  @Override
  public String toString() {
    return "SignBackend{" + sign + ", " + credentials + "}";
  }
}
