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

  /** Envoy cluster name of a Backend. */
  public static String clusterName(String namespace, String name) {
    return "lambdagate|" + namespace + "|" + name;
  }
}
