package dev.lambdagate.harness;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where AWS's SigV4 test suite is: {@code testdata/aws-sigv4-testsuite} in the repository, named by
 * the build in the system property {@code lambdagate.sigv4.suite} (parent pom, surefire). A missing
 * suite fails the test that needs it; it never turns into a skip.
 */
public final class SigV4Suite {
  public static final String PROPERTY = "lambdagate.sigv4.suite";

  private SigV4Suite() {}

  /** The suite's directory; throws when the property is unset or names no directory. */
  public static Path dir() {
    String configured = System.getProperty(PROPERTY);
    if (configured == null || configured.isEmpty()) {
      throw new IllegalStateException("-D" + PROPERTY + " is not set (the parent pom sets it)");
    }
    Path dir = Path.of(configured);
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("-D" + PROPERTY + "=" + configured + " is not a directory");
    }
    return dir;
  }
}
