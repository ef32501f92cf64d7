package dev.lambdagate.filter;

import dev.lambdagate.sdk.Action;
import dev.lambdagate.sdk.Host;
import dev.lambdagate.sdk.HttpContext;

/**
 * One HTTP stream: picks its backend when the request headers arrive, then hands every phase to
 * that backend's {@link StreamHandler}. A request no backend claims passes untouched.
 *
 * <p>For a claimed request it also keeps the request's metrics: the time spent in its callbacks
 * (two monotonic clock reads per callback, recorded once into {@link FilterStats#FILTER_TIME_US}
 * when the stream is done) and the one outcome the client got ({@link #recordResponse}, {@link
 * #recordLocalReply}). No allocation for either.
 */
final class LambdagateHttpContext extends HttpContext {
  /** Until a backend claims the request (never called: an unclaimed stream passes untouched). */
  private static final StreamHandler PASS_THROUGH =
      new StreamHandler() {
        @Override
        public Action onRequestTrailers(int trailerCount) {
          return Action.CONTINUE;
        }
      };

  /** A claimed request already answered by the filter: nothing of it goes on. */
  private static final StreamHandler ANSWERED =
      new StreamHandler() {
        @Override
        public Action onRequestBody(int bodySize, boolean endOfStream) {
          return Action.PAUSE;
        }

        @Override
        public Action onRequestTrailers(int trailerCount) {
          return Action.PAUSE;
        }
      };

  private final FilterRootContext root;
  private StreamHandler handler = PASS_THROUGH;

  /** The request's backend, or null while none claimed it. */
  private PreparedBackend backend;

  /** Nanoseconds spent in this stream's callbacks so far. */
  private long filterNanos;

  /** The client's status has been counted (each request counts once). */
  private boolean outcomeRecorded;

  LambdagateHttpContext(int contextId, FilterRootContext root) {
    super(contextId);
    this.root = root;
  }

  @Override
  public Action onRequestHeaders(int headers, boolean endOfStream) {
    long start = Host.monotonicNanos();
    FilterRootContext.MetadataRoute route = root.routeEntry();
    String routeName = root.routeName();
    PreparedBackend selected =
        route != null && route.invalid != null ? route.invalid : root.select(routeName);
    if (selected == null) {
      return Action.CONTINUE;
    }
    backend = selected;
    try {
      // Read while the request headers are surely there: an error reply in any later phase (or
      // from a call-out) names the request by this id, and so does its log line.
      captureRequestId();
      switch (selected.kind()) {
        case SIGN:
          handler = new SigningStream(selected);
          break;
        case LAMBDA:
          handler =
              new LambdaStream(
                  selected, route != null ? route.filters : root.routeFilters(routeName), this);
          break;
        default:
          handler = ANSWERED;
          LocalReplies.send(500, "backend_invalid", selected.error());
          return Action.PAUSE;
      }
      return handler.onRequestHeaders(headers, endOfStream);
    } finally {
      filterNanos += Host.monotonicNanos() - start;
    }
  }

  @Override
  public Action onRequestBody(int bodySize, boolean endOfStream) {
    if (backend == null) {
      return Action.CONTINUE;
    }
    long start = Host.monotonicNanos();
    try {
      return handler.onRequestBody(bodySize, endOfStream);
    } finally {
      filterNanos += Host.monotonicNanos() - start;
    }
  }

  @Override
  public Action onRequestTrailers(int trailers) {
    if (backend == null) {
      return Action.CONTINUE;
    }
    long start = Host.monotonicNanos();
    try {
      return handler.onRequestTrailers(trailers);
    } finally {
      filterNanos += Host.monotonicNanos() - start;
    }
  }

  @Override
  public Action onResponseHeaders(int headers, boolean endOfStream) {
    if (backend == null || backend.kind() == PreparedBackend.Kind.SIGN) {
      return Action.CONTINUE; // signing mode does nothing with the response: no clock reads
    }
    long start = Host.monotonicNanos();
    try {
      return handler.onResponseHeaders(headers, endOfStream);
    } finally {
      filterNanos += Host.monotonicNanos() - start;
    }
  }

  @Override
  public Action onResponseBody(int bodySize, boolean endOfStream) {
    if (backend == null || backend.kind() == PreparedBackend.Kind.SIGN) {
      return Action.CONTINUE;
    }
    long start = Host.monotonicNanos();
    try {
      return handler.onResponseBody(bodySize, endOfStream);
    } finally {
      filterNanos += Host.monotonicNanos() - start;
    }
  }

  @Override
  public void onHttpCallResponse(int token, int headers, int bodySize, int trailers) {
    long start = Host.monotonicNanos();
    try {
      handler.onHttpCallResponse(token, headers, bodySize, trailers);
    } finally {
      filterNanos += Host.monotonicNanos() - start;
    }
  }

  @Override
  public void onFilterError() {
    recordLocalReply(500);
  }

  @Override
  public void onDone() {
    if (backend != null) {
      FilterStats.FILTER_TIME_US.record(filterNanos / 1000L);
    }
  }

  /** The stream's backend's stats, or null for a request no backend claimed. */
  BackendStats stats() {
    return backend == null ? null : backend.stats();
  }

  /** Counts the status the client got from the function (mapped by the filter). */
  void recordResponse(int status) {
    if (backend != null && !outcomeRecorded) {
      outcomeRecorded = true;
      backend.stats().response(status);
    }
  }

  /**
   * Counts a reply the filter made itself ({@code local_reply} and the status class); in signing
   * mode that reply means the request could not be signed ({@code signing_failed}).
   */
  void recordLocalReply(int status) {
    if (backend != null && !outcomeRecorded) {
      outcomeRecorded = true;
      BackendStats stats = backend.stats();
      stats.localReply.increment();
      stats.response(status);
      if (backend.kind() == PreparedBackend.Kind.SIGN) {
        stats.signingFailed.increment();
      }
    }
  }

  /** The stream whose callback runs, if it is lambdagate's, else null. */
  static LambdagateHttpContext current() {
    HttpContext stream = dev.lambdagate.sdk.Dispatcher.currentStream();
    return stream instanceof LambdagateHttpContext ? (LambdagateHttpContext) stream : null;
  }
}
