package dev.lambdagate.sdk;

/** Creates the filter's root context when the host creates one (once per plugin and VM). */
public interface RootContextFactory {
  RootContext create(int contextId);
}
