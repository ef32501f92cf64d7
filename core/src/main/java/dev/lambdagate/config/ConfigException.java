package dev.lambdagate.config;

/**
 * A filter configuration that cannot be used. The message starts with the JSON path of the
 * offending key, e.g. {@code lambda.region: expected a string, got number}; it never contains a
 * credential value.
 */
public final class ConfigException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String path;
  private final String problem;

  /**
   * @param path JSON path of the key, dot-separated ({@code
   *     backends.default/lambda.lambda.region}), or empty for the document itself
   * @param problem what is wrong with it
   */
  public ConfigException(String path, String problem) {
    super(path.isEmpty() ? problem : path + ": " + problem);
    this.path = path;
    this.problem = problem;
  }

  /** JSON path of the offending key; empty when the problem is the document as a whole. */
  public String path() {
    return path;
  }

  /** What is wrong, without the path. */
  public String problem() {
    return problem;
  }
}
