package dev.lambdagate.filter;

import dev.lambdagate.sdk.Action;
import dev.lambdagate.sdk.HttpContext;

/**
 * One HTTP stream: picks its backend when the request headers arrive, then hands every phase to
 * that backend's {@link StreamHandler}. A request no backend claims passes untouched.
 */
final class LambdagateHttpContext extends HttpContext {
  private static final StreamHandler PASS_THROUGH = new StreamHandler() {};

  private final FilterRootContext root;
  private StreamHandler handler = PASS_THROUGH;

  LambdagateHttpContext(int contextId, FilterRootContext root) {
    super(contextId);
    this.root = root;
  }

  @Override
  public Action onRequestHeaders(int headers, boolean endOfStream) {
    FilterRootContext.MetadataRoute route = root.routeEntry();
    String routeName = root.routeName();
    PreparedBackend backend =
        route != null && route.invalid != null ? route.invalid : root.select(routeName);
    if (backend == null) {
      return Action.CONTINUE;
    }
    // Read while the request headers are surely there: an error reply in any later phase (or
    // from a call-out) names the request by this id, and so does its log line.
    captureRequestId();
    switch (backend.kind()) {
      case SIGN:
        handler = new SigningStream(backend);
        break;
      case LAMBDA:
        handler =
            new LambdaStream(
                backend, route != null ? route.filters : root.routeFilters(routeName), this);
        break;
      default:
        LocalReplies.send(500, "backend_invalid", backend.error());
        return Action.PAUSE;
    }
    return handler.onRequestHeaders(headers, endOfStream);
  }

  @Override
  public Action onRequestBody(int bodySize, boolean endOfStream) {
    return handler.onRequestBody(bodySize, endOfStream);
  }

  @Override
  public Action onResponseHeaders(int headers, boolean endOfStream) {
    return handler.onResponseHeaders(headers, endOfStream);
  }

  @Override
  public Action onResponseBody(int bodySize, boolean endOfStream) {
    return handler.onResponseBody(bodySize, endOfStream);
  }

  @Override
  public void onHttpCallResponse(int token, int headers, int bodySize, int trailers) {
    handler.onHttpCallResponse(token, headers, bodySize, trailers);
  }
}
