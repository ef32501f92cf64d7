package dev.lambdagate.filter;

import dev.lambdagate.credentials.CredentialsListener;
import dev.lambdagate.credentials.CredentialsProvider;
import dev.lambdagate.credentials.FetchedCredentialsProvider;
import dev.lambdagate.sdk.AbiConstants;
import dev.lambdagate.sdk.Action;
import dev.lambdagate.sdk.Dispatcher;
import dev.lambdagate.sdk.Host;
import dev.lambdagate.sdk.HttpContext;
import dev.lambdagate.sigv4.Credentials;

/**
 * Where a stream asks for credentials before it signs. Inline keys are there at once. Fetched
 * credentials (STS, the EKS Pod Identity agent) may not be: then the stream is paused, joins the
 * one STS call in flight (every stream of the VM shares it), and is resumed when the call answers —
 * its {@link Continuation} runs again with the stream as effective context and, if it continues,
 * the stream is continued ({@code proxy_continue_stream}) — or answered {@code 503
 * credentials_unavailable}, the STS failure logged under the reply's request id. While the last
 * fetch failed and the retry backoff runs, requests get that 503 at once, never a hang.
 */
final class CredentialsGate {
  /** The stream's step that needed credentials, run again once they are there. */
  interface Continuation {
    /** {@link Action#CONTINUE} or {@link Action#PAUSE}. */
    Action run();
  }

  private CredentialsGate() {}

  /**
   * Credentials valid now, or null: the request was answered (503), or is paused and will be
   * resumed through {@code then}. The caller returns {@link Action#PAUSE} on null.
   */
  static Credentials acquire(PreparedBackend backend, Continuation then) {
    CredentialsProvider provider = backend.credentials();
    Credentials credentials = provider.credentials();
    if (credentials != null) {
      return credentials;
    }
    if (!(provider instanceof FetchedCredentialsProvider)) {
      unavailable("no AWS credentials are available");
      return null;
    }
    FetchedCredentialsProvider sts = (FetchedCredentialsProvider) provider;
    if (sts.failing()) {
      unavailable(sts.failureMessage());
      return null;
    }
    HttpContext stream = Dispatcher.currentStream();
    if (stream == null) {
      unavailable("no AWS credentials are available yet");
      return null;
    }
    sts.await(
        new CredentialsListener() {
          @Override
          public void onCredentials(Credentials ready) {
            Dispatcher.resumeStream(
                stream,
                () -> {
                  if (then.run() == Action.CONTINUE) {
                    Host.continueStream(AbiConstants.STREAM_REQUEST);
                  }
                });
          }

          @Override
          public void onFailure(String message) {
            Dispatcher.resumeStream(stream, () -> unavailable(message));
          }
        });
    return null;
  }

  private static void unavailable(String message) {
    LocalReplies.send(503, "credentials_unavailable", message);
  }
}
