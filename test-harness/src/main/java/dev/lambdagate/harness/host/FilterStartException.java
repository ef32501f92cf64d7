package dev.lambdagate.harness.host;

/**
 * The filter refused to start, typically because {@code proxy_on_configure} rejected the
 * configuration.
 */
public final class FilterStartException extends Exception {
  public FilterStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
