package dev.lambdagate.controlplane.model;

/**
 * Where {@link ModelBuilder} gets the session credentials that stand in for a Secret's long-term
 * keys ({@link Credentials.SecretSession}). The real source exchanges the keys with STS {@code
 * GetSessionToken} in the background and refreshes them ({@code
 * dev.lambdagate.controlplane.sts.SecretSessions}); tests and {@code --dump} use a fixed
 * placeholder, so that building a model never touches the network.
 *
 * <p>Implementations are thread-safe: the builder may ask from any thread.
 */
public interface SessionCredentials {

  /**
   * The session to push for {@code source} now, or null when there is no valid one (the backend is
   * then not programmed). Asking for a source that is new starts its exchange.
   *
   * @param source the exchange, without a session ({@link Credentials.SecretSession#source()})
   */
  Credentials.Inline session(Credentials.SecretSession source);

  /** No session, ever: every exchanged backend stays unprogrammed (fails closed). */
  static SessionCredentials none() {
    return source -> null;
  }

  /**
   * The same fake session for every source: what {@code --dump} and the golden files show in place
   * of the credentials STS would issue. Not usable against AWS.
   */
  static SessionCredentials placeholder() {
    Credentials.Inline fake =
        new Credentials.Inline(
            "ASIASESSIONPLACEHOLDER",
            "session-secret-issued-by-sts-getsessiontoken",
            "session-token-issued-by-sts-getsessiontoken");
    return source -> fake;
  }
}
