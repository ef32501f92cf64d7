package dev.lambdagate.controlplane.model;

import dev.lambdagate.controlplane.state.ResourceKey;

/**
 * One backend as a Gateway's filter sees it: a Lambda function with credentials, or an error.
 *
 * @param id the filter's backend id, {@code ns/name}
 * @param clusterName the Envoy cluster routes use for it, {@code lambdagate|ns|name}
 * @param source the Backend object, or null for a reference that resolved to nothing
 * @param lambda the function; null when {@code error} is set
 * @param credentials null when {@code error} is set
 * @param error why requests to it get 500, or null
 */
public record BackendModel(
    String id,
    String clusterName,
    ResourceKey source,
    LambdaTarget lambda,
    Credentials credentials,
    String error) {

  public boolean valid() {
    return error == null;
  }

  /**
   * Why requests to this backend must be refused although it is valid: its credentials are a
   * Secret's keys to be exchanged and no session is there to push (the long-term keys never are).
   * Null when it can be served.
   */
  public String notProgrammedReason() {
    Credentials c = credentials;
    if (c instanceof Credentials.Chained ch) {
      c = ch.base();
    }
    if (c instanceof Credentials.SecretSession s && s.session() == null) {
      return "Backend "
          + id
          + ": no session credentials for its Secret's keys yet (the"
          + " control plane exchanges them with STS GetSessionToken and pushes only the session;"
          + " see the Backend's CredentialsReady condition)";
    }
    return null;
  }

  /** Envoy cluster name of a Backend. */
  public static String clusterName(String namespace, String name) {
    return "lambdagate|" + namespace + "|" + name;
  }
}
