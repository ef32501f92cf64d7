package dev.lambdagate.filter;

import dev.lambdagate.sdk.HttpContext;
import dev.lambdagate.sdk.RootContext;

/** Placeholder root context while the feature packages are wired in. */
final class FilterRootContext extends RootContext {
  FilterRootContext(int contextId) {
    super(contextId);
  }

  @Override
  public HttpContext createHttpContext(int contextId) {
    return new HttpContext(contextId) {};
  }
}
