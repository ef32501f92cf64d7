package dev.lambdagate.credentials;

import dev.lambdagate.sigv4.Credentials;

/** Waits for a credentials fetch: called once, with the credentials or the failure message. */
public interface CredentialsListener {
  void onCredentials(Credentials credentials);

  /** {@code message} names the failed STS action and STS's error, never a credential. */
  void onFailure(String message);
}
