package dev.lambdagate.credentials;

/**
 * A provider whose credentials are fetched over the network (STS, the EKS Pod Identity agent):
 * {@link #credentials()} may answer null while a fetch runs or after one failed. A caller that got
 * null answers at once when {@link #failing()}, else {@link #await}s the fetch in flight, which
 * every waiter shares.
 *
 * <p>Not thread-safe: a Wasm VM is single-threaded.
 */
public interface FetchedCredentialsProvider extends CredentialsProvider {
  /** No credentials now, and the last fetch failed less than a backoff ago. */
  boolean failing();

  /** The last failure's message (see {@link CredentialsListener#onFailure}), or null. */
  String failureMessage();

  /**
   * Waits for the fetch in flight (starting one if none is): {@code listener} is called once when
   * it ends. Call after {@link #credentials()} returned null and {@link #failing()} is false.
   */
  void await(CredentialsListener listener);

  /** Reports each fetch's outcome to {@code events} from now on (metrics); none by default. */
  void reportTo(CredentialsEvents events);
}
