package dev.lambdagate.harness.dataplane;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/**
 * Real-Envoy tests need a Docker daemon; without one they skip and say so, loudly. On a machine
 * that has Docker, {@code -Drequire.envoy=true} turns that skip into a failure, so a broken Docker
 * setup cannot pass as "nothing to test". Stateless and thread-safe.
 */
public final class DockerAvailability {
  /** The system property that makes a missing Docker daemon fail the real-Envoy tests. */
  public static final String REQUIRE_PROPERTY = "require.envoy";

  private DockerAvailability() {}

  /** What a real-Envoy test does. */
  public enum Decision {
    /** Docker answers: run. */
    RUN,
    /** No Docker and not required: skip, saying why. */
    SKIP,
    /** No Docker but {@code -Drequire.envoy=true}: fail. */
    FAIL
  }

  /**
   * The choice for a machine where Docker does or does not answer and Envoy is or is not required.
   */
  public static Decision decide(boolean dockerAvailable, boolean envoyRequired) {
    if (dockerAvailable) {
      return Decision.RUN;
    }
    return envoyRequired ? Decision.FAIL : Decision.SKIP;
  }

  /**
   * Whether {@code value} (the {@value #REQUIRE_PROPERTY} property, possibly null) asks for Envoy:
   * {@code true} in any case, or empty as in a bare {@code -Drequire.envoy}.
   */
  public static boolean required(String value) {
    return value != null && (value.isBlank() || Boolean.parseBoolean(value.trim()));
  }

  /**
   * Skips the calling test (or class) unless a Docker daemon answers, printing why; fails instead
   * of skipping under {@code -Drequire.envoy=true}.
   */
  public static void assume(String test, String what) {
    boolean docker;
    try {
      docker = DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      docker = false;
    }
    switch (decide(docker, required(System.getProperty(REQUIRE_PROPERTY)))) {
      case RUN -> {}
      case FAIL ->
          Assertions.fail(
              "["
                  + test
                  + "] no Docker daemon, but -D"
                  + REQUIRE_PROPERTY
                  + "=true requires "
                  + what
                  + " to run");
      case SKIP -> {
        System.err.println(
            "["
                + test
                + "] SKIPPED: no Docker daemon, so no real Envoy here; "
                + "this test runs wherever Docker is available (-D"
                + REQUIRE_PROPERTY
                + "=true makes this a failure)");
        Assumptions.abort("no Docker daemon: " + what + " is skipped");
      }
    }
  }
}
