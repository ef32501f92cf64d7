package dev.lambdagate.filter;

import dev.lambdagate.sdk.Dispatcher;

/**
 * The module's entry point: TeaVM compiles from here, and {@code _initialize} runs {@link #main},
 * which installs the dispatcher with lambdagate's root context.
 */
public final class FilterModule {
  private FilterModule() {}

  public static void main(String[] args) {
    Dispatcher.start(FilterRootContext::new);
  }
}
